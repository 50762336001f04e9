public import Foundation

/// A value SQLite stores: one of its five storage classes.
public enum SQLiteValue: Sendable, Hashable {
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A 64-bit IEEE floating-point number.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob(Data)
    /// SQL `NULL`.
    case null

    /// A date stored as integer milliseconds since 1970 (the default for `Date` bindings).
    /// Sorts and compares as a number, and is what every column written by this package uses.
    public static func unixMilliseconds(_ date: Date) -> SQLiteValue {
        .integer(Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// A date stored as ISO 8601 text with milliseconds in UTC, such as
    /// `2026-12-04T15:46:00.123Z`; readable by people and by SQLite's date functions.
    public static func iso8601(_ date: Date) -> SQLiteValue {
        .text(date.formatted(SQLiteDateFormat.iso8601))
    }
}

/// A Swift value that can be bound to a statement parameter.
///
/// `Int`, `Int64`, `Double`, `Bool`, `String`, `Data`, `Date` (as unix milliseconds),
/// ``SQLiteValue`` and optionals of them (`nil` binds `NULL`) conform.
public protocol SQLiteBindable: Sendable {
    /// The value to bind.
    var sqliteValue: SQLiteValue { get }
}

extension SQLiteValue: SQLiteBindable {
    /// The value itself.
    public var sqliteValue: SQLiteValue { self }
}

extension Int64: SQLiteBindable {
    /// `.integer`.
    public var sqliteValue: SQLiteValue { .integer(self) }
}

extension Int: SQLiteBindable {
    /// `.integer`.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Double: SQLiteBindable {
    /// `.real`.
    public var sqliteValue: SQLiteValue { .real(self) }
}

extension Bool: SQLiteBindable {
    /// `.integer(1)` or `.integer(0)`.
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}

extension String: SQLiteBindable {
    /// `.text`.
    public var sqliteValue: SQLiteValue { .text(self) }
}

extension Data: SQLiteBindable {
    /// `.blob`.
    public var sqliteValue: SQLiteValue { .blob(self) }
}

extension Date: SQLiteBindable {
    /// Integer milliseconds since 1970; see ``SQLiteValue/unixMilliseconds(_:)``.
    public var sqliteValue: SQLiteValue { .unixMilliseconds(self) }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// The wrapped value, or `.null`.
    public var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}
