/// A failure reported by PostgreSQL or libpq, or by this layer around them.
///
/// ``message`` is safe to write to a server log: it is the server's primary message (which names
/// objects such as a constraint, never the statement's parameters or row values) or a message of
/// this layer. It is not meant for clients: a remote function that fails with a `PostgresError`
/// should reach its client as an `internal` (or, for ``isConnectionFailure``, `unavailable`) error
/// with a generic message.
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case connectionFailed, statementFailed, transactionAborted, decodingFailed
            case poolClosed, poolTimeout, invalidArgument
        }

        private let value: Value

        /// The server could not be reached, or the connection broke during the call.
        public static let connectionFailed = Kind(value: .connectionFailed)
        /// The server rejected or failed a statement; ``PostgresError/sqlState`` says why.
        public static let statementFailed = Kind(value: .statementFailed)
        /// A statement failed inside a transaction that the caller then tried to commit.
        public static let transactionAborted = Kind(value: .transactionAborted)
        /// A column could not be read as the requested Swift type.
        public static let decodingFailed = Kind(value: .decodingFailed)
        /// The pool (or listener) was closed before or during the call.
        public static let poolClosed = Kind(value: .poolClosed)
        /// No connection of the pool became free before the configured queue timeout.
        public static let poolTimeout = Kind(value: .poolTimeout)
        /// The caller passed something this layer cannot send (such as a malformed URL).
        public static let invalidArgument = Kind(value: .invalidArgument)

        /// The kind's name, such as `statementFailed`.
        public var description: String {
            switch value {
            case .connectionFailed: "connectionFailed"
            case .statementFailed: "statementFailed"
            case .transactionAborted: "transactionAborted"
            case .decodingFailed: "decodingFailed"
            case .poolClosed: "poolClosed"
            case .poolTimeout: "poolTimeout"
            case .invalidArgument: "invalidArgument"
            }
        }
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The five-character SQLSTATE the server reported, such as `23505` (unique violation) or
    /// `40001` (serialization failure); `nil` when the failure did not come from the server.
    public var sqlState: String?
    /// What went wrong, safe to log (see the type's documentation).
    public var message: String

    /// Creates an error.
    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    /// `PostgreSQL <kind> [SQLSTATE]: <message>`.
    public var description: String {
        if let sqlState { return "PostgreSQL \(kind) [\(sqlState)]: \(message)" }
        return "PostgreSQL \(kind): \(message)"
    }

    /// Whether the connection to the server failed or broke; retrying on a fresh connection may
    /// succeed. SQLSTATE class 08 and the administrator-shutdown codes (57P01–57P03) count too.
    public var isConnectionFailure: Bool {
        if kind == .connectionFailed { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// Whether a unique, foreign-key, check or not-null constraint rejected the statement
    /// (SQLSTATE class 23).
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }

    /// Whether a serializable or repeatable-read transaction lost a race (`40001`) or a deadlock
    /// was broken (`40P01`); the whole transaction can be retried.
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The error thrown by every call on a closed pool or listener.
    public static let closed = PostgresError(kind: .poolClosed, message: "the connection pool is closed")
}
