/// The response to a ``ClientRequest``: its head, and a body that streams.
public struct ClientResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The response headers, in the order received.
    public var headers: [(name: String, value: String)]
    /// The body, as chunks of bytes in arrival order. Leaving the iteration early, or cancelling
    /// the task that iterates, cancels the request.
    public var body: ClientResponseBody

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)], body: ClientResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
