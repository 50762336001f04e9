/// One request as a handler sees it: the parsed head, the peer's address and a streaming body.
public struct HTTPServerRequest: Sendable {
    /// The request line and headers.
    public let head: HTTPRequestHead
    /// The peer's address, `ip:port`.
    public let remoteAddress: String
    /// The body, read on demand.
    public let body: HTTPRequestBody

    /// Creates a request (the server does this; tests may too).
    public init(head: HTTPRequestHead, remoteAddress: String, body: HTTPRequestBody) {
        self.head = head
        self.remoteAddress = remoteAddress
        self.body = body
    }

    /// The method, for example `GET`.
    public var method: String { head.method }
    /// The path, still percent-encoded.
    public var path: String { head.path }
    /// The query without `?`, still percent-encoded, or `nil`.
    public var query: String? { head.query }
    /// The header fields.
    public var headers: HTTPHeaders { head.headers }

    /// The first value of query parameter `name`, percent-decoded (`+` as space), or `nil`.
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if PercentDecoding.decode(String(parts[0])) == name {
                return parts.count > 1 ? PercentDecoding.decode(String(parts[1]), plusAsSpace: true) : ""
            }
        }
        return nil
    }
}
