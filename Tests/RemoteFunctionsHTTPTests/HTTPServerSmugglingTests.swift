import RemoteFunctionsHTTP
import Testing

/// Every request-smuggling shape from issue 2, sent end to end through a live server: each gets
/// 400 and the connection is closed, on both backends.
@Suite("HTTP server rejects request smuggling")
struct HTTPServerSmugglingTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(
            name: "Content-Length with Transfer-Encoding",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Shape(
            name: "differing Content-Length values",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        Shape(
            name: "differing values in one Content-Length",
            request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!"),
        Shape(name: "obs-fold", request: "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n"),
        Shape(name: "bare CR in a value", request: "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
        Shape(name: "bare CR ending a line", request: "GET / HTTP/1.1\rHost: x\r\n\r\n"),
        Shape(name: "space in a header name", request: "GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n"),
        Shape(name: "space before the colon", request: "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 3\r\n\r\nabc"),
        Shape(name: "invalid character in a header name", request: "GET / HTTP/1.1\r\nHost: x\r\nX(y): z\r\n\r\n"),
        Shape(
            name: "final transfer coding not chunked",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
        Shape(
            name: "invalid chunk size",
            request: "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        Shape(
            name: "overflowing chunk size",
            request:
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"
        ),
    ]

    @Test("a smuggling shape gets 400 and the connection closes", arguments: EventQueueKind.allCases, shapes)
    func rejected(kind: EventQueueKind, shape: Shape) async throws {
        try await withTestServer(testConfiguration(kind), handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            // A second, valid request follows: it must never be answered.
            try await connection.send(shape.request + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed(), "the connection stayed open")
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 400 "), "\(shape.name): \(text)")
            #expect(!text.contains("/smuggled"))
            #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2, "exactly one response")
        }
    }
}
