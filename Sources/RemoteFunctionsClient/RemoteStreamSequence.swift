import Foundation
public import RemoteFunctions

/// The values of a remote stream, read with `for try await`. Made by
/// ``RemoteClient/stream(_:_:lastEventID:)``.
///
/// Nothing is sent until iteration starts. The iterator then:
/// - sends `POST {base}/_remote/{id}` with `Accept: text/event-stream`;
/// - yields each `event: next` value in order, remembering its `id:` as the cursor
///   (``lastEventID``);
/// - finishes on `event: end`;
/// - throws the server's ``RemoteError`` on a non-retryable `event: error` or HTTP error;
/// - reconnects after network errors, retryable codes (`unavailable`, `deadline_exceeded`) and
///   silence longer than ``RemoteClient/Configuration/streamIdleTimeout``, with exponential
///   backoff and jitter, sending the cursor as `Last-Event-ID` so the server resumes after the
///   last value delivered. Every value arrives once, provided the server honours the cursor.
///   The backoff starts over once a connection delivers a frame (its opening `retry:` frame
///   counts), as `docs/PROTOCOL.md` 5.3 says.
///
/// Leaving the loop, or cancelling the iterating task, cancels the HTTP request at once; no task
/// is left behind. Cancellation ends the loop by throwing a `cancelled` ``RemoteError``.
///
/// Iterate a sequence once; a second iteration opens a new connection that starts from the
/// latest cursor and reports on the same ``state``.
public struct RemoteStreamSequence<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    /// The only error this sequence throws.
    public typealias Failure = RemoteError

    let client: RemoteClient
    let id: RemoteFunctionID
    let arguments: Result<Data, RemoteError>
    let storage: StreamStateStorage

    init(client: RemoteClient, id: RemoteFunctionID, arguments: Result<Data, RemoteError>, lastEventID: String?) {
        self.client = client
        self.id = id
        self.arguments = arguments
        self.storage = StreamStateStorage(lastEventID: lastEventID)
    }

    /// The current connection state.
    public var state: RemoteConnectionState { storage.current }

    /// The connection states as they change, starting with the current one and finishing after
    /// ``RemoteConnectionState/closed`` or ``RemoteConnectionState/failed(_:)``. Each access
    /// returns a new, independent listener.
    public var states: AsyncStream<RemoteConnectionState> { storage.makeListener() }

    /// The cursor of the last value delivered (or the one the stream was started with): what a
    /// reconnect sends as `Last-Event-ID`.
    public var lastEventID: String? { storage.lastEventID }

    /// Creates the iterator; the request is sent by its first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }
}
