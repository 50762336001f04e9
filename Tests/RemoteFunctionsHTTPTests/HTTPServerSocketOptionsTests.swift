import Foundation
import RemoteFunctionsHTTP
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Options the server sets on the sockets it accepts, read back from the socket itself: the server
/// runs in this process, so its end of a test connection is one of this process's descriptors.
@Suite("HTTP server: accepted sockets")
struct HTTPServerSocketOptionsTests {
    /// The descriptor whose local port is the server's and whose peer is `connection`'s local end
    /// (the server's side of it).
    static func serverSide(of connection: RawConnection, serverPort: Int) throws -> Int32 {
        let clientPort = try port(of: connection.fd, peer: false)
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let fd = Int32(name), fd != connection.fd else { continue }
            if (try? port(of: fd, peer: true)) == clientPort, (try? port(of: fd, peer: false)) == UInt16(serverPort) {
                return fd
            }
        }
        throw TestFailure("the server's side of the connection was not found")
    }

    static func port(of fd: Int32, peer: Bool) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { throw TestFailure("not an IPv4 socket") }
        return UInt16(bigEndian: address.sin_port)
    }

    @Test(
        "accepted sockets send small writes at once (TCP_NODELAY): a stream's second event never waits for the first one's ACK",
        arguments: EventQueueKind.allCases)
    func noDelay(kind: EventQueueKind) async throws {
        let handler: @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void = { _, writer in
            try await writer.respond(status: 204, headers: [:], body: [])
        }
        try await withTestServer(testConfiguration(kind), handler: handler) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            // A response proves the server has accepted and registered the connection.
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponses(1).first?.status == 204)
            let fd = try Self.serverSide(of: connection, serverPort: port)
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            #expect(getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0)
            #expect(value != 0, "Nagle's algorithm is still on")
        }
    }
}
