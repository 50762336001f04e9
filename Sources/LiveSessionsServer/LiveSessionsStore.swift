public import Foundation
public import RemoteFunctionsSQLite

/// The LiveSessions data: sessions, participants and board entities in SQLite.
///
/// Every operation is `async` and runs on the database's own threads. Invalid input throws a
/// `RemoteError` with code `invalid_argument`, an unknown session, participant or entity one with
/// code `not_found`; these messages are safe to send to clients. Storage failures throw
/// ``SQLiteError``, which the server reports to clients only as `internal`.
///
/// ## Change notifications
/// After each write transaction commits, and before the writer starts the next one, the store
/// calls `onCommit` with the topics the transaction touched:
/// - `sessions` when a session is created;
/// - `session:CODE` when anything in session `CODE` changes (participants, entities);
/// - `entity:ID` when entity `ID` is created or updated.
///
/// `onCommit` runs on the writer thread, so notifications arrive in commit order; it must return
/// quickly and never block (publish to a change feed and return).
public final class LiveSessionsStore: Sendable {
    /// The underlying database.
    public let database: SQLiteDatabase
    let onCommit: @Sendable ([String]) -> Void
    let clock: @Sendable () -> Date

    /// Wraps an open database and brings its schema up to date (``LiveSessionsSchema``).
    ///
    /// - Parameters:
    ///   - onCommit: called with the touched topics after each committed write (see above).
    ///   - clock: the time stamped on new rows and used by analytics; tests inject a fixed one.
    public init(
        database: SQLiteDatabase,
        onCommit: @escaping @Sendable ([String]) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.database = database
        self.onCommit = onCommit
        self.clock = clock
        try await database.migrate(LiveSessionsSchema.migrations)
    }

    /// Opens (creating it if needed) `live-sessions.sqlite` in `dataDirectory` and migrates it.
    /// `configuration` sets, among others, how many reader threads serve reads (default 2).
    public static func open(
        dataDirectory: String,
        configuration: SQLiteDatabase.Configuration = SQLiteDatabase.Configuration(),
        onCommit: @escaping @Sendable ([String]) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> LiveSessionsStore {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("live-sessions.sqlite").path
        let database = try await SQLiteDatabase(path: path, configuration: configuration)
        return try await LiveSessionsStore(database: database, onCommit: onCommit, clock: clock)
    }

    /// Closes the database after the queued work.
    public func close() async {
        await database.close()
    }

    /// Runs `body` in one write transaction; after it commits, publishes the topics it returned.
    func write<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> (Result, topics: [String])
    ) async throws -> Result {
        let onCommit = self.onCommit
        return try await database.write { connection in
            let (result, topics) = try connection.transaction(body)
            if !topics.isEmpty { onCommit(topics) }
            return result
        }
    }

    /// The topic of everything in a session.
    public static func sessionTopic(_ code: String) -> String { "session:\(code)" }

    /// The topic of one entity.
    public static func entityTopic(_ id: Int) -> String { "entity:\(id)" }

    /// The topic of the list of sessions.
    public static let sessionsTopic = "sessions"
}
