extension RemoteClient {
    /// What a ``RemoteClient`` sends with every request, and how it retries and reconnects.
    public struct Configuration: Sendable {
        /// Headers sent with every request, such as `Authorization` or `Cookie`.
        public var headers: [(name: String, value: String)]
        /// Retries of queries after network errors and retryable codes (`unavailable`,
        /// `deadline_exceeded`). Commands are never retried automatically. Default: 3 attempts.
        public var queryRetry: RetryPolicy
        /// Reconnects of streams after network errors and retryable codes. Default: no limit,
        /// 250 ms·2ⁿ capped at 10 s, ±20 %; a server's `retry:` replaces the 250 ms.
        public var streamReconnect: RetryPolicy
        /// A stream that receives nothing at all, not even a heartbeat, for this long is treated
        /// as a lost connection and reconnects. Default 45 s, three times the server's default
        /// heartbeat interval; `nil` turns the watchdog off.
        public var streamIdleTimeout: Duration?
        /// The largest unary response body accepted; a larger one fails with
        /// `resource_exhausted`. Default 64 MiB.
        public var maximumResponseBytes: Int
        /// Waits between attempts. Replace it to test backoff without waiting.
        public var sleep: @Sendable (Duration) async throws -> Void
        /// Draws a number in `0...1` for jitter. Replace it to make delays deterministic.
        public var randomUnit: @Sendable () -> Double
        /// Called with every underlying network error before it becomes a user-safe
        /// `unavailable` ``RemoteError``, for logging. The error itself never reaches a message.
        public var networkErrorHandler: (@Sendable (any Error) -> Void)?
        /// Whether streams travel on one multiplexed channel per client (`docs/PROTOCOL.md`
        /// section 10) instead of one request each. The channel reopens when it drops and every
        /// stream resumes from its own cursor; a server without the channel endpoint gets one
        /// request per stream. Default `false`.
        public var streamsOnChannel = false

        /// Creates a configuration; every parameter has a production default.
        public init(
            headers: [(name: String, value: String)] = [],
            queryRetry: RetryPolicy = RetryPolicy(maximumAttempts: 3),
            streamReconnect: RetryPolicy = RetryPolicy(maximumAttempts: nil),
            streamIdleTimeout: Duration? = .seconds(45),
            maximumResponseBytes: Int = 64 * 1024 * 1024,
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
            randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
            networkErrorHandler: (@Sendable (any Error) -> Void)? = nil
        ) {
            self.headers = headers
            self.queryRetry = queryRetry
            self.streamReconnect = streamReconnect
            self.streamIdleTimeout = streamIdleTimeout
            self.maximumResponseBytes = maximumResponseBytes
            self.sleep = sleep
            self.randomUnit = randomUnit
            self.networkErrorHandler = networkErrorHandler
        }
    }
}
