import Foundation
public import RemoteFunctionsClient
import RemoteFunctionsServer

/// A ``RemoteFunctionsClient/ClientTransport`` that sends every request straight to an
/// ``InProcessServerTransport`` in the same process.
///
/// The response body is pulled from the server handler's writes on demand, so backpressure works
/// as over a socket; cancelling or releasing the body cancels the server handler's task.
public struct InProcessClientTransport: ClientTransport {
    private let server: InProcessServerTransport
    private let remoteAddress: String

    /// Creates a client transport for `server`. `remoteAddress` is what handlers see as the
    /// client's address.
    public init(_ server: InProcessServerTransport, remoteAddress: String = "127.0.0.1:0") {
        self.server = server
        self.remoteAddress = remoteAddress
    }

    /// Sends the request and returns once the server has written the response head.
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? request.url.path
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }), let host = request.url.host {
            headers.append(("Host", request.url.port.map { "\(host):\($0)" } ?? host))
        }
        let serverRequest = ServerRequest(
            method: request.method, path: path.isEmpty ? "/" : path, query: components?.percentEncodedQuery,
            headers: headers, remoteAddress: remoteAddress,
            body: ServerRequestBody(bytes: Array(request.body ?? Data())))
        let response = try await server.send(serverRequest)
        let body = response.body
        let chunks = AsyncThrowingStream<[UInt8], any Error> {
            var iterator = body.makeAsyncIterator()
            return await iterator.next()
        }
        return ClientResponse(
            status: response.status, headers: response.headers,
            body: ClientResponseBody(chunks: chunks, cancel: { body.cancel() }))
    }
}
