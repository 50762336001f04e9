import Synchronization

/// Calls `onIdle` once if ``touch()`` is not called for `timeout`. Stopped by ``stop()`` or
/// when released; its timer task never outlives it by more than one `timeout`.
final class IdleWatchdog: Sendable {
    private struct State {
        var lastActivity = ContinuousClock.now
        var task: Task<Void, Never>?
        var fired = false
        var stopped = false
    }

    private let state = Mutex(State())

    init(timeout: Duration, onIdle: @escaping @Sendable () -> Void) {
        let task = Task { [weak self] in
            var wait = timeout
            while true {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
                guard let self else { return }
                let remaining = self.state.withLock { state -> Duration? in
                    if state.stopped { return nil }
                    let idle = ContinuousClock.now - state.lastActivity
                    if idle >= timeout {
                        state.fired = true
                        state.stopped = true
                        return .zero
                    }
                    return timeout - idle
                }
                guard let remaining else { return }
                if remaining == .zero {
                    onIdle()
                    return
                }
                wait = remaining
            }
        }
        state.withLock { $0.task = task }
    }

    deinit {
        stop()
    }

    /// Something arrived: restarts the countdown.
    func touch() {
        state.withLock { $0.lastActivity = .now }
    }

    /// Whether the watchdog fired.
    var fired: Bool { state.withLock { $0.fired } }

    /// Stops the countdown for good.
    func stop() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
    }
}
