import RemoteFunctions
import Synchronization

/// Serves remote functions: a registry of handlers, a middleware chain, and the dispatch of
/// protocol v1 (`docs/PROTOCOL.md`) over any ``ServerTransport``.
///
/// ```swift
/// let server = RemoteServer()
/// server.register(getSession) { code, context in try await database.session(code) }
/// server.register(ticks) { arguments, context, yield in
///     for i in 0..<arguments.count { try await yield(Tick(i: i), cursor: "\(i)") }
/// }
/// try await server.run(on: HTTPServerTransport(port: 8080))
/// ```
///
/// The server knows nothing of sockets. A transport hands every request to ``handle(_:writer:)``
/// and cancels that call's task when its client goes away; the server then cancels a stream's
/// handler at once, so its cleanup runs promptly and no task outlives the request.
public final class RemoteServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: Configuration

    let functions = Mutex<[RemoteFunctionID: RegisteredFunction]>([:])
    let middlewares = Mutex<[any RemoteMiddleware]>([])
    let metricsSources: Mutex<[any MetricsSource]>
    let transports = Mutex<[any ServerTransport]>([])
    let openStreams: OpenStreams
    let channels = RemoteChannels()
    let metrics = RuntimeMetrics()

    /// Creates a server with no functions.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.metricsSources = Mutex(configuration.metricsSources)
        self.openStreams = OpenStreams(heartbeatInterval: configuration.heartbeatInterval)
    }

    /// The number of streams open right now. It returns to 0 once every stream has ended,
    /// whether normally, with an error, because its client left, or at shutdown.
    public var openStreamCount: Int { openStreams.count }

    /// Adds a middleware at the inner end of the chain: middleware registered first runs first.
    public func use(_ middleware: some RemoteMiddleware) {
        middlewares.withLock { $0.append(middleware) }
    }

    /// Adds a source whose text is appended to `GET /metrics`.
    public func addMetricsSource(_ source: any MetricsSource) {
        metricsSources.withLock { $0.append(source) }
    }

    /// Serves requests from `transport` until it has drained after ``beginGracefulShutdown()``,
    /// or until the calling task is cancelled. The same server may run on several transports.
    /// A transport that is itself a ``MetricsSource`` is added to `/metrics`.
    public func run(on transport: some ServerTransport) async throws {
        transports.withLock { $0.append(transport) }
        if let source = transport as? any MetricsSource { addMetricsSource(source) }
        try await transport.run { [self] request, writer in
            await self.handle(request, writer: writer)
        }
    }

    /// Begins a graceful shutdown: open streams end with a resumable `event: error` whose code is
    /// `unavailable` (so clients reconnect, possibly elsewhere), new streams are refused with 503,
    /// unary calls in flight finish, and every transport stops accepting and then drains.
    public func beginGracefulShutdown() {
        openStreams.shutdownAll()
        channels.shutdownAll()
        let transports = transports.withLock { $0 }
        for transport in transports { transport.beginGracefulShutdown() }
    }
}
