public import Foundation

/// A statement parameter, sent to the server in PostgreSQL's text format.
///
/// Each case also fixes the parameter's type when the statement is prepared: integers are sent
/// as `int8`, reals as `float8`, booleans as `bool`, timestamps as `timestamptz` and bytes as
/// `bytea`, while text and `NULL` leave the type to the server, which infers it from the
/// statement (write a cast such as `$1::int4` when it cannot).
public enum PostgresValue: Sendable, Hashable {
    /// A 64-bit signed integer (`int8`).
    case integer(Int64)
    /// A 64-bit IEEE floating-point number (`float8`).
    case real(Double)
    /// A boolean (`bool`).
    case boolean(Bool)
    /// Text; its type is inferred by the server.
    case text(String)
    /// An instant (`timestamptz`), sent with microsecond precision in UTC.
    case timestamp(Date)
    /// Bytes (`bytea`).
    case bytes(Data)
    /// SQL `NULL`.
    case null

    /// The type OID sent with `PQprepare`; 0 lets the server infer it.
    var typeOID: UInt32 {
        switch self {
        case .integer: 20
        case .real: 701
        case .boolean: 16
        case .timestamp: 1184
        case .bytes: 17
        case .text, .null: 0
        }
    }

    /// The text form sent with `PQexecPrepared`; `nil` for `NULL`.
    var text: String? {
        switch self {
        case .integer(let integer): String(integer)
        case .real(let real):
            if real.isNaN { "NaN" } else if real.isInfinite { real < 0 ? "-Infinity" : "Infinity" } else { "\(real)" }
        case .boolean(let boolean): boolean ? "t" : "f"
        case .text(let text): text
        case .timestamp(let date): PostgresDateFormat.format(date)
        case .bytes(let data):
            "\\x"
                + data.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined()
        case .null: nil
        }
    }
}

/// A Swift value that can be passed as a statement parameter.
///
/// `Int`, `Int64`, `Int32`, `Double`, `Bool`, `String`, `Date`, `Data`, ``PostgresValue`` and
/// optionals of them (`nil` sends `NULL`) conform.
public protocol PostgresBindable: Sendable {
    /// The value to send.
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresBindable {
    /// The value itself.
    public var postgresValue: PostgresValue { self }
}

extension Int64: PostgresBindable {
    /// `.integer`.
    public var postgresValue: PostgresValue { .integer(self) }
}

extension Int: PostgresBindable {
    /// `.integer`.
    public var postgresValue: PostgresValue { .integer(Int64(self)) }
}

extension Int32: PostgresBindable {
    /// `.integer`.
    public var postgresValue: PostgresValue { .integer(Int64(self)) }
}

extension Double: PostgresBindable {
    /// `.real`.
    public var postgresValue: PostgresValue { .real(self) }
}

extension Bool: PostgresBindable {
    /// `.boolean`.
    public var postgresValue: PostgresValue { .boolean(self) }
}

extension String: PostgresBindable {
    /// `.text`.
    public var postgresValue: PostgresValue { .text(self) }
}

extension Date: PostgresBindable {
    /// `.timestamp`.
    public var postgresValue: PostgresValue { .timestamp(self) }
}

extension Data: PostgresBindable {
    /// `.bytes`.
    public var postgresValue: PostgresValue { .bytes(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    /// The wrapped value, or `.null`.
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}
