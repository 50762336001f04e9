public import Foundation
public import LiveSessionsServer
public import RemoteFunctionsPostgres

/// The LiveSessions data on PostgreSQL: the same operations and semantics as the SQLite
/// `LiveSessionsStore` (through ``LiveSessionsStorage``), for several server instances sharing
/// one database.
///
/// ## Change notifications
/// Each write transaction publishes the topics it touched (`sessions`, `session:CODE`,
/// `entity:ID`, as on SQLite) with `pg_notify` *inside* the transaction, on ``channel``.
/// PostgreSQL delivers the notification to every listening instance, this one included, only
/// when the transaction commits, and delivers the notifications of different transactions in
/// commit order. A ``PostgresChangeListener`` on each instance feeds them to its change feed
/// (see `PostgresLiveFeed`), so local and remote writes reach live queries by one path. After
/// the commit the store also calls `onCommit` with the topics, for local bookkeeping.
public final class PostgresLiveSessionsStore: LiveSessionsStorage {
    /// The connection pool.
    public let pool: PostgresPool
    /// The `NOTIFY` channel changes are published on.
    public let channel: String
    let onCommit: @Sendable ([String]) -> Void
    let clock: @Sendable () -> Date

    /// Wraps a pool and brings the schema up to date (``PostgresLiveSessionsSchema``).
    public init(
        pool: PostgresPool, channel: String = PostgresChange.defaultChannel,
        onCommit: @escaping @Sendable ([String]) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.pool = pool
        self.channel = channel
        self.onCommit = onCommit
        self.clock = clock
        try await pool.migrate(PostgresLiveSessionsSchema.migrations)
    }

    /// Opens a pool on `url` (a `postgres://` URL) and migrates the database.
    public static func open(
        url: String, maximumConnections: Int = 8, channel: String = PostgresChange.defaultChannel,
        onCommit: @escaping @Sendable ([String]) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> PostgresLiveSessionsStore {
        let pool = PostgresPool(url: url, configuration: .init(maximumConnections: maximumConnections))
        do {
            return try await PostgresLiveSessionsStore(pool: pool, channel: channel, onCommit: onCommit, clock: clock)
        } catch {
            await pool.close()
            throw error
        }
    }

    /// Closes the pool after the queued work.
    public func close() async {
        await pool.close()
    }

    /// Runs `body` in one read-committed write transaction that also publishes the topics it
    /// returned (delivered on commit); after the commit, calls `onCommit` with them.
    func write<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> (Result, topics: [String])
    ) async throws -> Result {
        let channel = self.channel
        let (result, topics) = try await pool.transaction { connection in
            let (result, topics) = try body(connection)
            if !topics.isEmpty { try connection.publish(PostgresChange(topics: topics), channel: channel) }
            return (result, topics)
        }
        if !topics.isEmpty { onCommit(topics) }
        return result
    }

    /// Runs `body` in a repeatable-read transaction, so every statement sees one snapshot.
    func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> Result) async throws
        -> Result
    {
        try await pool.transaction(isolation: .repeatableRead, body)
    }
}
