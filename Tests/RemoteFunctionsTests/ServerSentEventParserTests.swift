import Foundation
import RemoteFunctions
import Testing

@Suite("Server-sent events")
struct ServerSentEventParserTests {
    static let stream = Array(
        "retry: 250\n\n:heartbeat\n\nevent: next\nid: 1\ndata: {\"i\":1}\n\nevent: next\r\nid: 2\r\ndata: a\r\ndata: b\r\n\r\nevent: end\rdata: null\r\r"
            .utf8)

    @Test("parses the same events whatever the chunk size", arguments: [1, 2, 3, 7, 64, 10_000])
    func chunking(size: Int) throws {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        var index = 0
        while index < Self.stream.count {
            let end = min(index + size, Self.stream.count)
            events += try parser.feed(Self.stream[index..<end])
            index = end
        }
        #expect(
            events == [
                ServerSentEvent(data: "", retry: 250),
                ServerSentEvent(event: "next", data: "{\"i\":1}", id: "1"),
                ServerSentEvent(event: "next", data: "a\nb", id: "2"),
                ServerSentEvent(event: "end", data: "null"),
            ])
        #expect(parser.lastEventID == "2")
    }

    @Test("an encoded event parses back to itself, newlines in data included")
    func roundTrip() throws {
        let event = ServerSentEvent(event: "next", data: "line one\nline two\r\nthree", id: "42")
        var parser = ServerSentEventParser()
        let parsed = try parser.feed(event.encoded())
        #expect(parsed == [ServerSentEvent(event: "next", data: "line one\nline two\nthree", id: "42")])
    }

    @Test("a newline in an id or event name cannot forge another field")
    func noFieldInjection() throws {
        let event = ServerSentEvent(event: "next\ndata: forged", data: "x", id: "1\nevent: end")
        var parser = ServerSentEventParser()
        let parsed = try parser.feed(event.encoded())
        #expect(parsed.count == 1)
        #expect(parsed.first?.event == "nextdata: forged")
        #expect(parsed.first?.id == "1event: end")
        #expect(parsed.first?.data == "x")
    }

    @Test("a comment is a heartbeat and dispatches nothing")
    func comment() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(ServerSentEvent.comment("ping")).isEmpty)
    }

    @Test("a line over the limit is rejected")
    func lineLimit() {
        var parser = ServerSentEventParser(maximumLineLength: 8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            _ = try parser.feed(Array("data: 0123456789".utf8))
        }
    }
}
