internal import CSQLite
public import Foundation

/// The current row of a statement, valid only inside the closure that receives it.
///
/// Accessors take a zero-based column index and follow SQLite's own coercions: reading `NULL`
/// as a number gives 0 and as text gives `""`; use the `optional…` accessors or ``isNull(_:)``
/// to tell `NULL` apart.
public struct SQLiteRow {
    let statement: OpaquePointer

    /// The number of columns in the row.
    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    /// Whether the column holds `NULL`.
    public func isNull(_ column: Int) -> Bool {
        sqlite3_column_type(statement, Int32(column)) == SQLITE_NULL
    }

    /// The column as a 64-bit integer.
    public func int64(_ column: Int) -> Int64 {
        sqlite3_column_int64(statement, Int32(column))
    }

    /// The column as an `Int`.
    public func int(_ column: Int) -> Int {
        Int(sqlite3_column_int64(statement, Int32(column)))
    }

    /// The column as a `Double`.
    public func double(_ column: Int) -> Double {
        sqlite3_column_double(statement, Int32(column))
    }

    /// The column as text (`""` for `NULL`).
    public func string(_ column: Int) -> String {
        guard let text = sqlite3_column_text(statement, Int32(column)) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes (empty for `NULL`).
    public func data(_ column: Int) -> Data {
        guard let bytes = sqlite3_column_blob(statement, Int32(column)) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(statement, Int32(column))))
    }

    /// The column as a date: an integer or real is read as milliseconds since 1970, text as
    /// ISO 8601. `NULL` or unreadable text gives the reference date 1970-01-01.
    public func date(_ column: Int) -> Date {
        optionalDate(column) ?? Date(timeIntervalSince1970: 0)
    }

    /// The column as an integer, or `nil` for `NULL`.
    public func optionalInt64(_ column: Int) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// The column as an `Int`, or `nil` for `NULL`.
    public func optionalInt(_ column: Int) -> Int? {
        isNull(column) ? nil : int(column)
    }

    /// The column as a `Double`, or `nil` for `NULL`.
    public func optionalDouble(_ column: Int) -> Double? {
        isNull(column) ? nil : double(column)
    }

    /// The column as text, or `nil` for `NULL`.
    public func optionalString(_ column: Int) -> String? {
        isNull(column) ? nil : string(column)
    }

    /// The column as bytes, or `nil` for `NULL`.
    public func optionalData(_ column: Int) -> Data? {
        isNull(column) ? nil : data(column)
    }

    /// The column as a date (see ``date(_:)``), or `nil` for `NULL` or unreadable text.
    public func optionalDate(_ column: Int) -> Date? {
        switch sqlite3_column_type(statement, Int32(column)) {
        case SQLITE_INTEGER: Date(timeIntervalSince1970: Double(int64(column)) / 1000)
        case SQLITE_FLOAT: Date(timeIntervalSince1970: double(column) / 1000)
        case SQLITE_TEXT: SQLiteDateFormat.parse(string(column))
        default: nil
        }
    }

    /// The column in its storage class.
    public func value(_ column: Int) -> SQLiteValue {
        switch sqlite3_column_type(statement, Int32(column)) {
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(double(column))
        case SQLITE_TEXT: .text(string(column))
        case SQLITE_BLOB: .blob(data(column))
        default: .null
        }
    }
}

/// A row points into a statement owned by one connection's thread.
@available(*, unavailable)
extension SQLiteRow: Sendable {}
