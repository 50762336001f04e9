import Foundation
import Synchronization

/// The transport of a ``RemoteClient`` created without one.
///
/// On Linux, `http://` requests go through one ``HTTPClientTransport`` shared by the process (its
/// event-loop thread starts on first use), because URLSession there keeps a CPU busy while a
/// stream is open; `https://` requests, and every request elsewhere, go through this client's own
/// ``URLSessionClientTransport``, created on first use.
public final class PlatformDefaultTransport: ClientTransport {
    #if os(Linux)
        private static let sharedHTTP = HTTPClientTransport()
    #endif
    private let urlSession = Mutex<URLSessionClientTransport?>(nil)

    /// Creates the transport; nothing is opened until the first request.
    public init() {}

    /// Sends `request` through the transport its scheme and the platform call for.
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        #if os(Linux)
            if request.url.scheme?.lowercased() == "http" {
                return try await Self.sharedHTTP.send(request)
            }
        #endif
        let transport = urlSession.withLock { transport in
            if let transport { return transport }
            let created = URLSessionClientTransport()
            transport = created
            return created
        }
        return try await transport.send(request)
    }
}
