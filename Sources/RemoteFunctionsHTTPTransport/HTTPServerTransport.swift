public import RemoteFunctionsHTTP
public import RemoteFunctionsServer
import Synchronization

/// Serves a ``RemoteFunctionsServer/RemoteServer`` over HTTP/1.1 with the project's epoll server.
///
/// Requests under `/_remote/` and `/metrics` go to the runtime; with a ``staticFilesDirectory``,
/// every other path is served from that directory (the web app's files), otherwise it reaches the
/// runtime too (which answers 404). When a client hangs up, the HTTP server cancels the handler's
/// task within milliseconds, which stops a stream's handler.
///
/// ```swift
/// let transport = HTTPServerTransport(port: 8080) { address in print("listening on \(address)") }
/// try await server.run(on: transport)
/// ```
public final class HTTPServerTransport: ServerTransport, MetricsSource {
    private struct State {
        var server: HTTPServer?
        var address: HTTPServerAddress?
        var addressWaiters: [CheckedContinuation<HTTPServerAddress?, Never>] = []
        var shutdownRequested = false
        var finished = false
    }

    /// The HTTP server's configuration, host and port included.
    public let configuration: HTTPServerConfiguration
    /// A directory whose files are served for paths outside `/_remote/` and `/metrics`.
    public let staticFilesDirectory: String?
    /// How long a graceful shutdown waits for requests in flight before closing their connections.
    public let shutdownDeadline: Duration
    private let onListening: @Sendable (HTTPServerAddress) -> Void
    private let state = Mutex(State())

    /// Creates a transport that will bind `host:port` (port 0 picks a free port) when run.
    public init(
        host: String = "127.0.0.1", port: Int = 0, staticFilesDirectory: String? = nil,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(), shutdownDeadline: Duration = .seconds(10),
        onListening: @escaping @Sendable (HTTPServerAddress) -> Void = { _ in }
    ) {
        var configuration = configuration
        configuration.host = host
        configuration.port = port
        self.configuration = configuration
        self.staticFilesDirectory = staticFilesDirectory
        self.shutdownDeadline = shutdownDeadline
        self.onListening = onListening
    }

    /// The bound address, once listening.
    public var address: HTTPServerAddress? { state.withLock { $0.address } }

    /// Waits until the transport is listening and returns its address, or `nil` if it stopped
    /// (or failed to bind) first.
    public func listeningAddress() async -> HTTPServerAddress? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> (Bool, HTTPServerAddress?) in
                if let address = state.address { return (true, address) }
                if state.finished { return (true, nil) }
                state.addressWaiters.append(continuation)
                return (false, nil)
            }
            if ready.0 { continuation.resume(returning: ready.1) }
        }
    }

    /// Binds, serves until shut down, and returns once every connection has closed.
    public func run(handler: @escaping @Sendable (ServerRequest, any ServerResponseWriter) async -> Void) async throws {
        defer { markFinished() }
        let staticFiles = try staticFilesDirectory.map { try StaticFileHandler(root: $0) }
        let server = HTTPServer(configuration: configuration) { request, writer in
            let path = request.path
            if let staticFiles, !path.hasPrefix("/_remote/"), path != "/metrics" {
                try await staticFiles.handle(request, writer)
                return
            }
            await handler(Self.serverRequest(request), HTTPServerResponseWriter(writer))
        }
        let shutdownRequested = state.withLock { state in
            state.server = server
            return state.shutdownRequested
        }
        if shutdownRequested { server.beginGracefulShutdown(deadline: shutdownDeadline) }
        let onListening = self.onListening
        try await server.run { [self] address in
            let waiters = state.withLock { state in
                state.address = address
                defer { state.addressWaiters.removeAll() }
                return state.addressWaiters
            }
            for waiter in waiters { waiter.resume(returning: address) }
            onListening(address)
        }
    }

    /// Stops accepting; requests in flight get ``shutdownDeadline`` to finish; `run` then returns.
    public func beginGracefulShutdown() {
        let server = state.withLock { state in
            state.shutdownRequested = true
            return state.server
        }
        server?.beginGracefulShutdown(deadline: shutdownDeadline)
    }

    /// `remote_http_open_connections`, in Prometheus text format.
    public func prometheusText() -> String {
        let open = state.withLock { $0.server }?.openConnectionCount ?? 0
        return """
            # HELP remote_http_open_connections Open HTTP connections.
            # TYPE remote_http_open_connections gauge
            remote_http_open_connections \(open)

            """
    }

    private func markFinished() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.addressWaiters.removeAll() }
            return state.addressWaiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    private static func serverRequest(_ request: HTTPServerRequest) -> ServerRequest {
        let body = request.body
        // Sized up front: `map` over a sequence grows the array several times.
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers { headers.append((name: field.name, value: field.value)) }
        return ServerRequest(
            method: request.method, path: request.path, query: request.query,
            headers: headers, remoteAddress: request.remoteAddress,
            body: ServerRequestBody(
                collect: { limit in
                    do {
                        return try await body.collect(upTo: limit)
                    } catch let error as HTTPError where error.status == 413 {
                        throw ServerRequestBody.TooLarge(limit: limit)
                    }
                },
                collectIfReceived: { limit in
                    do {
                        return try body.collectIfReceived(upTo: limit)
                    } catch let error as HTTPError where error.status == 413 {
                        throw ServerRequestBody.TooLarge(limit: limit)
                    }
                }))
    }
}
