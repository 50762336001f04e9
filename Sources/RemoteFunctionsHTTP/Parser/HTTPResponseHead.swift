/// The status line and header section of one response, validated and interpreted by ``HTTPResponseParser``.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The protocol version: HTTP/1.0 or HTTP/1.1.
    public var version: HTTPVersion
    /// The three-digit status code, 100 through 599.
    public var status: Int
    /// The reason phrase, possibly empty.
    public var reason: String
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// How the body is delimited. Responses to HEAD and 1xx, 204 and 304 responses have `.none`, whatever
    /// their headers say.
    public var framing: HTTPBodyFraming
    /// Whether the connection may carry another exchange after this response: `false` for `Connection:
    /// close`, for HTTP/1.0 without `Connection: keep-alive`, and for bodies delimited by the close.
    public var keepAlive: Bool

    /// Creates a response head from its parts.
    public init(
        version: HTTPVersion,
        status: Int,
        reason: String,
        headers: HTTPHeaders,
        framing: HTTPBodyFraming,
        keepAlive: Bool
    ) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
    }
}
