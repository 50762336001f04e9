import Foundation
import RemoteFunctionsHTTP
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking TCP client for probing the server byte by byte. Blocking calls run on their
/// own thread so they never stall Swift's cooperative pool; a 20 s receive timeout is the safety net.
final class RawConnection: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw TestFailure("connect failed: \(errno)")
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sets a small receive buffer (before any data) so a peer that never reads fills up quickly.
    func shrinkReceiveBuffer() {
        var size: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) async throws {
        let fd = self.fd
        try await onThread {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent < 0 {
                    if errno == EINTR { continue }
                    throw TestFailure("send failed: \(errno)")
                }
                offset += sent
            }
        }
    }

    /// Reads `count` complete responses (parsed with the response parser).
    func readResponses(_ count: Int, toHEAD: Bool = false) async throws -> [RawResponse] {
        try await readResponses(answering: Array(repeating: toHEAD, count: count))
    }

    /// Reads one response per element of `answering`, each `true` answering a HEAD request.
    func readResponses(answering heads: [Bool]) async throws -> [RawResponse] {
        let fd = self.fd
        let count = heads.count
        return try await onThread {
            var parser = HTTPResponseParser()
            for isHEAD in heads { parser.expectResponse(toHEAD: isHEAD) }
            var responses: [RawResponse] = []
            var current: RawResponse?
            var buffer = [UInt8](repeating: 0, count: 65536)
            while responses.count < count {
                while let event = try parser.next() {
                    switch event {
                    case .head(let head): current = RawResponse(status: head.status, headers: head.headers, body: [])
                    case .body(let bytes): current?.body.append(contentsOf: bytes)
                    case .end:
                        if let done = current { responses.append(done) }
                        current = nil
                    }
                    if responses.count == count { return responses }
                }
                let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if read < 0 && errno == EINTR { continue }
                if read <= 0 {
                    if let event = try parser.finishInput(), case .end = event, let done = current {
                        responses.append(done)
                        continue
                    }
                    throw TestFailure("connection ended after \(responses.count) of \(count) responses")
                }
                parser.append(contentsOf: Array(buffer[0..<read]))
            }
            return responses
        }
    }

    /// Reads exactly `count` bytes (fewer if the connection ends).
    func readExactly(_ count: Int) async throws -> [UInt8] {
        let fd = self.fd
        return try await onThread {
            var buffer = [UInt8](repeating: 0, count: count)
            var total = 0
            while total < count {
                let read = buffer[total...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if read < 0 && errno == EINTR { continue }
                if read <= 0 { break }
                total += read
            }
            return Array(buffer[0..<total])
        }
    }

    /// Reads until the server closes the connection; returns everything received (nil if the
    /// safety timeout passed first).
    func readUntilClosed() async throws -> [UInt8]? {
        let fd = self.fd
        return try await onThread {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if read > 0 {
                    received.append(contentsOf: buffer[0..<read])
                    continue
                }
                if read == 0 { return received }
                if errno == EINTR { continue }
                if errno == ECONNRESET { return received }
                return nil
            }
        }
    }

    func close() {
        Glibc.close(fd)
    }
}

/// A response read by ``RawConnection``.
struct RawResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Runs blocking `body` on a new thread and returns its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.start()
    }
}
