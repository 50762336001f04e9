import Foundation

/// A bounded pool of PostgreSQL connections, each owned by its own dedicated thread.
///
/// libpq is blocking, so no libpq call ever runs on a caller's thread (an event loop or Swift's
/// cooperative pool): ``withConnection(_:)`` queues your closure, one of the pool's threads runs
/// it with its connection, and the awaiting task resumes through a continuation. The queue is
/// the waiters queue: with every connection busy, calls wait their turn in order.
///
/// Connections open lazily, on a thread's first job. Before each job the thread checks its
/// connection and reconnects it when it is missing or broke while idle (a server restart, a
/// `pg_terminate_backend`), so a broken connection costs at most the one job that was running
/// on it when it broke. After each job a transaction left open is rolled back.
public final class PostgresPool: Sendable {
    /// How the pool behaves.
    public struct Configuration: Sendable, Hashable {
        /// The number of connections (and threads); at least 1.
        public var maximumConnections: Int
        /// How long a job may wait for a free connection before it fails with
        /// ``PostgresError/Kind/poolTimeout``. Checked when a connection frees up.
        public var queueTimeout: Duration

        /// Creates a configuration: 8 connections and a 30 s queue timeout by default.
        public init(maximumConnections: Int = 8, queueTimeout: Duration = .seconds(30)) {
            self.maximumConnections = max(1, maximumConnections)
            self.queueTimeout = queueTimeout
        }
    }

    /// The options each connection is opened with.
    public let options: PostgresConnectionOptions
    /// The pool's configuration.
    public let configuration: Configuration
    private let queue: PostgresJobQueue
    private let exits: ThreadExits

    /// Creates a pool for `url` and starts its threads. No connection is opened until the first
    /// job, so this never fails; connection errors surface from the calls.
    public convenience init(url: String, configuration: Configuration = Configuration()) {
        self.init(options: PostgresConnectionOptions(url: url), configuration: configuration)
    }

    /// Creates a pool with full connection options and starts its threads.
    public init(options: PostgresConnectionOptions, configuration: Configuration = Configuration()) {
        self.options = options
        self.configuration = configuration
        let threadCount = configuration.maximumConnections
        let queue = PostgresJobQueue(threadCount: threadCount)
        let exits = ThreadExits(threadCount: threadCount)
        self.queue = queue
        self.exits = exits
        let queueTimeout = configuration.queueTimeout
        for index in 0..<threadCount {
            let thread = Thread {
                Self.serve(queue: queue, options: options, queueTimeout: queueTimeout)
                exits.threadExited()
            }
            thread.name = "postgres-\(index)"
            thread.start()
        }
    }

    /// The body of each pool thread. The connection is a local of this function: it cannot
    /// escape the thread, and it is closed on this thread when the queue closes.
    private static func serve(queue: PostgresJobQueue, options: PostgresConnectionOptions, queueTimeout: Duration) {
        let connection = PostgresConnection(options: options)
        let clock = ContinuousClock()
        while let job = queue.next() {
            if clock.now - job.enqueuedAt > queueTimeout {
                job.fail(PostgresError(kind: .poolTimeout, message: "no connection became free within \(queueTimeout)"))
                continue
            }
            do {
                try connection.prepareForUse()
            } catch {
                job.fail(error)
                continue
            }
            if job.run(connection) { connection.absorbLateCancel() }
            connection.resetAfterUse()
        }
        connection.close()
    }

    /// Runs `body` on one of the pool's threads with that thread's connection and returns its
    /// result.
    ///
    /// When the calling task is cancelled while the job waits for a connection, the call throws
    /// `CancellationError` at once and the job never runs. When it is cancelled while the job
    /// runs, the server is asked to cancel the running statement (`PQcancel`): a long query stops
    /// early, `body` sees its error, and the call throws `CancellationError`. Throws
    /// ``PostgresError/closed`` once the pool is closed.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        let ticket = PostgresJobTicket<Result>()
        do {
            return try await run(ticket, body)
        } catch {
            if ticket.sentCancelRequest { throw CancellationError() }
            throw error
        }
    }

    private func run<Result: Sendable>(
        _ ticket: PostgresJobTicket<Result>, _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                ticket.install(continuation)
                let job = PostgresJob(
                    enqueuedAt: ContinuousClock.now,
                    run: { connection in
                        guard ticket.start(cancelRequest: connection.makeCancelRequest()) else { return false }
                        ticket.finish(Swift.Result { try body(connection) })
                        guard ticket.sentCancelRequest else { return false }
                        // A cancel sent after the statement ended must not reach the next job's.
                        ticket.waitUntilCancelRequestSent()
                        return true
                    },
                    fail: { error in ticket.fail(error) })
                if !queue.enqueue(job) {
                    ticket.fail(.closed)
                }
            }
        } onCancel: {
            ticket.cancel()
        }
    }

    /// Runs `body` in a transaction on one of the pool's threads: `BEGIN` (at `isolation`),
    /// then `COMMIT`, or `ROLLBACK` when `body` or the commit throws. See
    /// ``PostgresConnection/transaction(isolation:_:)``.
    public func transaction<Result: Sendable>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try connection.transaction(isolation: isolation, body)
        }
    }

    /// The number of jobs waiting for a free connection.
    public var waitingCount: Int { queue.waitingCount }

    /// Refuses new jobs, lets the queued ones finish, and returns once every thread has closed
    /// its connection and exited.
    public func close() async {
        queue.close()
        await exits.waitForAll()
    }

    deinit {
        queue.close()
    }
}
