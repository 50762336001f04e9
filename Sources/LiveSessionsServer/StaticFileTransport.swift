public import RemoteFunctionsServer

/// A transport that answers `GET`/`HEAD` requests for the files of a ``StaticFiles`` set itself
/// and hands every other request (remote functions under `/_remote/`, `/metrics`, unknown paths)
/// to the server, in front of any other transport.
///
/// It forwards shutdown to the wrapped transport and, when that transport is a
/// `MetricsSource`, its metrics.
public final class StaticFileTransport<Wrapped: ServerTransport>: ServerTransport, MetricsSource {
    /// The transport that carries the requests.
    public let wrapped: Wrapped
    /// The files served.
    public let files: StaticFiles

    /// Serves `files` in front of `wrapped`.
    public init(wrapping wrapped: Wrapped, files: StaticFiles) {
        self.wrapped = wrapped
        self.files = files
    }

    /// Runs the wrapped transport, answering static files before the server's handler.
    public func run(handler: @escaping @Sendable (ServerRequest, any ServerResponseWriter) async -> Void) async throws {
        let files = files
        try await wrapped.run { request, writer in
            if !request.path.hasPrefix("/_remote/"), let file = files.file(method: request.method, path: request.path) {
                do {
                    try await writer.writeHead(
                        status: 200,
                        headers: [
                            ("Content-Type", file.contentType), ("Content-Length", String(file.bytes.count)),
                            ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff"),
                        ])
                    if request.method == "GET" { try await writer.write(file.bytes) }
                    try await writer.finish()
                } catch {
                    // The client went away while the file was being sent.
                }
                return
            }
            await handler(request, writer)
        }
    }

    /// Forwards to the wrapped transport.
    public func beginGracefulShutdown() {
        wrapped.beginGracefulShutdown()
    }

    /// The wrapped transport's metrics, or nothing.
    public func prometheusText() -> String {
        (wrapped as? any MetricsSource)?.prometheusText() ?? ""
    }
}
