import RemoteFunctionsHTTP
import Testing

/// Keep-alive, pipelining, request bodies, HEAD, Connection: close and error responses, on every
/// event-queue backend.
@Suite("HTTP server basics")
struct HTTPServerBasicsTests {
    /// Answers `/slow` after yielding many times, everything else at once, echoing the path.
    static let pathEcho: @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void = { request, writer in
        if request.path == "/slow" {
            for _ in 0..<200 { await Task.yield() }
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers = HTTPHeaders()
        headers.add("x-path", request.path)
        try await writer.respond(status: 200, headers: headers, body: Array(request.path.utf8) + body)
    }

    @Test("keep-alive serves several requests on one connection", arguments: EventQueueKind.allCases)
    func keepAlive(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, server in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            for index in 0..<5 {
                try await connection.send("GET /r\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try #require(try await connection.readResponses(1).first)
                #expect(response.status == 200)
                #expect(response.text == "/r\(index)")
                #expect(response.headers["date"] != nil)
            }
            #expect(server.openConnectionCount == 1)
        }
    }

    @Test("pipelined requests are answered in order", arguments: EventQueueKind.allCases)
    func pipelining(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send(
                "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"
                    + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(3)
            #expect(responses.map(\.text) == ["/slow", "/bxyz", "/c"])
        }
    }

    @Test("a chunked request body is decoded", arguments: EventQueueKind.allCases)
    func chunkedBody(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send(
                "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.text == "/pabcde")
        }
    }

    @Test("Expect: 100-continue gets 100 before the body is read", arguments: EventQueueKind.allCases)
    func expectContinue(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send(
                "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            // The parser skips 1xx responses; read the interim line raw first.
            let interim = String(decoding: try await connection.readExactly(25), as: UTF8.self)
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            try await connection.send("body")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.text == "/ebody")
        }
    }

    @Test("HEAD gets the head and no body", arguments: EventQueueKind.allCases)
    func head(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(answering: [true, false])
            #expect(responses[0].status == 200)
            #expect(responses[0].headers["content-length"] == "2")
            #expect(responses[0].body.isEmpty)
            #expect(responses[1].text == "/after")
        }
    }

    @Test("Connection: close closes after the response", arguments: EventQueueKind.allCases)
    func connectionClose(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: Self.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed())
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.lowercased().contains("connection: close"))
            #expect(text.hasSuffix("/bye"))
        }
    }

    @Test("a handler error becomes 500, an HTTPError its status", arguments: EventQueueKind.allCases)
    func handlerErrors(kind: EventQueueKind) async throws {
        struct Boom: Error {}
        try await withTestServer(testConfiguration(kind)) { request, _ in
            if request.path == "/teapot" { throw HTTPError(status: 418, message: "Teapot") }
            throw Boom()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(2)
            #expect(responses.map(\.status) == [500, 418])
            #expect(!responses[0].text.contains("Boom"))
        }
    }

    @Test(
        "respond() frames the body by its own length whatever the handler's headers say",
        arguments: EventQueueKind.allCases)
    func respondFraming(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.respond(
                status: 200, headers: ["content-length": "999", "transfer-encoding": "chunked"],
                body: Array("exact".utf8))
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(2)
            #expect(responses.map(\.text) == ["exact", "exact"])
            #expect(responses[0].headers.values("content-length") == ["5"])
            #expect(responses[0].headers["transfer-encoding"] == nil)
        }
    }

    @Test("a streamed response without length is chunked and ends with finish()", arguments: EventQueueKind.allCases)
    func streamedResponse(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/plain"])
            for index in 0..<3 { try await writer.write(Array("part\(index);".utf8)) }
            try await writer.finish()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(try await connection.readResponses(1).first)
            #expect(response.headers["transfer-encoding"] == "chunked")
            #expect(response.text == "part0;part1;part2;")
        }
    }

    @Test("a handler that returns without finish() still completes its response", arguments: EventQueueKind.allCases)
    func implicitFinish(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.write(Array("partial".utf8))
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(2)
            #expect(responses.map(\.text) == ["partial", "partial"])
        }
    }
}
