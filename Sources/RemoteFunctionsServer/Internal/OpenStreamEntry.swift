/// What ``OpenStreams`` needs of an open stream, whether it runs in its request's task
/// (``OpenStream``) or without a task (``PushedStream``).
protocol OpenStreamEntry: AnyObject, Sendable {
    /// The stream's number among the server's open streams.
    var id: Int { get }

    /// Sends a heartbeat comment if the stream has been silent since `idleSince` and nothing is
    /// being written; returns whether it did.
    @discardableResult
    func heartbeatIfIdle(silentSince idleSince: ContinuousClock.Instant) -> Bool

    /// Ends the stream with a resumable `unavailable` error because the server is shutting down.
    func shutdown()
}
