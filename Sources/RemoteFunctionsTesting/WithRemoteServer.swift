public import Foundation
public import RemoteFunctionsHTTPTransport
public import RemoteFunctionsServer

/// Thrown by ``withRemoteServer(_:transport:_:)`` when the server stopped before it was listening.
public struct RemoteServerDidNotStart: Error, Sendable {}

/// Runs `server` over real HTTP on `transport` (by default `127.0.0.1`, port 0) for the scope of
/// `body`, which receives the base URL such as `http://127.0.0.1:41234`. Afterwards it shuts the
/// server down gracefully and waits until every connection has closed, so no task outlives the
/// scope. An error thrown by `body` is rethrown after the shutdown.
public func withRemoteServer<Result: Sendable>(
    _ server: RemoteServer, transport: HTTPServerTransport = HTTPServerTransport(),
    _ body: (URL) async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run(on: transport) }
        guard let address = await transport.listeningAddress(),
            let url = URL(string: "http://\(address)")
        else {
            try await group.waitForAll()
            throw RemoteServerDidNotStart()
        }
        let result: Result
        do {
            result = try await body(url)
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
        server.beginGracefulShutdown()
        try await group.waitForAll()
        return result
    }
}
