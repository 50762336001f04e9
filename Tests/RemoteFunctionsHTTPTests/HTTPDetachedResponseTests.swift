import RemoteFunctionsHTTP
import Synchronization
import Testing

/// Responses that outlive their handler (``HTTPResponseWriter/detach()``), on both backends.
@Suite("HTTP detached responses")
struct HTTPDetachedResponseTests {
    /// Hands each detached response to the test.
    final class Inbox: Sendable {
        private let responses = Mutex<[HTTPDetachedResponse]>([])
        let arrived = Signal()

        func put(_ response: HTTPDetachedResponse) {
            responses.withLock { $0.append(response) }
            arrived.raise()
        }

        var first: HTTPDetachedResponse? { responses.withLock { $0.first } }
    }

    static func detachingHandler(_ inbox: Inbox, onClose: Signal? = nil, onWritable: Signal? = nil)
        -> @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    {
        { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            let response = try writer.detach()
            response.setHandlers(
                onWritable: { onWritable?.raise() },
                onClose: { onClose?.raise() })
            inbox.put(response)
        }
    }

    @Test(
        "the handler returns, other threads write the body in order, and finish ends it and closes the connection",
        arguments: EventQueueKind.allCases)
    func writesAndFinishes(kind: EventQueueKind) async throws {
        let inbox = Inbox()
        let closed = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.detachingHandler(inbox, onClose: closed)) {
            port, server in
            let connection = try RawConnection(port: port)
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await inbox.arrived.wait())
            let response = try #require(inbox.first)
            #expect(server.openConnectionCount == 1, "the detached connection still counts")
            try await onThread {
                for index in 0..<100 { response.send(Array("data: \(index)\n\n".utf8)) }
                response.finish()
            }
            let bytes = try #require(try await connection.readUntilClosed())
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("transfer-encoding: chunked"))
            let body = try #require(text.range(of: "\r\n\r\n")).upperBound
            let decoded = Self.dechunk(String(text[body...]))
            #expect(decoded == (0..<100).map { "data: \($0)\n\n" }.joined())
            #expect(text.hasSuffix("0\r\n\r\n"), "the last chunk ends the body")
            #expect(await closed.wait(), "the close handler ran")
            #expect(!response.send([1]), "nothing can be sent after the end")
        }
    }

    @Test(
        "an HTTP/1.0 client gets the detached body unframed, ended by the close; a HEAD request gets the head alone",
        arguments: EventQueueKind.allCases)
    func unchunkedAndHEAD(kind: EventQueueKind) async throws {
        // A HEAD response carries the head a GET would get, chunked framing announced included.
        for (request, chunked, expectedBody) in [
            ("GET /events HTTP/1.0\r\nHost: x\r\n\r\n", false, (0..<50).map { "data: \($0)\n\n" }.joined()),
            ("HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n", true, ""),
        ] {
            let inbox = Inbox()
            try await withTestServer(testConfiguration(kind), handler: Self.detachingHandler(inbox)) { port, _ in
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try await connection.send(request)
                #expect(await inbox.arrived.wait())
                let response = try #require(inbox.first)
                try await onThread {
                    for index in 0..<50 { #expect(response.send(Array("data: \(index)\n\n".utf8))) }
                    response.finish()
                }
                let text = String(decoding: try #require(try await connection.readUntilClosed()), as: UTF8.self)
                let head = try #require(text.range(of: "\r\n\r\n"))
                let announcesChunks = text[..<head.lowerBound].lowercased().contains("transfer-encoding: chunked")
                #expect(announcesChunks == chunked, "\(request)")
                #expect(String(text[head.upperBound...]) == expectedBody, "\(request)")
            }
        }
    }

    @Test(
        "a client hanging up runs the close handler at once and the server forgets the connection",
        arguments: EventQueueKind.allCases)
    func hangUp(kind: EventQueueKind) async throws {
        let inbox = Inbox()
        let closed = Signal()
        try await withTestServer(testConfiguration(kind), handler: Self.detachingHandler(inbox, onClose: closed)) {
            port, server in
            let connection = try RawConnection(port: port)
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await inbox.arrived.wait())
            #expect(!closed.isRaised)
            connection.close()
            #expect(await closed.wait(), "the close handler never ran")
            let response = try #require(inbox.first)
            #expect(response.isClosed)
            #expect(!response.send(Array("late\n".utf8)))
            // No signal exists for the count: poll it, with a deadline.
            let deadline = ContinuousClock.now + .seconds(20)
            while server.openConnectionCount != 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(server.openConnectionCount == 0, "the connection is no longer counted")
        }
    }

    @Test(
        "a peer that does not read fills the buffer to the high-water mark; the writable handler runs once it reads",
        arguments: EventQueueKind.allCases)
    func writableHandler(kind: EventQueueKind) async throws {
        let configuration = testConfiguration(kind) {
            $0.outboundHighWaterMark = 64 * 1024
            $0.outboundLowWaterMark = 16 * 1024
        }
        let inbox = Inbox()
        let writable = Signal()
        try await withTestServer(configuration, handler: Self.detachingHandler(inbox, onWritable: writable)) {
            port, _ in
            let connection = try RawConnection(port: port)
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await inbox.arrived.wait())
            let response = try #require(inbox.first)
            // Chunks of varying sizes and contents, so that the socket's partial writes split chunk
            // size lines, bodies and trailers at every kind of place.
            var body: [UInt8] = []
            var index = 0
            // The kernel's buffers take some; then the outbound buffer fills to the mark.
            while response.hasRoom() {
                let chunk = [UInt8](repeating: UInt8(0x61 + index % 26), count: 4000 + index % 97)
                response.send(chunk)
                body += chunk
                index += 1
                #expect(body.count < 64 * 1024 * 1024, "the buffer never filled")
                if body.count >= 64 * 1024 * 1024 { return }
            }
            #expect(response.bufferedByteCount >= 64 * 1024)
            #expect(response.bufferedByteCount < 64 * 1024 + 4096 + 64)
            #expect(!writable.isRaised)
            // Reading drains the buffer; the handler runs once it is down to the low-water mark.
            let reader = Task { try await connection.readUntilClosed() }
            #expect(await writable.wait(), "the writable handler never ran")
            #expect(response.hasRoom())
            response.send(Array("end".utf8))
            body += Array("end".utf8)
            response.finish()
            let received = String(decoding: try #require(try await reader.value), as: UTF8.self)
            let start = try #require(received.range(of: "\r\n\r\n")).upperBound
            let decoded = Self.dechunk(String(received[start...]))
            let intact = decoded == String(decoding: body, as: UTF8.self)
            #expect(intact, "every byte arrived, in order (\(decoded.utf8.count) of \(body.count) bytes)")
            #expect(received.hasSuffix("0\r\n\r\n"))
            connection.close()
        }
    }

    @Test(
        "a detached stream idle through several deadline sweeps is still cut at the write timeout once its client stops reading",
        arguments: EventQueueKind.allCases)
    func writeTimeoutAfterIdle(kind: EventQueueKind) async throws {
        // Sweeps every 50 ms (a quarter of the shortest timeout). An idle detached connection has no
        // deadline, so the sweeps drop it; a write that stalls must bring it back.
        let configuration = testConfiguration(kind) { $0.writeTimeout = .milliseconds(200) }
        let inbox = Inbox()
        let closed = Signal()
        try await withTestServer(configuration, handler: Self.detachingHandler(inbox, onClose: closed)) { port, _ in
            let connection = try RawConnection(port: port)
            connection.shrinkReceiveBuffer()
            defer { connection.close() }
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await inbox.arrived.wait())
            let response = try #require(inbox.first)
            // The scenario's idle period (eight sweep intervals), not a synchronisation: the test
            // passes or fails on the close signal below.
            try await Task.sleep(for: .milliseconds(400))
            #expect(!closed.isRaised, "an idle stream is not cut")
            let chunk = [UInt8](repeating: 0x61, count: 16 * 1024)
            try await onThread {
                while response.hasRoom() && !response.isClosed { response.send(chunk) }
            }
            #expect(await closed.wait(), "the stalled stream was never cut")
        }
    }

    @Test("a graceful shutdown closes detached connections at its deadline", arguments: EventQueueKind.allCases)
    func shutdownClosesDetached(kind: EventQueueKind) async throws {
        let inbox = Inbox()
        let closed = Signal()
        let server = HTTPServer(
            configuration: testConfiguration(kind), handler: Self.detachingHandler(inbox, onClose: closed))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let run = Task { try await server.run { continuation.yield($0.port) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let connection = try RawConnection(port: port)
        try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await inbox.arrived.wait())
        server.beginGracefulShutdown(deadline: .milliseconds(200))
        try await run.value
        #expect(closed.isRaised, "run() returned only after the detached connection closed")
        connection.close()
    }

    @Test("detaching before the head is written is refused")
    func detachBeforeHead() async throws {
        let refused = Signal()
        try await withTestServer(testConfiguration(.epoll)) { _, writer in
            do {
                _ = try writer.detach()
            } catch {
                refused.raise()
            }
            try await writer.respond(status: 204, headers: HTTPHeaders(), body: [])
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let responses = try await connection.readResponses(1)
            #expect(responses.first?.status == 204)
            #expect(refused.isRaised)
        }
    }

    /// Decodes a chunked body (without trailers).
    static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var output = ""
        while let lineEnd = rest.range(of: "\r\n") {
            guard let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = rest.utf8.index(start, offsetBy: size)
            output += rest[start..<end]
            rest = rest[rest.utf8.index(end, offsetBy: 2)...]
        }
        return output
    }
}
