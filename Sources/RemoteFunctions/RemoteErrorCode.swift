extension RemoteError {
    /// One of the 16 canonical gRPC/Connect codes, written in snake_case on the wire.
    ///
    /// A struct over a private enum, so that codes can be added without breaking users' `switch`
    /// statements.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, CaseIterable, Sendable {
            case cancelled, unknown
            case invalidArgument = "invalid_argument"
            case deadlineExceeded = "deadline_exceeded"
            case notFound = "not_found"
            case alreadyExists = "already_exists"
            case permissionDenied = "permission_denied"
            case resourceExhausted = "resource_exhausted"
            case failedPrecondition = "failed_precondition"
            case aborted
            case outOfRange = "out_of_range"
            case unimplemented
            case `internal`
            case unavailable
            case dataLoss = "data_loss"
            case unauthenticated
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// Parses a snake_case wire name; `nil` for a name this version does not know.
        public init?(wireName: String) {
            guard let value = Value(rawValue: wireName) else { return nil }
            self.value = value
        }

        /// The snake_case name used on the wire, such as `invalid_argument`.
        public var wireName: String { value.rawValue }

        /// The snake_case wire name.
        public var description: String { value.rawValue }

        /// Every code this version knows.
        public static var allCases: [Code] { Value.allCases.map(Code.init) }

        /// The operation was cancelled, typically by the caller.
        public static let cancelled = Code(.cancelled)
        /// An error with no better code.
        public static let unknown = Code(.unknown)
        /// The arguments are malformed or invalid.
        public static let invalidArgument = Code(.invalidArgument)
        /// The deadline expired before the operation could complete.
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// A requested entity (or function) was not found.
        public static let notFound = Code(.notFound)
        /// The entity that a client tried to create already exists.
        public static let alreadyExists = Code(.alreadyExists)
        /// The caller is known but may not do this.
        public static let permissionDenied = Code(.permissionDenied)
        /// A quota or limit was reached.
        public static let resourceExhausted = Code(.resourceExhausted)
        /// The system is not in a state required for the operation.
        public static let failedPrecondition = Code(.failedPrecondition)
        /// The operation was aborted, typically by a concurrency conflict.
        public static let aborted = Code(.aborted)
        /// A value was past the valid range.
        public static let outOfRange = Code(.outOfRange)
        /// The operation is not implemented, or the method is not supported.
        public static let unimplemented = Code(.unimplemented)
        /// An internal error; the detail is only in the server's log.
        public static let `internal` = Code(.internal)
        /// The service is temporarily unavailable; retrying with backoff is expected to work.
        public static let unavailable = Code(.unavailable)
        /// Unrecoverable data loss or corruption.
        public static let dataLoss = Code(.dataLoss)
        /// The request has no valid credentials.
        public static let unauthenticated = Code(.unauthenticated)

        /// The HTTP status that carries this code.
        public var httpStatus: Int {
            switch value {
            case .cancelled: 499
            case .unknown, .internal, .dataLoss: 500
            case .invalidArgument, .failedPrecondition, .outOfRange: 400
            case .deadlineExceeded: 504
            case .notFound: 404
            case .alreadyExists, .aborted: 409
            case .permissionDenied: 403
            case .resourceExhausted: 429
            case .unimplemented: 501
            case .unavailable: 503
            case .unauthenticated: 401
            }
        }

        /// Whether a client retries automatically (unary calls that are safe to repeat, and stream
        /// reconnects): only `unavailable` and `deadline_exceeded`.
        public var isRetryable: Bool {
            value == .unavailable || value == .deadlineExceeded
        }

        /// The code a client assumes for an HTTP error status whose body is not a remote-functions
        /// error (for example a proxy's 502).
        public init(httpStatus: Int) {
            switch httpStatus {
            case 400: self = .invalidArgument
            case 401: self = .unauthenticated
            case 403: self = .permissionDenied
            case 404: self = .notFound
            case 405, 501: self = .unimplemented
            case 408, 504: self = .deadlineExceeded
            case 409: self = .aborted
            case 413, 429, 431: self = .resourceExhausted
            case 499: self = .cancelled
            case 502, 503: self = .unavailable
            default: self = .unknown
            }
        }
    }
}
