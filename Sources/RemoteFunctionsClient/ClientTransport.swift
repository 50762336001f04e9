public import Foundation

/// The seam between the client runtime and the network.
///
/// `URLSessionClientTransport` is the default and works on Linux and Apple platforms; an
/// in-process transport in `RemoteFunctionsTesting` connects a client straight to a server.
public protocol ClientTransport: Sendable {
    /// Sends a request and returns as soon as the response head has arrived. The body then
    /// streams through ``ClientResponse/body``. Cancelling the calling task, or cancelling or
    /// releasing the body, cancels the underlying request.
    func send(_ request: ClientRequest) async throws -> ClientResponse
}

/// A request as the client runtime builds it.
public struct ClientRequest: Sendable {
    /// The method, such as `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: URL
    /// The request headers.
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: Data?

    /// Creates a request.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
