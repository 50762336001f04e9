/// The request line and header section of one request, validated and interpreted by ``HTTPRequestParser``.
public struct HTTPRequestHead: Sendable, Hashable {
    /// The method token, case-sensitive as sent (for example `GET`).
    public var method: String
    /// The request-target exactly as sent (for example `/ticks?count=3`).
    public var target: String
    /// The path of the target, still percent-encoded: the part before `?` of an origin-form target, the
    /// path of an absolute-form target (`/` when it has none), `*` for asterisk-form and the authority for
    /// `CONNECT`.
    public var path: String
    /// The query of the target without its `?`, still percent-encoded, or `nil` when there is no `?`.
    public var query: String?
    /// The protocol version: HTTP/1.0 or HTTP/1.1.
    public var version: HTTPVersion
    /// The header fields in the order received.
    public var headers: HTTPHeaders
    /// How the body is delimited: `.none`, `.contentLength` or `.chunked` (never `.untilClose`).
    public var framing: HTTPBodyFraming
    /// Whether the connection may carry another request after this one: HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive` (and never with `close`).
    public var keepAlive: Bool
    /// Whether an HTTP/1.1 client sent `Expect: 100-continue` and waits for `100 Continue` before sending
    /// the body. Always `false` for HTTP/1.0, where the expectation must be ignored.
    public var expectsContinue: Bool

    /// Creates a request head from its parts.
    public init(
        method: String,
        target: String,
        path: String,
        query: String?,
        version: HTTPVersion,
        headers: HTTPHeaders,
        framing: HTTPBodyFraming,
        keepAlive: Bool,
        expectsContinue: Bool
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
