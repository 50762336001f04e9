/// The seam between the remote-functions runtime and the network.
///
/// The runtime never touches sockets: a transport accepts requests, hands each one to the
/// runtime's handler with a ``ServerResponseWriter``, and carries the bytes the handler writes.
/// `RemoteFunctionsHTTPTransport` implements it over the epoll HTTP/1.1 server; an in-process
/// transport in `RemoteFunctionsTesting` implements it for tests.
public protocol ServerTransport: Sendable {
    /// Serves requests with `handler` until the transport is shut down, then returns once every
    /// request has finished. Cancelling the calling task stops the transport.
    ///
    /// The transport cancels the handler's task when its client goes away.
    func run(handler: @escaping @Sendable (ServerRequest, any ServerResponseWriter) async -> Void) async throws

    /// Stops accepting new requests and lets requests in flight finish; `run` then returns.
    func beginGracefulShutdown()
}

/// Writes one response. Implementations apply backpressure: ``write(_:)`` suspends while the
/// client is slower than the handler, so a response never buffers without bound.
public protocol ServerResponseWriter: Sendable {
    /// Sends the status line and headers. A response without `Content-Length` is streamed.
    func writeHead(status: Int, headers: [(name: String, value: String)]) async throws

    /// Sends part of the body. It suspends while the outbound buffer is full and throws once the
    /// client has gone.
    func write(_ bytes: [UInt8]) async throws

    /// Ends the response.
    func finish() async throws

    /// Sends a whole response at once: head (with `Content-Length`), body, end. A transport may
    /// implement it with a single write; the default calls ``writeHead(status:headers:)``,
    /// ``write(_:)`` and ``finish()``.
    func respond(status: Int, headers: [(name: String, value: String)], body: [UInt8]) async throws

    /// Hands the rest of a started streamed response to a ``ServerPushResponse`` that outlives the
    /// handler, or returns `nil` when the transport cannot (the default): the runtime then keeps
    /// serving the stream from the request's task. Called after ``writeHead(status:headers:)``.
    func detach() -> (any ServerPushResponse)?
}

extension ServerResponseWriter {
    /// This transport cannot detach responses.
    public func detach() -> (any ServerPushResponse)? { nil }

    /// Sends the head, the body and the end with three calls.
    public func respond(status: Int, headers: [(name: String, value: String)], body: [UInt8]) async throws {
        var headers = headers
        if !headers.contains(where: { $0.name.lowercased() == "content-length" }) {
            headers.append(("Content-Length", String(body.count)))
        }
        try await writeHead(status: status, headers: headers)
        if !body.isEmpty { try await write(body) }
        try await finish()
    }
}
