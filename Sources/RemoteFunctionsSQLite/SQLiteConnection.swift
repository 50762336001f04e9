internal import CSQLite

/// One open SQLite connection, owned by one database thread.
///
/// You never create a connection yourself: ``SQLiteDatabase/read(_:)`` and
/// ``SQLiteDatabase/write(_:)`` hand one to your closure on the connection's own thread. The type
/// is deliberately not `Sendable`, so the compiler keeps it (and the C handle inside it) on that
/// thread.
public final class SQLiteConnection {
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var savepointDepth = 0

    /// The most statements kept prepared per connection; past it the cache starts over.
    private static let statementCacheLimit = 256

    init(path: String, readOnly: Bool, configuration: SQLiteDatabase.Configuration) throws(SQLiteError) {
        var handle: OpaquePointer?
        // NOMUTEX: SQLite's "multi-thread" mode. Safe because a connection is only ever used by
        // the one thread that owns it.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError.fromConnection(handle, resultCode: code, context: "cannot open the database")
            sqlite3_close_v2(handle)
            throw error
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        let milliseconds =
            configuration.busyTimeout.components.seconds * 1000
            + configuration.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        if readOnly {
            try execute("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")
        } else {
            try execute(
                """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = \(configuration.synchronous.rawValue);
                PRAGMA foreign_keys = ON;
                """)
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements separated by `;`, without parameters (for schema
    /// scripts and pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw SQLiteError.fromConnection(handle, resultCode: code, context: "execute failed")
        }
    }

    /// The prepared statement for `sql`, compiled on first use and cached for this connection.
    /// When the cached statement is busy (a nested use of the same SQL inside a row loop), a
    /// fresh, uncached statement is returned.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            if !cached.isInUse { return cached }
            return try SQLiteStatement(database: handle, sql: sql)
        }
        if statements.count >= Self.statementCacheLimit { statements.removeAll() }
        let statement = try SQLiteStatement(database: handle, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement to completion and returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: [any SQLiteBindable] = []) throws(SQLiteError) -> Int {
        try prepare(sql).run(bindings)
    }

    /// Runs a query and maps every row with `transform`.
    public func query<Row>(
        _ sql: String, _ bindings: [any SQLiteBindable] = [], _ transform: (SQLiteRow) throws -> Row
    ) throws -> [Row] {
        try prepare(sql).query(bindings, transform)
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryFirst<Row>(
        _ sql: String, _ bindings: [any SQLiteBindable] = [], _ transform: (SQLiteRow) throws -> Row
    ) throws -> Row? {
        var first: Row?
        try prepare(sql).forEachRow(bindings) { row in
            if first == nil { first = try transform(row) }
        }
        return first
    }

    /// Runs a query and calls `body` for each row without collecting them.
    public func forEachRow(
        _ sql: String, _ bindings: [any SQLiteBindable] = [], _ body: (SQLiteRow) throws -> Void
    ) throws {
        try prepare(sql).forEachRow(bindings, body)
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows changed by the last completed statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: `BEGIN IMMEDIATE` (which takes the write lock at once, so
    /// the transaction never fails half-way with `SQLITE_BUSY`), then `COMMIT`; any error thrown
    /// by `body` or by the commit rolls everything back and is rethrown. Called inside another
    /// transaction it uses a savepoint, so the inner part rolls back alone.
    public func transaction<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        if isInTransaction {
            savepointDepth += 1
            defer { savepointDepth -= 1 }
            let name = "nested_\(savepointDepth)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body(self)
                try execute("RELEASE \(name)")
                return result
            } catch {
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` in a deferred (read) transaction, so every statement inside sees one snapshot.
    func readTransaction<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        try execute("BEGIN DEFERRED")
        defer { if isInTransaction { try? execute("ROLLBACK") } }
        return try body(self)
    }
}

/// A connection belongs to the one thread that opened it.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}
