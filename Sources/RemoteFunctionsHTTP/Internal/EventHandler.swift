/// Something registered with an ``EventLoop``: the loop calls it on its own thread.
protocol EventHandler: AnyObject, Sendable {
    /// Called with what the kernel reported for this handler's descriptor.
    func handle(_ event: ReadinessEvent)
    /// Called periodically (every ``EventLoop/sweepInterval``) so the handler can enforce deadlines.
    func checkDeadlines(now: ContinuousClock.Instant)
}
