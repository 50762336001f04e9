import Foundation
import Synchronization

/// The awaiting side of one queued job: holds its continuation until exactly one of "a thread
/// starts it", "its task is cancelled while it waits" or "it fails without running" happens.
/// A task cancelled while its job runs sends the connection's cancel request, so a long statement
/// stops early. The continuation is always resumed outside the lock.
final class PostgresJobTicket<Result: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Result, any Error>)
        case running(CheckedContinuation<Result, any Error>, PostgresCancelRequest?)
        case cancelledBeforeStart
        case finished
    }

    /// What ``cancel()`` does once it has released the lock.
    private enum CancelAction {
        case none
        case resume(CheckedContinuation<Result, any Error>)
        case cancelStatement(PostgresCancelRequest)
    }

    private let state = Mutex<State?>(nil)
    private let cancelSent = Atomic(false)
    /// Signalled once the cancel request has been sent.
    private let cancelRequestSent = DispatchSemaphore(value: 0)

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

    /// Marks the job as running, with the request that cancels its connection's statement;
    /// `false` when it must be skipped (cancelled while waiting).
    func start(cancelRequest: PostgresCancelRequest?) -> Bool {
        state.withLock { state in
            guard case .waiting(let continuation) = state else { return false }
            state = .running(continuation, cancelRequest)
            return true
        }
    }

    /// Whether ``cancel()`` sent a cancel request while the job ran.
    var sentCancelRequest: Bool { cancelSent.load(ordering: .acquiring) }

    /// Resumes the running job's continuation with its outcome.
    func finish(_ outcome: Swift.Result<Result, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Result, any Error>? in
            guard case .running(let continuation, _) = state else { return nil }
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

    /// Cancels the job. One that has not started: its caller gets `CancellationError` at once and
    /// the thread will skip it. A running one: the server is asked to cancel the statement it runs
    /// (the job then ends with the statement's error, which the caller sees as `CancellationError`).
    func cancel() {
        let action = state.withLock { state -> CancelAction in
            switch state {
            case nil:
                state = .cancelledBeforeStart
                return .none
            case .waiting(let continuation):
                state = .finished
                return .resume(continuation)
            case .running(let continuation, let request?):
                // Marked under the lock, so the job's end (``finish(_:)`` then
                // ``sentCancelRequest``) either sees it and waits for the request, or came first.
                cancelSent.store(true, ordering: .releasing)
                state = .running(continuation, nil)
                return .cancelStatement(request)
            case .running(_, nil), .cancelledBeforeStart, .finished:
                return .none
            }
        }
        switch action {
        case .none:
            break
        case .resume(let continuation):
            continuation.resume(throwing: CancellationError())
        case .cancelStatement(let request):
            // Blocking (a short exchange with the server), so it runs on its own thread rather
            // than in the cancelling task; the pool thread waits for it before its next job.
            let sent = cancelRequestSent
            let thread = Thread {
                request.send()
                sent.signal()
            }
            thread.start()
        }
    }

    /// Blocks (on the pool thread, after the job) until the cancel request that ``cancel()``
    /// started has been taken by the server. Call only when ``sentCancelRequest`` is `true`.
    func waitUntilCancelRequestSent() {
        cancelRequestSent.wait()
    }
}
