import Foundation
import RemoteFunctions

/// Encodes the values of one stream as `event: next` frames and writes them through its
/// ``OpenStream``, which serialises them with heartbeats.
final class StreamEventSink: Sendable {
    private let stream: OpenStream

    init(stream: OpenStream) {
        self.stream = stream
    }

    /// Sends one value. Suspends while the client is slow; throws `CancellationError` once the
    /// client has gone or the server is ending the stream.
    func send<Element: Encodable>(_ element: Element, cursor: String?) async throws {
        try Task.checkCancellation()
        let data: Data
        do {
            data = try RemoteJSON.encode(element)
        } catch {
            throw RemoteError(.internal, "a stream value could not be encoded")
        }
        let event = ServerSentEvent(
            event: RemoteWire.nextEvent, data: String(decoding: data, as: UTF8.self), id: cursor)
        do {
            try await stream.write(event.encoded())
        } catch {
            throw CancellationError()
        }
    }
}
