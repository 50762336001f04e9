/// An error of the HTTP layer that has an HTTP meaning.
///
/// A handler that throws one of these before writing a response head gets a response with ``status``.
/// Messages are fixed phrases that never contain peer bytes, so they are safe to show a client.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status a server answers with when this error ends a request.
    public var status: Int
    /// A short, client-safe explanation.
    public var message: String

    /// Creates an error with a status and a client-safe message.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// `status message`, for logs.
    public var description: String { "\(status) \(message)" }

    /// The request body is larger than the limit the handler accepted (413).
    public static let payloadTooLarge = HTTPError(status: 413, message: "Payload too large")
    /// The peer closed the connection, or the connection was closed by the server (499-style; never sent).
    public static let connectionClosed = HTTPError(status: 499, message: "Connection closed")
    /// A read or write deadline passed (408 for reads).
    public static let timeout = HTTPError(status: 408, message: "Request timeout")
    /// The request was malformed (400).
    public static let badRequest = HTTPError(status: 400, message: "Bad request")
    /// The server or client is shutting down (503).
    public static let shuttingDown = HTTPError(status: 503, message: "Service unavailable")
    /// The peer sent a response the client could not understand (502).
    public static let invalidResponse = HTTPError(status: 502, message: "Invalid response")
}
