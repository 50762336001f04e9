internal import CSQLite

/// A failure reported by SQLite, or by this layer around it.
///
/// The ``message`` comes from `sqlite3_errmsg` (or from this layer) and never contains bound
/// values, so it is safe to write to a server log. It is not meant for clients: a remote function
/// that fails with an `SQLiteError` reaches its client as an `internal` error with a generic
/// message.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary SQLite result code, such as `SQLITE_BUSY` (5) or `SQLITE_CONSTRAINT` (19).
    public var resultCode: Int32
    /// The extended result code, such as `SQLITE_CONSTRAINT_UNIQUE` (2067); equal to
    /// ``resultCode`` when SQLite gave no extended code.
    public var extendedResultCode: Int32
    /// What went wrong, safe to log.
    public var message: String

    /// Creates an error.
    public init(resultCode: Int32, extendedResultCode: Int32? = nil, message: String) {
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
    }

    /// `SQLite error <code>: <message>`.
    public var description: String { "SQLite error \(extendedResultCode): \(message)" }

    /// Whether a constraint (unique, check, foreign key, not null) rejected the statement.
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    /// Whether the database stayed locked longer than the busy timeout.
    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }

    /// Whether the statement was interrupted, which happens when the task awaiting a read is
    /// cancelled.
    public var isInterrupted: Bool { resultCode == SQLITE_INTERRUPT }

    /// The error thrown by every call on a database that has been closed.
    public static let closed = SQLiteError(resultCode: SQLITE_MISUSE, message: "the database is closed")

    /// Builds an error from a connection's last failure.
    static func fromConnection(_ handle: OpaquePointer?, resultCode: Int32, context: String) -> SQLiteError {
        let detail =
            handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(resultCode))
        let extended = handle.map { sqlite3_extended_errcode($0) }
        return SQLiteError(
            resultCode: resultCode & 0xFF, extendedResultCode: extended, message: "\(context): \(detail)")
    }
}
