internal import CLibPQ
public import Foundation

/// One row of a result, valid only inside the closure that receives it.
///
/// Values arrive in PostgreSQL's text format. Accessors take a zero-based column index and throw
/// ``PostgresError/Kind/decodingFailed`` when the column is `NULL` or its text does not read as
/// the requested type; the `optional…` accessors return `nil` for `NULL` instead.
public struct PostgresRow {
    let result: OpaquePointer
    let row: Int32

    /// The number of columns in the row.
    public var columnCount: Int { Int(PQnfields(result)) }

    /// The name of the column at `column`.
    public func columnName(_ column: Int) -> String {
        PQfname(result, Int32(column)).map { String(cString: $0) } ?? ""
    }

    /// The index of the column called `name`, or `nil` when there is none.
    public func columnIndex(named name: String) -> Int? {
        let index = PQfnumber(result, name)
        return index < 0 ? nil : Int(index)
    }

    /// Whether the column holds `NULL`.
    public func isNull(_ column: Int) -> Bool {
        PQgetisnull(result, row, Int32(column)) == 1
    }

    /// The column's text, or `nil` for `NULL`.
    public func optionalString(_ column: Int) -> String? {
        guard column >= 0, column < columnCount, !isNull(column), let value = PQgetvalue(result, row, Int32(column))
        else { return nil }
        let length = Int(PQgetlength(result, row, Int32(column)))
        return value.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
    }

    /// The column's text.
    public func string(_ column: Int) throws(PostgresError) -> String {
        guard let text = optionalString(column) else { throw nullColumn(column) }
        return text
    }

    /// The column as a 64-bit integer, or `nil` for `NULL`.
    public func optionalInt64(_ column: Int) throws(PostgresError) -> Int64? {
        guard let text = optionalString(column) else { return nil }
        guard let value = Int64(text) else { throw unreadable(column, as: "an integer") }
        return value
    }

    /// The column as a 64-bit integer.
    public func int64(_ column: Int) throws(PostgresError) -> Int64 {
        guard let value = try optionalInt64(column) else { throw nullColumn(column) }
        return value
    }

    /// The column as an `Int`, or `nil` for `NULL`.
    public func optionalInt(_ column: Int) throws(PostgresError) -> Int? {
        try optionalInt64(column).map { Int($0) }
    }

    /// The column as an `Int`.
    public func int(_ column: Int) throws(PostgresError) -> Int {
        Int(try int64(column))
    }

    /// The column as a `Double` (also reads `numeric`, `NaN` and `±Infinity`), or `nil` for `NULL`.
    public func optionalDouble(_ column: Int) throws(PostgresError) -> Double? {
        guard let text = optionalString(column) else { return nil }
        guard let value = Double(text) else { throw unreadable(column, as: "a number") }
        return value
    }

    /// The column as a `Double`.
    public func double(_ column: Int) throws(PostgresError) -> Double {
        guard let value = try optionalDouble(column) else { throw nullColumn(column) }
        return value
    }

    /// The column as a `Bool` (`t` or `f`), or `nil` for `NULL`.
    public func optionalBool(_ column: Int) throws(PostgresError) -> Bool? {
        switch optionalString(column) {
        case nil: return nil
        case "t", "true": return true
        case "f", "false": return false
        default: throw unreadable(column, as: "a boolean")
        }
    }

    /// The column as a `Bool`.
    public func bool(_ column: Int) throws(PostgresError) -> Bool {
        guard let value = try optionalBool(column) else { throw nullColumn(column) }
        return value
    }

    /// The column as a date (a `timestamptz` or `timestamp` read as UTC), or `nil` for `NULL`.
    public func optionalDate(_ column: Int) throws(PostgresError) -> Date? {
        guard let text = optionalString(column) else { return nil }
        guard let date = PostgresDateFormat.parse(text) else { throw unreadable(column, as: "a timestamp") }
        return date
    }

    /// The column as a date.
    public func date(_ column: Int) throws(PostgresError) -> Date {
        guard let value = try optionalDate(column) else { throw nullColumn(column) }
        return value
    }

    /// The column as bytes (a `bytea` in hex format), or `nil` for `NULL`.
    public func optionalData(_ column: Int) throws(PostgresError) -> Data? {
        guard let text = optionalString(column) else { return nil }
        let hex = Array(text.utf8)
        guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"), hex.count % 2 == 0 else {
            throw unreadable(column, as: "bytes")
        }
        var data = Data(capacity: (hex.count - 2) / 2)
        var index = 2
        while index < hex.count {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else {
                throw unreadable(column, as: "bytes")
            }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }

    /// The column as bytes.
    public func data(_ column: Int) throws(PostgresError) -> Data {
        guard let value = try optionalData(column) else { throw nullColumn(column) }
        return value
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func nullColumn(_ column: Int) -> PostgresError {
        if column < 0 || column >= columnCount {
            return PostgresError(
                kind: .decodingFailed, message: "column \(column) is out of range (\(columnCount) columns)")
        }
        return PostgresError(kind: .decodingFailed, message: "column \(column) (\(columnName(column))) is NULL")
    }

    private func unreadable(_ column: Int, as type: String) -> PostgresError {
        PostgresError(kind: .decodingFailed, message: "column \(column) (\(columnName(column))) is not \(type)")
    }
}

/// A row points into a result owned by one connection's thread.
@available(*, unavailable)
extension PostgresRow: Sendable {}
