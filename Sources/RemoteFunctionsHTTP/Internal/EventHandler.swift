/// Something registered with an ``EventLoop``: the loop calls it on its own thread.
protocol EventHandler: AnyObject, Sendable {
    /// Called with what the kernel reported for this handler's descriptor.
    func handle(_ event: ReadinessEvent)
    /// Called periodically (every ``EventLoop/sweepInterval``), while the handler is watched
    /// (``EventLoop/watchDeadlines(_:id:)``), so that it can enforce its deadlines.
    func checkDeadlines(now: ContinuousClock.Instant)
}
