public import RemoteFunctions

extension RemoteServer {
    /// How a ``RemoteServer`` behaves. Every value has a production-ready default.
    public struct Configuration: Sendable {
        /// Origins (such as `https://app.example.com`) besides the server's own that may call
        /// commands from a browser. A command whose `Origin` header is neither the server's own
        /// (compared with its `Host` header) nor listed here is refused with 403.
        public var allowedOrigins: Set<String>
        /// The largest request body accepted, in bytes; a larger one is answered with 413. 1 MiB.
        public var maxBodySize: Int
        /// How long a stream may stay silent before the server sends a heartbeat comment. 15 s.
        public var heartbeatInterval: Duration
        /// The reconnect delay announced in each stream's first `retry:` line, in milliseconds.
        public var retryMilliseconds: Int
        /// Where the runtime logs; handler errors that are not ``RemoteFunctions/RemoteError`` are
        /// logged here and never sent to clients.
        public var logger: RemoteLogger
        /// Whether `GET /metrics` serves Prometheus metrics.
        public var metricsEnabled: Bool
        /// Extra sources whose text is appended to `/metrics`.
        public var metricsSources: [any MetricsSource]
        /// The multiplexed channel's limits.
        public var channel = ChannelConfiguration()

        /// Creates a configuration.
        public init(
            allowedOrigins: Set<String> = [], maxBodySize: Int = 1 << 20,
            heartbeatInterval: Duration = .seconds(15),
            retryMilliseconds: Int = RemoteWire.defaultRetryMilliseconds,
            logger: RemoteLogger = .standardError(), metricsEnabled: Bool = true,
            metricsSources: [any MetricsSource] = []
        ) {
            self.allowedOrigins = allowedOrigins
            self.maxBodySize = maxBodySize
            self.heartbeatInterval = heartbeatInterval
            self.retryMilliseconds = retryMilliseconds
            self.logger = logger
            self.metricsEnabled = metricsEnabled
            self.metricsSources = metricsSources
        }
    }
}
