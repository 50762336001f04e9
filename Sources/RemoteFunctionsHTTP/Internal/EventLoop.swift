import Foundation
import Synchronization

/// One event-loop thread: it waits on an ``EventQueue``, dispatches readiness to registered
/// ``EventHandler``s, fires timers, and runs Swift jobs as a `TaskExecutor` (SE-0417).
///
/// Connection tasks are started with `Task(executorPreference: loop)`, so a continuation the loop
/// resumes after I/O runs on this same thread without a hop. `enqueue` from another thread appends
/// to a mutex-guarded queue and wakes the thread only if it is blocked in `wait`.
final class EventLoop: TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var timers = TimerHeap()
        var sleeping = false
        var stopping = false
        var stopped = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var deferredFlushes: [any DeferredFlushing] = []
    }

    private static let nextHandlerID = Atomic<UInt64>(1)

    /// The readiness API this loop waits on.
    let queue: any EventQueue
    /// How often handlers are asked to enforce their deadlines.
    let sweepInterval: Duration
    private let state = Mutex(State())
    private let handlers = Mutex([UInt64: any EventHandler]())
    /// The handlers with a deadline to enforce: the only ones each sweep visits.
    private let watched = Mutex([UInt64: any EventHandler]())
    private let threadID = Atomic<UInt>(0)
    private let readBuffer = Mutex([UInt8](repeating: 0, count: EventLoop.readBufferSize))

    /// The size of the loop's scratch buffer for socket reads.
    static let readBufferSize = 32 * 1024

    init(kind: EventQueueKind, sweepInterval: Duration, name: String) throws(SystemError) {
        queue = try makeEventQueue(kind)
        self.sweepInterval = sweepInterval
        let thread = Thread { [self] in runLoop() }
        thread.name = name
        thread.start()
    }

    // MARK: TaskExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let (wake, accepted) = state.withLock { state -> (Bool, Bool) in
            if state.stopped { return (false, false) }
            state.jobs.append(unownedJob)
            let wake = state.sleeping
            state.sleeping = false
            return (wake, true)
        }
        if !accepted {
            // The loop has exited: a straggler job still runs, on the global executor.
            globalConcurrentExecutor.enqueue(ExecutorJob(unownedJob))
            return
        }
        if wake { queue.wake() }
    }

    /// Whether the caller runs on this loop's thread.
    var isCurrent: Bool { threadID.load(ordering: .relaxed) == PlatformShims.currentThreadID() }

    /// Asks the loop to call `target.performDeferredFlush()` after the jobs of this iteration, so
    /// that several writes made by one job leave in one system call. Call only on the loop thread.
    func deferFlush(_ target: any DeferredFlushing) {
        state.withLock { $0.deferredFlushes.append(target) }
    }

    /// Runs `body` with the loop's scratch buffer for a socket read. Uncontended in practice: only
    /// handlers called by this loop's thread read.
    func withReadBuffer<Result: Sendable>(_ body: (UnsafeMutableRawBufferPointer) -> Result) -> Result {
        readBuffer.withLock { buffer -> Result in
            let result: Result = buffer.withUnsafeMutableBytes { body($0) }
            return result
        }
    }

    // MARK: Registration

    /// Registers `handler` for `fd` and returns the id its events carry.
    func register(_ handler: any EventHandler, fd: Int32, interest: EventInterest) throws(SystemError) -> UInt64 {
        let id = Self.nextHandlerID.wrappingAdd(1, ordering: .relaxed).oldValue
        handlers.withLock { $0[id] = handler }
        do {
            try queue.register(fd, id: id, interest: interest)
        } catch {
            _ = handlers.withLock { $0.removeValue(forKey: id) }
            throw error
        }
        return id
    }

    /// Stops delivering events for `fd` (call before closing it).
    func deregister(id: UInt64, fd: Int32) {
        queue.deregister(fd)
        _ = handlers.withLock { $0.removeValue(forKey: id) }
        unwatchDeadlines(id: id)
    }

    /// Includes `handler` (registered as `id`) in the sweeps that call
    /// ``EventHandler/checkDeadlines(now:)``, until ``unwatchDeadlines(id:)`` or deregistration.
    func watchDeadlines(_ handler: any EventHandler, id: UInt64) {
        watched.withLock { $0[id] = handler }
    }

    /// Leaves the deadline sweeps.
    func unwatchDeadlines(id: UInt64) {
        _ = watched.withLock { $0.removeValue(forKey: id) }
    }

    /// The number of registered handlers.
    var handlerCount: Int { handlers.withLock { $0.count } }

    // MARK: Timers

    /// Runs `action` on the loop thread at or soon after `deadline`.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        let wake = state.withLock { state -> Bool in
            state.timers.schedule(at: deadline, action)
            let wake = state.sleeping
            state.sleeping = false
            return wake
        }
        if wake { queue.wake() }
    }

    /// Runs `action` on the loop thread soon.
    func execute(_ action: @escaping @Sendable () -> Void) {
        schedule(at: .now, action)
    }

    // MARK: Lifecycle

    /// Stops the thread after it has run every queued job, and returns once it has exited.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = state.withLock { state -> Bool in
                if state.stopped { return true }
                state.stopping = true
                state.exitWaiters.append(continuation)
                return false
            }
            if alreadyStopped {
                continuation.resume()
            } else {
                queue.wake()
            }
        }
    }

    private func runLoop() {
        var events: [ReadinessEvent] = []
        events.reserveCapacity(512)
        var targets: [(any EventHandler)?] = []
        targets.reserveCapacity(512)
        var timeout: Int32 = 0
        var nextSweep = ContinuousClock.now + sweepInterval
        let executor = asUnownedTaskExecutor()
        threadID.store(PlatformShims.currentThreadID(), ordering: .relaxed)
        while true {
            events.removeAll(keepingCapacity: true)
            do {
                try queue.wait(timeoutMilliseconds: timeout, into: &events)
            } catch {
                // wait fails only on programming errors (EBADF, EINVAL); keep the loop alive.
                timeout = 10
            }
            if !events.isEmpty {
                targets.removeAll(keepingCapacity: true)
                handlers.withLock { table in
                    for event in events { targets.append(table[event.id]) }
                }
                for index in events.indices { targets[index]?.handle(events[index]) }
                targets.removeAll(keepingCapacity: true)
            }
            var now = ContinuousClock.now
            if now >= nextSweep {
                nextSweep = now + sweepInterval
                let all = watched.withLock { Array($0.values) }
                for handler in all { handler.checkDeadlines(now: now) }
            }
            let (jobs, expired) = state.withLock { state in
                state.sleeping = false
                let jobs = state.jobs
                state.jobs.removeAll(keepingCapacity: true)
                return (jobs, state.timers.popExpired(now: now))
            }
            for action in expired { action() }
            for job in jobs { job.runSynchronously(on: executor) }
            let flushes = state.withLock { state in
                let flushes = state.deferredFlushes
                state.deferredFlushes.removeAll(keepingCapacity: true)
                return flushes
            }
            for target in flushes { target.performDeferredFlush() }
            now = ContinuousClock.now
            let next = state.withLock { state -> Int32? in
                if !state.jobs.isEmpty || !state.deferredFlushes.isEmpty { return 0 }
                if let deadline = state.timers.nextDeadline, deadline <= now { return 0 }
                if state.stopping {
                    state.stopped = true
                    return nil
                }
                state.sleeping = true
                var wakeAt = nextSweep
                if let deadline = state.timers.nextDeadline, deadline < wakeAt { wakeAt = deadline }
                return Self.milliseconds(until: wakeAt, now: now)
            }
            guard let next else { break }
            timeout = next
        }
        let waiters = state.withLock { state in
            let waiters = state.exitWaiters
            state.exitWaiters = []
            return waiters
        }
        queue.close()
        for waiter in waiters { waiter.resume() }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Int32 {
        let remaining = now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}

/// Output that an ``EventLoop`` sends at the end of an iteration (see ``EventLoop/deferFlush(_:)``).
protocol DeferredFlushing: AnyObject, Sendable {
    /// Sends what is queued; called on the loop thread.
    func performDeferredFlush()
}
