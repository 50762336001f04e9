import RemoteFunctionsHTTP
import Testing

/// The small client: streaming bodies, connection reuse, cancellation.
@Suite("HTTP client")
struct HTTPClientTests {
    @Test("a response body streams chunk by chunk", arguments: EventQueueKind.allCases)
    func streaming(kind: EventQueueKind) async throws {
        let firstSeen = Signal()
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            try await writer.write(Array("first".utf8))
            // The second chunk is written only after the client has received the first.
            _ = await firstSeen.wait()
            try await writer.write(Array("second".utf8))
            try await writer.finish()
        } _: { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(url: "http://127.0.0.1:\(port)/stream")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream")
            var chunks: [String] = []
            for try await chunk in response.body {
                chunks.append(String(decoding: chunk, as: UTF8.self))
                if chunks.count == 1 { firstSeen.raise() }
            }
            #expect(chunks == ["first", "second"])
            await client.shutdown()
        }
    }

    @Test("a head written alone reaches the client before any body is written", arguments: EventQueueKind.allCases)
    func headBeforeBody(kind: EventQueueKind) async throws {
        let headSeen = Signal()
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 201, headers: ["x-stage": "head"])
            let seen = await headSeen.wait(timeout: .seconds(10))
            try await writer.write(Array((seen ? "after" : "head was held back").utf8))
            try await writer.finish()
        } _: { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(url: "http://127.0.0.1:\(port)/head-first")
            #expect(response.status == 201)
            #expect(response.headers["x-stage"] == "head")
            headSeen.raise()
            #expect(String(decoding: try await response.body.collect(upTo: 1024), as: UTF8.self) == "after")
            await client.shutdown()
        }
    }

    @Test("connecting to a port nobody listens on throws the connect error", arguments: EventQueueKind.allCases)
    func refused(kind: EventQueueKind) async throws {
        // A port that was just free: bound by a server that has since shut down.
        let port = try await withTestServer(testConfiguration(kind), handler: HTTPServerBasicsTests.pathEcho) {
            port, _ in
            port
        }
        let client = HTTPClient(eventQueue: kind)
        await #expect(throws: SystemError.self) {
            _ = try await client.execute(url: "http://127.0.0.1:\(port)/")
        }
        await client.shutdown()
    }

    @Test("keep-alive connections are reused", arguments: EventQueueKind.allCases)
    func reuse(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { request, writer in
            try await writer.respond(status: 200, headers: HTTPHeaders(), body: Array(request.remoteAddress.utf8))
        } _: { port, server in
            let client = HTTPClient(eventQueue: kind)
            var peers: Set<String> = []
            for _ in 0..<3 {
                let response = try await client.execute(host: "127.0.0.1", port: port, path: "/who")
                peers.insert(String(decoding: try await response.body.collect(upTo: 1024), as: UTF8.self))
            }
            #expect(peers.count == 1)
            #expect(server.openConnectionCount == 1)
            await client.shutdown()
        }
    }

    @Test("a POST body and headers reach the server", arguments: EventQueueKind.allCases)
    func post(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind), handler: HTTPServerBasicsTests.pathEcho) { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let response = try await client.execute(
                method: "POST", url: "http://127.0.0.1:\(port)/echo", headers: ["content-type": "text/plain"],
                body: Array("payload".utf8))
            #expect(response.headers["x-path"] == "/echo")
            #expect(String(decoding: try await response.body.collect(upTo: 1024), as: UTF8.self) == "/echopayload")
            await client.shutdown()
        }
    }

    @Test(
        "cancelling a reading task closes the socket and the server sees the hang-up",
        arguments: EventQueueKind.allCases)
    func cancellation(kind: EventQueueKind) async throws {
        let handlerCancelled = Signal()
        let streaming = Signal()
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            try await writer.write(Array("tick".utf8))
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                handlerCancelled.raise()
            }
        } _: { port, _ in
            let client = HTTPClient(eventQueue: kind)
            let reader = Task {
                let response = try await client.execute(url: "http://127.0.0.1:\(port)/forever")
                for try await _ in response.body { streaming.raise() }
            }
            #expect(await streaming.wait())
            reader.cancel()
            _ = await reader.result
            #expect(await handlerCancelled.wait(), "the server never noticed the client leaving")
            await client.shutdown()
        }
    }
}
