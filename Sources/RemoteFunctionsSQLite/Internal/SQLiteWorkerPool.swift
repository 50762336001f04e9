import CSQLite
import Foundation
import Synchronization

/// A fixed set of dedicated threads, each owning one ``SQLiteConnection``, that take jobs from
/// one shared queue. The writer is a pool of one thread; readers are a pool of a few.
///
/// Connections are opened on, used on, and closed on their own thread; they never leave it.
/// Callers await results through continuations that the threads resume.
final class SQLiteWorkerPool: Sendable {
    private let queue: SQLiteJobQueue
    private let exits: SQLiteThreadExits

    /// Starts `threadCount` threads. Each opens its connection with `open` on itself. The threads
    /// hold the queue, not the pool, so dropping the pool closes the queue and ends them.
    init(
        name: String, threadCount: Int,
        open: @escaping @Sendable () throws -> SQLiteConnection
    ) {
        let queue = SQLiteJobQueue(threadCount: threadCount)
        let exits = SQLiteThreadExits(threadCount: threadCount)
        self.queue = queue
        self.exits = exits
        for index in 0..<threadCount {
            let threadName = threadCount == 1 ? name : "\(name)-\(index)"
            let thread = Thread {
                // The name is for debuggers only; on Linux it is set from inside the thread.
                Thread.current.name = threadName
                SQLiteThreadMarker.markCurrentThread()
                Self.serve(queue: queue, open: open)
                exits.threadExited()
            }
            thread.name = threadName
            thread.start()
        }
    }

    private static func serve(queue: SQLiteJobQueue, open: @Sendable () throws -> SQLiteConnection) {
        // The connection is a local of this thread's function: it cannot escape the thread, and
        // it is closed (deinit) on this thread when the function returns.
        let connection = Result { try open() }
        while let job = queue.next() {
            switch connection {
            case .success(let connection): job.run(connection)
            case .failure(let error): job.fail(error)
            }
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    ///
    /// When the calling task is cancelled before a thread picks the job up, the job is skipped
    /// and `CancellationError` is thrown. When `interruptOnCancel` is set and the task is
    /// cancelled while `body` runs, the running statement is interrupted with `sqlite3_interrupt`
    /// and fails with an ``SQLiteError`` whose ``SQLiteError/isInterrupted`` is true.
    func submit<Result: Sendable>(
        interruptOnCancel: Bool,
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result
    ) async throws -> Result {
        let progress = SQLiteJobProgress()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let job = SQLiteJob(
                    run: { connection in
                        guard progress.start(handle: connection.handle) else {
                            continuation.resume(throwing: CancellationError())
                            return
                        }
                        let result = Swift.Result { try body(connection) }
                        progress.finish()
                        continuation.resume(with: result)
                    },
                    fail: { error in continuation.resume(throwing: error) })
                if !queue.enqueue(job) {
                    continuation.resume(throwing: SQLiteError.closed)
                }
            }
        } onCancel: {
            progress.cancel(interrupt: interruptOnCancel)
        }
    }

    /// Refuses new jobs, lets the queued ones finish, and returns once every thread has closed
    /// its connection and exited.
    func close() async {
        queue.close()
        await exits.waitForAll()
    }

    deinit {
        queue.close()
    }
}

/// Counts the threads of a pool that have exited and wakes those waiting for all of them.
final class SQLiteThreadExits: Sendable {
    private let threadCount: Int
    private let state = Mutex<(exited: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init(threadCount: Int) {
        self.threadCount = threadCount
    }

    func threadExited() {
        let waiters = state.withLock { state in
            state.exited += 1
            guard state.exited == threadCount else { return [CheckedContinuation<Void, Never>]() }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitForAll() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.exited == threadCount { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Tracks one job between the awaiting task and the database thread, so cancellation can skip
/// a queued job or interrupt a running one.
final class SQLiteJobProgress: Sendable {
    private enum State {
        case queued
        /// Running on the connection whose handle has this address.
        case running(handleAddress: Int)
        case cancelled
        case finished
    }

    private let state = Mutex(State.queued)

    /// Marks the job as running; `false` when it was cancelled while queued.
    func start(handle: OpaquePointer) -> Bool {
        state.withLock { state in
            guard case .queued = state else { return false }
            state = .running(handleAddress: Int(bitPattern: UnsafeRawPointer(handle)))
            return true
        }
    }

    func finish() {
        state.withLock { $0 = .finished }
    }

    func cancel(interrupt: Bool) {
        state.withLock { state in
            switch state {
            case .queued:
                state = .cancelled
            case .running(let address):
                // sqlite3_interrupt is safe to call from any thread while the connection is
                // open; it is open because the job holding it has not finished (we are inside
                // the lock that `finish()` takes).
                if interrupt, let handle = OpaquePointer(bitPattern: address) {
                    sqlite3_interrupt(handle)
                }
            case .cancelled, .finished:
                break
            }
        }
    }
}
