/// One unit of work for a pool thread.
struct PostgresJob: Sendable {
    /// When the job was queued, for the pool's queue timeout.
    let enqueuedAt: ContinuousClock.Instant
    /// Runs the job with the thread's (healthy) connection. Returns without calling the body
    /// when the job was cancelled while queued. Returns whether a cancel request was sent while
    /// it ran.
    let run: @Sendable (PostgresConnection) -> Bool
    /// Fails the job without running it (no connection, pool closed, queue timeout).
    let fail: @Sendable (PostgresError) -> Void
}
