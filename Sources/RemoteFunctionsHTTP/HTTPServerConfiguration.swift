/// Everything an ``HTTPServer`` can be tuned with. The defaults suit production on one machine.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost`. Default `127.0.0.1`.
    public var host: String
    /// The port to bind; 0 asks the kernel for a free one (see ``HTTPServer/run(onListening:)``).
    public var port: Int
    /// The number of event-loop threads; default one per processor.
    public var loopCount: Int
    /// The kernel readiness API the loops use; default `.epoll` on Linux.
    public var eventQueue: EventQueueKind
    /// Connections beyond this many are answered `503` and closed.
    public var maxConnections: Int
    /// The default request body limit; a handler may choose another with
    /// ``HTTPRequestBody/collect(upTo:)``. Larger bodies get `413`. Default 1 MiB.
    public var maxBodySize: Int
    /// The most bytes of a request line plus headers; larger heads get `431`. Default 16 KiB.
    public var maxHeaderBytes: Int
    /// How long a client may take to send a complete request head (from the first byte, or from
    /// accepting the connection); then `408` and close. Guards against slowloris.
    public var headerReadTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests before it is closed.
    public var idleTimeout: Duration
    /// How long the outbound buffer may go without any progress (a peer that stopped reading) before
    /// the connection is closed and its handler cancelled.
    public var writeTimeout: Duration
    /// A response writer's `write` suspends once this many bytes wait in the connection's buffer.
    public var outboundHighWaterMark: Int
    /// A suspended `write` resumes once the buffer has drained to this many bytes.
    public var outboundLowWaterMark: Int
    /// The listen backlog.
    public var backlog: Int

    /// Creates a configuration; every parameter has a production default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        loopCount: Int? = nil,
        eventQueue: EventQueueKind = .platformDefault,
        maxConnections: Int = 10_000,
        maxBodySize: Int = 1 << 20,
        maxHeaderBytes: Int = 16 * 1024,
        headerReadTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        writeTimeout: Duration = .seconds(30),
        outboundHighWaterMark: Int = 64 * 1024,
        outboundLowWaterMark: Int = 16 * 1024,
        backlog: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.loopCount = loopCount ?? EventLoopGroup.processorCount
        self.eventQueue = eventQueue
        self.maxConnections = maxConnections
        self.maxBodySize = maxBodySize
        self.maxHeaderBytes = maxHeaderBytes
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.outboundHighWaterMark = outboundHighWaterMark
        self.outboundLowWaterMark = outboundLowWaterMark
        self.backlog = backlog
    }

    /// How often loops check deadlines: a quarter of the shortest timeout, between 5 ms and 250 ms.
    var sweepInterval: Duration {
        let shortest = min(headerReadTimeout, idleTimeout, writeTimeout)
        return min(max(shortest / 4, .milliseconds(5)), .milliseconds(250))
    }
}
