/// A response received by ``HTTPClient``: status and headers at once, the body streamed.
public struct HTTPClientResponse: Sendable {
    /// The status code, for example 200.
    public let status: Int
    /// The response headers, in order.
    public let headers: HTTPHeaders
    /// The body, read on demand; dropping it unread closes the connection.
    public let body: HTTPClientResponseBody
}
