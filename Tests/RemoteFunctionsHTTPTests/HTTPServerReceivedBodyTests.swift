import RemoteFunctionsHTTP
import Testing

/// `HTTPRequestBody.collectIfReceived(upTo:)`: a body whose bytes have all arrived is returned
/// without waiting; otherwise nothing is read and `collect(upTo:)` gets the whole body.
@Suite("HTTP request bodies already received")
struct HTTPServerReceivedBodyTests {
    /// Answers `received:<body>` when the body was taken without waiting, `waited:<body>` when it
    /// had to be collected; raises `asked` once it has tried.
    static func handler(
        asked: Signal, limit: Int = 1 << 20
    ) -> @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void {
        { request, writer in
            let received = try request.body.collectIfReceived(upTo: limit)
            asked.raise()
            let text: String
            if let received {
                text = "received:" + String(decoding: received, as: UTF8.self)
            } else {
                text = "waited:" + String(decoding: try await request.body.collect(upTo: limit), as: UTF8.self)
            }
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: Array(text.utf8))
        }
    }

    @Test("a body that came with its head is returned at once", arguments: EventQueueKind.allCases)
    func withHead(kind: EventQueueKind) async throws {
        let asked = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.handler(asked: asked)) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send(
                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            let responses = try await connection.readResponses(2)
            #expect(responses.map(\.text) == ["received:hello", "received:"])
        }
    }

    @Test("a body still on its way is left to collect, which reads all of it", arguments: EventQueueKind.allCases)
    func laterBody(kind: EventQueueKind) async throws {
        let asked = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.handler(asked: asked)) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello")
            #expect(await asked.wait())
            try await connection.send(" world")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.text == "waited:hello world")
        }
    }

    @Test("a chunked body is left to collect", arguments: EventQueueKind.allCases)
    func chunked(kind: EventQueueKind) async throws {
        let asked = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.handler(asked: asked)) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send(
                "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.text == "waited:abcde")
        }
    }

    @Test("a received body over the limit is 413", arguments: EventQueueKind.allCases)
    func tooLarge(kind: EventQueueKind) async throws {
        let asked = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.handler(asked: asked, limit: 4)) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.status == 413)
            #expect(!asked.isRaised)
        }
    }

    @Test("a body in memory is always received")
    func inMemory() throws {
        #expect(try HTTPRequestBody(bytes: Array("abc".utf8)).collectIfReceived(upTo: 3) == Array("abc".utf8))
        #expect(throws: HTTPError.self) { try HTTPRequestBody(bytes: Array("abcd".utf8)).collectIfReceived(upTo: 3) }
    }
}
