import RemoteFunctionsHTTP
import Testing

/// Each limit answered with its status code, on both backends.
@Suite("HTTP server limits")
struct HTTPServerLimitsTests {
    @Test("a head over 16 KiB gets 431 and close", arguments: EventQueueKind.allCases)
    func headTooLarge(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            let big = String(repeating: "a", count: 17 * 1024)
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed())
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
        }
    }

    @Test("a body over the route's limit gets 413 before it is sent", arguments: EventQueueKind.allCases)
    func bodyTooLargeByLength(kind: EventQueueKind) async throws {
        let reached = Recorder(false)
        try await withTestServer(testConfiguration(kind)) { request, writer in
            reached.update { $0 = true }
            let body = try await request.body.collect(upTo: 1024)
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: body)
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            // Announce 100 MB and send none of it: the answer must come anyway.
            try await connection.send(
                "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed())
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 413 "), "\(text)")
            #expect(!text.contains("100 Continue"))
            #expect(text.lowercased().contains("connection: close"))
        }
        #expect(reached.value)
    }

    /// Regression: a handler that catches the 413 and answers it itself used to get a keep-alive
    /// head, yet the server closed the connection afterwards (the body could not be drained), so a
    /// client reusing it lost its next request.
    @Test(
        "a handler's own answer to an oversized body says connection: close, and the server closes",
        arguments: EventQueueKind.allCases)
    func handlerAnswersTooLarge(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { request, writer in
            do {
                _ = try await request.body.collect(upTo: 16)
                try await writer.respond(status: 200, headers: HTTPHeaders(), body: [])
            } catch let error as HTTPError where error == .payloadTooLarge {
                try await writer.respond(status: 413, headers: HTTPHeaders(), body: Array("too large".utf8))
            }
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            let body = String(repeating: "x", count: 100)
            try await connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n\(body)")
            let received = try #require(try await connection.readUntilClosed())
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 413 "), "\(text)")
            #expect(text.lowercased().contains("connection: close"), "\(text)")
        }
    }

    @Test("a chunked body that grows past the limit gets 413", arguments: EventQueueKind.allCases)
    func bodyTooLargeWhileStreaming(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.maxBodySize = 1000 }
        try await withTestServer(configuration) { request, writer in
            var total = 0
            for try await chunk in request.body { total += chunk.count }
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: Array("\(total)".utf8))
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            let chunk = String(repeating: "b", count: 800)
            try await connection.send(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n"
            )
            let received = try #require(try await connection.readUntilClosed())
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 413 "))
        }
    }

    @Test("connections over the maximum get 503", arguments: EventQueueKind.allCases)
    func maxConnections(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.maxConnections = 2 }
        try await withTestServer(configuration, handler: HTTPServerBasicsTests.pathEcho) { port, server in
            let first = try RawConnection(port: port)
            let second = try RawConnection(port: port)
            defer {
                first.close()
                second.close()
            }
            for connection in [first, second] {
                try await connection.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.readResponses(1).first?.status == 200)
            }
            #expect(server.openConnectionCount == 2)
            let third = try RawConnection(port: port)
            defer { third.close() }
            let received = try #require(try await third.readUntilClosed())
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 503 "))
        }
    }

    @Test("slowloris: an incomplete head gets 408 after the header timeout", arguments: EventQueueKind.allCases)
    func headerTimeout(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.headerReadTimeout = .milliseconds(300) }
        try await withTestServer(configuration, handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-Drip: ")
            let received = try #require(try await connection.readUntilClosed())
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 408 "))
        }
    }

    @Test("slowloris: a connection that sends nothing gets 408", arguments: EventQueueKind.allCases)
    func silentConnection(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.headerReadTimeout = .milliseconds(300) }
        try await withTestServer(configuration, handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            let received = try #require(try await connection.readUntilClosed())
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 408 "))
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout", arguments: EventQueueKind.allCases)
    func idleTimeout(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.idleTimeout = .milliseconds(300) }
        try await withTestServer(configuration, handler: HTTPServerBasicsTests.pathEcho) { port, server in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponses(1).first?.status == 200)
            let rest = try #require(try await connection.readUntilClosed(), "the idle connection stayed open")
            #expect(rest.isEmpty)
        }
    }

    @Test("a peer that stops reading is cut off by the write timeout", arguments: EventQueueKind.allCases)
    func writeTimeout(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) { $0.writeTimeout = .milliseconds(300) }
        let ended = Signal()
        let outcome = Recorder("")
        try await withTestServer(configuration) { _, writer in
            do {
                try await writer.writeHead(status: 200, headers: HTTPHeaders())
                let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)
                while true { try await writer.write(chunk) }
            } catch {
                outcome.update { $0 = "\(type(of: error))" }
                ended.raise()
                throw error
            }
        } _: { port, server in
            let connection = try RawConnection(port: port)
            connection.shrinkReceiveBuffer()
            defer { connection.close() }
            try await connection.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await ended.wait(), "the handler's write never failed")
            #expect(!outcome.value.isEmpty)
        }
    }
}
