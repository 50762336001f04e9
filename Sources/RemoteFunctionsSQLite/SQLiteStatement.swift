internal import CSQLite
import Foundation

/// A prepared statement of one ``SQLiteConnection``.
///
/// Statements are cached by their SQL text: ``SQLiteConnection/prepare(_:)`` returns the same
/// statement each time, so a loop that runs one statement many times compiles it once. Each
/// call to ``run(_:)``, ``query(_:_:)`` or ``forEachRow(_:_:)`` resets the statement and binds
/// its parameters afresh.
public final class SQLiteStatement {
    let handle: OpaquePointer
    private let database: OpaquePointer
    /// The SQL text the statement was prepared from.
    public let sql: String
    var isInUse = false

    init(database: OpaquePointer, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteError.fromConnection(database, resultCode: code, context: "prepare failed")
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of `?` parameters the statement expects.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Runs the statement to completion with `bindings` and returns the number of rows it
    /// inserted, updated or deleted.
    @discardableResult
    public func run(_ bindings: [any SQLiteBindable] = []) throws(SQLiteError) -> Int {
        try start(bindings)
        defer { finish() }
        while try step() {}
        return Int(sqlite3_changes(database))
    }

    /// Runs the statement with `bindings` and maps each row with `transform`.
    public func query<Row>(
        _ bindings: [any SQLiteBindable] = [], _ transform: (SQLiteRow) throws -> Row
    ) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(bindings) { row in rows.append(try transform(row)) }
        return rows
    }

    /// Runs the statement with `bindings` and calls `body` for each row, without collecting them.
    public func forEachRow(_ bindings: [any SQLiteBindable] = [], _ body: (SQLiteRow) throws -> Void) throws {
        try start(bindings)
        defer { finish() }
        let row = SQLiteRow(statement: handle)
        while try step() {
            try body(row)
        }
    }

    private func start(_ bindings: [any SQLiteBindable]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard bindings.count == parameterCount else {
            throw SQLiteError(
                resultCode: SQLITE_RANGE,
                message: "statement expects \(parameterCount) parameters, got \(bindings.count)")
        }
        isInUse = true
        for (offset, binding) in bindings.enumerated() {
            try bind(binding.sqliteValue, at: Int32(offset + 1))
        }
    }

    private func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        isInUse = false
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            code = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            code = sqlite3_bind_text(handle, index, text, -1, Self.transient)
        case .blob(let data):
            code = data.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count), Self.transient)
            }
        case .null:
            code = sqlite3_bind_null(handle, index)
        }
        guard code == SQLITE_OK else {
            isInUse = false
            throw SQLiteError.fromConnection(database, resultCode: code, context: "bind failed")
        }
    }

    /// Advances to the next row; `false` once the statement is done.
    private func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError.fromConnection(database, resultCode: code, context: "step failed")
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}

/// A statement belongs to the thread of its connection.
@available(*, unavailable)
extension SQLiteStatement: Sendable {}
