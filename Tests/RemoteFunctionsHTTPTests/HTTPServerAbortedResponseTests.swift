import RemoteFunctionsHTTP
import Testing

/// A handler that throws after its response has started: every byte it wrote still reaches the
/// client, then the connection closes without the terminating chunk, so the client can tell the
/// response was cut short.
@Suite("HTTP server: a streaming handler that throws after writing")
struct HTTPServerAbortedResponseTests {
    struct HandlerFailure: Error {}

    /// The chunked encoding of `chunks`, without the last (zero-length) chunk.
    static func chunkedBody(_ chunks: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        for chunk in chunks {
            output += Array(String(chunk.count, radix: 16).utf8) + Array("\r\n".utf8) + chunk + Array("\r\n".utf8)
        }
        return output
    }

    /// Splits a raw response into its head (as text) and the bytes after the blank line.
    static func split(_ received: [UInt8]) throws -> (head: String, body: [UInt8]) {
        let separator = Array("\r\n\r\n".utf8)
        guard received.count >= separator.count else { throw TestFailure("no response head received") }
        for index in 0...(received.count - separator.count)
        where Array(received[index..<index + separator.count]) == separator {
            return (
                String(decoding: received[..<index], as: UTF8.self),
                Array(received[(index + separator.count)...])
            )
        }
        throw TestFailure("no complete response head in \(received.count) bytes")
    }

    static let events: [[UInt8]] = (1...4).map { Array("event: next\ndata: {\"n\":\($0)}\nid: \($0)\n\n".utf8) }

    @Test(
        "the head and every event written on the loop reach the client before the close",
        arguments: EventQueueKind.allCases)
    func throwOnLoop(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            for event in Self.events { try await writer.write(event) }
            throw HandlerFailure()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed(), "the server never closed")
            let (head, body) = try Self.split(received)
            #expect(head.hasPrefix("HTTP/1.1 200 "))
            #expect(head.lowercased().contains("transfer-encoding: chunked"))
            #expect(body == Self.chunkedBody(Self.events), "body: \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test("a head written just before the throw reaches the client", arguments: EventQueueKind.allCases)
    func throwAfterHeadOnly(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
            throw HandlerFailure()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed(), "the server never closed")
            let (head, body) = try Self.split(received)
            #expect(head.hasPrefix("HTTP/1.1 200 "))
            #expect(body.isEmpty)
        }
    }

    @Test("bytes written from another executor reach the client before the close", arguments: EventQueueKind.allCases)
    func throwOffLoop(kind: EventQueueKind) async throws {
        try await withTestServer(testConfiguration(kind)) { _, writer in
            try await Task.detached {
                try await writer.writeHead(status: 200, headers: ["content-type": "text/event-stream"])
                for event in Self.events { try await writer.write(event) }
            }.value
            throw HandlerFailure()
        } _: { port, _ in
            let connection = try RawConnection(port: port)
            defer { connection.close() }
            try await connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            let received = try #require(try await connection.readUntilClosed(), "the server never closed")
            let (head, body) = try Self.split(received)
            #expect(head.hasPrefix("HTTP/1.1 200 "))
            #expect(body == Self.chunkedBody(Self.events))
        }
    }

    @Test(
        "bytes still in the outbound buffer of a slow client are sent after the throw",
        arguments: EventQueueKind.allCases)
    func throwWhileBuffered(kind: EventQueueKind) async throws {
        let threw = Signal()
        let chunks = (0..<32).map { index in [UInt8](repeating: UInt8(0x41 + index % 26), count: 8 * 1024) }
        // A high-water mark above the response size: every write is queued without suspending, so
        // whatever the kernel did not take yet is still in the outbound buffer when the handler throws.
        let configuration = testConfiguration(kind) {
            $0.outboundHighWaterMark = 1 << 20
            $0.outboundLowWaterMark = 1 << 18
        }
        try await withTestServer(configuration) { _, writer in
            defer { threw.raise() }
            try await writer.writeHead(status: 200, headers: ["content-type": "application/octet-stream"])
            for chunk in chunks { try await writer.write(chunk) }
            throw HandlerFailure()
        } _: { port, server in
            let connection = try RawConnection(port: port)
            connection.shrinkReceiveBuffer()
            defer { connection.close() }
            try await connection.send("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n")
            // Read nothing until the handler has thrown, so its last bytes are still queued.
            #expect(await threw.wait())
            #expect(server.maxBufferedOutboundBytes > 0, "nothing was ever buffered: the test proves nothing")
            let received = try #require(try await connection.readUntilClosed(), "the server never closed")
            let (head, body) = try Self.split(received)
            #expect(head.hasPrefix("HTTP/1.1 200 "))
            let expected = Self.chunkedBody(chunks)
            #expect(body.count == expected.count)
            let identical = body == expected
            #expect(identical, "the body differs from what the handler wrote")
        }
    }
}
