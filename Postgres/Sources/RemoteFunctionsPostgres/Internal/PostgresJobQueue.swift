import Dispatch
import Synchronization

/// A first-in, first-out queue of jobs shared by the threads of one ``PostgresPool``; it is the
/// pool's waiters queue.
///
/// Threads block in ``next()`` on a counting semaphore (they are dedicated database threads, so
/// blocking is what they are for); ``enqueue(_:)`` and ``close()`` never block.
final class PostgresJobQueue: Sendable {
    private struct State {
        var jobs: [PostgresJob] = []
        var head = 0
        var isClosed = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int

    init(threadCount: Int) {
        self.threadCount = threadCount
    }

    /// Adds a job; `false` once the queue is closed.
    func enqueue(_ job: PostgresJob) -> Bool {
        let accepted = state.withLock { state in
            guard !state.isClosed else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Blocks until a job is available and returns it, or returns `nil` once the queue is
    /// closed and drained.
    func next() -> PostgresJob? {
        available.wait()
        return state.withLock { state in
            guard state.head < state.jobs.count else { return nil }
            let job = state.jobs[state.head]
            state.head += 1
            if state.head == state.jobs.count {
                state.jobs.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head > 64 && state.head * 2 > state.jobs.count {
                state.jobs.removeFirst(state.head)
                state.head = 0
            }
            return job
        }
    }

    /// The number of jobs waiting for a thread.
    var waitingCount: Int {
        state.withLock { $0.jobs.count - $0.head }
    }

    /// Refuses new jobs; the threads finish the queued ones and then see `nil`.
    func close() {
        let wasOpen = state.withLock { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        // One extra wake-up per thread: each consumes exactly one when it finds the queue
        // closed and empty.
        if wasOpen {
            for _ in 0..<threadCount { available.signal() }
        }
    }
}
