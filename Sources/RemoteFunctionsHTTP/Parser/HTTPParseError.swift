/// Why a message was rejected, with the HTTP status a server should answer with.
///
/// `reason` is a fixed, short English phrase that never echoes the peer's bytes, so it is safe to send
/// back to a client. After a parser throws one of these it stays failed: the connection must be closed
/// (after sending the error response, for a server).
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status to answer with: 400 (malformed or ambiguous), 431 (head too large), 501 (unsupported
    /// transfer coding) or 505 (unsupported HTTP version).
    public var status: Int
    /// A short, client-safe explanation.
    public var reason: String

    /// Creates an error with a status and a client-safe reason.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `status reason`, for logs.
    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 400, reason: reason)
    }

    static func headerFieldsTooLarge(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 431, reason: reason)
    }

    static let bareCR = badRequest("Bare CR is not allowed")
    static let bareLF = badRequest("Lines must end with CRLF")
    static let headTooLarge = headerFieldsTooLarge("Header section too large")
    static let tooManyFields = headerFieldsTooLarge("Too many header fields")
    static let trailersTooLarge = headerFieldsTooLarge("Trailer section too large")
    static let versionNotSupported = HTTPParseError(status: 505, reason: "HTTP version not supported")
    static let unsupportedTransferCoding = HTTPParseError(status: 501, reason: "Unsupported transfer coding")
    static let incompleteMessage = badRequest("Connection closed before the message was complete")
}
