import Foundation
import RemoteFunctions
public import RemoteFunctionsHTTP

/// A ``ClientTransport`` over the project's own epoll HTTP/1.1 client
/// (``RemoteFunctionsHTTP/HTTPClient``): the transport to use for Swift clients on Linux that keep
/// streams open.
///
/// On Linux, `URLSessionClientTransport` goes through swift-corelibs-foundation, whose libcurl
/// glue keeps a libdispatch write source armed on every connection after the request was sent
/// (`_MultiHandle.register` adds sources when libcurl asks for read interest but never removes
/// the write source it created while connecting). A socket is always writable, so every open
/// stream makes the session's queue spin: a process holding 500 idle streams used 4.5 s of CPU
/// per 3 s, 50 streams a full core, and its reconnects after a failover queued behind the spin
/// for seconds. This transport waits in `epoll` on one event-loop thread and costs nothing while
/// streams are idle.
///
/// Only `http://` URLs are supported (put TLS in a proxy in front, or use
/// `URLSessionClientTransport` for `https://`). Connections whose response was read to the end
/// are reused. Requests that accept `text/event-stream` have no timeout (``RemoteClient``'s idle
/// watchdog detects dead streams); other requests fail when their response head has not arrived
/// within `requestTimeout`.
///
/// ```swift
/// let transport = HTTPClientTransport()
/// let client = RemoteClient(baseURL: URL(string: "http://127.0.0.1:8080")!, transport: transport)
/// ```
public final class HTTPClientTransport: ClientTransport {
    /// The response head did not arrive within the transport's `requestTimeout`.
    public struct Timeout: Error, Sendable, CustomStringConvertible {
        /// The timeout that elapsed.
        public var limit: Duration
        /// A description for logs.
        public var description: String { "no response head within \(limit)" }
    }

    private let client: HTTPClient
    private let requestTimeout: Duration

    /// Creates a transport with its own event-loop thread, started on first use.
    ///
    /// - Parameters:
    ///   - eventQueue: the readiness API of the client's event loop.
    ///   - requestTimeout: how long a request that does not accept `text/event-stream` may wait
    ///     for its response head.
    public init(eventQueue: EventQueueKind = .platformDefault, requestTimeout: Duration = .seconds(60)) {
        self.client = HTTPClient(eventQueue: eventQueue)
        self.requestTimeout = requestTimeout
    }

    /// Closes idle connections and stops the event-loop thread. Requests still running fail.
    public func shutdown() async {
        await client.shutdown()
    }

    /// Sends a request and returns when the response head has arrived.
    ///
    /// - Throws: ``RemoteError`` `invalid_argument` for a URL that is not `http://`;
    ///   `CancellationError` when the task is cancelled first; ``Timeout``; otherwise the HTTP
    ///   client's error (a network failure).
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        guard request.url.scheme?.lowercased() == "http" else {
            throw RemoteError(.invalidArgument, "HTTPClientTransport supports http:// URLs only")
        }
        var headers = HTTPHeaders()
        var acceptsEventStream = false
        for header in request.headers {
            headers.add(header.name, header.value)
            if header.name.lowercased() == "accept" && header.value.lowercased().contains("text/event-stream") {
                acceptsEventStream = true
            }
        }
        let fields = headers
        let url = request.url.absoluteString
        let body = request.body.map { Array($0) } ?? []
        let client = self.client
        let exchange: @Sendable () async throws -> HTTPClientResponse = {
            try await client.execute(method: request.method, url: url, headers: fields, body: body)
        }
        let response: HTTPClientResponse
        do {
            response = try await acceptsEventStream ? exchange() : Self.withTimeout(requestTimeout, exchange)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        var responseHeaders: [(name: String, value: String)] = []
        for field in response.headers { responseHeaders.append((name: field.name, value: field.value)) }
        // Reading the body happens in the pump of `ClientResponseBody(chunks:cancel:)`; cancelling
        // that pump (the reader left early) cancels the read, which closes the connection.
        let reader = BodyReader(body: response.body)
        let chunks = AsyncThrowingStream<[UInt8], any Error>(unfolding: { try await reader.next() })
        return ClientResponse(
            status: response.status, headers: responseHeaders, body: ClientResponseBody(chunks: chunks, cancel: {}))
    }

    /// Runs `operation`, cancelling it and throwing ``Timeout`` when `limit` elapses first.
    private static func withTimeout<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Timeout(limit: limit) }
            return value
        }
    }
}

/// Reads an ``HTTPClientResponseBody`` chunk by chunk from a `@Sendable` closure. The body's
/// iterator holds no state of its own (each `next()` reads the connection's next chunk), so a
/// fresh iterator per call continues where the previous one stopped.
private struct BodyReader: Sendable {
    let body: HTTPClientResponseBody

    func next() async throws -> [UInt8]? {
        var iterator = body.makeAsyncIterator()
        return try await iterator.next()
    }
}
