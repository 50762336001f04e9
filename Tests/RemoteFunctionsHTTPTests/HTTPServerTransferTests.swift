import RemoteFunctionsHTTP
import Testing

/// Large and cross-thread transfers arrive whole and in order, on both backends.
@Suite("HTTP server transfers")
struct HTTPServerTransferTests {
    static let large: [UInt8] = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }

    @Test("a 5 MiB response sent in one respond() arrives whole", arguments: EventQueueKind.allCases)
    func largeResponse(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: Self.large)
        } _: { port, server in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(url: "http://127.0.0.1:\(port)/large")
            let body = try await response.body.collect(upTo: 8 << 20)
            #expect(body == Self.large)
            #expect(server.maxBufferedOutboundBytes <= server.configuration.outboundHighWaterMark)
            await client.shutdown()
        }
    }

    @Test("a 5 MiB request body is echoed whole", arguments: EventQueueKind.allCases)
    func largeRequest(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { request, writer in
            let body = try await request.body.collect(upTo: 8 << 20)
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: body)
        } _: { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(
                method: "POST", url: "http://127.0.0.1:\(port)/echo", body: Self.large)
            #expect(try await response.body.collect(upTo: 8 << 20) == Self.large)
            await client.shutdown()
        }
    }

    @Test("writes made from another executor stream every byte in order", arguments: EventQueueKind.allCases)
    func writesFromAnotherExecutor(kind: EventQueueKind) async throws {
        let count = 5000
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/plain"])
            try await Task.detached {
                for index in 0..<count { try await writer.write(Array("\(index),".utf8)) }
            }.value
            try await writer.finish()
        } _: { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(url: "http://127.0.0.1:\(port)/numbers")
            let text = String(decoding: try await response.body.collect(upTo: 1 << 20), as: UTF8.self)
            #expect(text == (0..<count).map { "\($0)," }.joined())
            await client.shutdown()
        }
    }

    @Test("many concurrent clients each get their own answers", arguments: EventQueueKind.allCases)
    func concurrentClients(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        let client = HTTPClient(eventQueue: kind)
                        for request in 0..<25 {
                            let path = "/w\(worker)/r\(request)"
                            let response = try await client.execute(url: "http://127.0.0.1:\(port)\(path)")
                            let text = String(decoding: try await response.body.collect(upTo: 1024), as: UTF8.self)
                            #expect(text == path)
                        }
                        await client.shutdown()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("binding a port that is in use throws a SystemError with errno")
    func bindFailure() async throws {
        try await withTestServer(testConfiguration(.platformDefault), handler: HTTPServerBasicsTests.pathEcho) {
            port, _ in
            let second = HTTPServer(configuration: testConfiguration(.platformDefault) { $0.port = port }) { _, _ in }
            await #expect(throws: SystemError.self) {
                try await second.run()
            }
        }
    }

    @Test("an HTTP/1.0 request without keep-alive is answered and closed", arguments: EventQueueKind.allCases)
    func http10(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.write(Array("streamed".utf8))
            try await writer.finish()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET / HTTP/1.0\r\n\r\n")
            let text = String(decoding: try #require(try await connection.readUntilClosed()), as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(!text.lowercased().contains("transfer-encoding"))
            #expect(text.hasSuffix("\r\n\r\nstreamed"))
        }
    }
}
