import Synchronization

/// The awaiting side of one queued job: holds its continuation until exactly one of "a thread
/// starts it", "its task is cancelled while it waits" or "it fails without running" happens.
/// The continuation is always resumed outside the lock.
final class PostgresJobTicket<Result: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Result, any Error>)
        case running(CheckedContinuation<Result, any Error>)
        case cancelledBeforeStart
        case finished
    }

    private let state = Mutex<State?>(nil)

    /// Stores the continuation; resumes it at once with `CancellationError` when the task was
    /// cancelled before (``cancel()`` came first).
    func install(_ continuation: CheckedContinuation<Result, any Error>) {
        let cancelled = state.withLock { state -> Bool in
            if case .cancelledBeforeStart = state { return true }
            state = .waiting(continuation)
            return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
    }

    /// Marks the job as running; `false` when it must be skipped (cancelled while waiting).
    func start() -> Bool {
        state.withLock { state in
            guard case .waiting(let continuation) = state else { return false }
            state = .running(continuation)
            return true
        }
    }

    /// Resumes the running job's continuation with its outcome.
    func finish(_ outcome: Swift.Result<Result, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Result, any Error>? in
            guard case .running(let continuation) = state else { return nil }
            state = .finished
            return continuation
        }
        continuation?.resume(with: outcome)
    }

    /// Fails a job that has not started.
    func fail(_ error: PostgresError) {
        let continuation = state.withLock { state -> CheckedContinuation<Result, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .finished
            return continuation
        }
        continuation?.resume(throwing: error)
    }

    /// Cancels a job that has not started: its caller gets `CancellationError` at once and the
    /// thread will skip it. A running job is left to finish.
    func cancel() {
        let continuation = state.withLock { state -> CheckedContinuation<Result, any Error>? in
            switch state {
            case nil:
                state = .cancelledBeforeStart
                return nil
            case .waiting(let continuation):
                state = .finished
                return continuation
            case .running, .cancelledBeforeStart, .finished:
                return nil
            }
        }
        continuation?.resume(throwing: CancellationError())
    }
}
