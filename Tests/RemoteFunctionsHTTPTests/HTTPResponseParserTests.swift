import RemoteFunctionsHTTP
import Testing

/// What a response parser produced, with adjacent body pieces merged.
private enum ResponseOutcome: Hashable {
    case head(HTTPResponseHead)
    case body([UInt8])
    case end
    case failure(HTTPParseError)
}

/// Feeds `text` in pieces of `pieceSize` bytes (0 = all at once), then optionally signals the close.
private func parse(
    _ text: String,
    pieceSize: Int = 0,
    toHEAD: [Bool] = [],
    close: Bool = false
) -> [ResponseOutcome] {
    let bytes = Array(text.utf8)
    var parser = HTTPResponseParser()
    for expectation in toHEAD { parser.expectResponse(toHEAD: expectation) }
    var outcomes: [ResponseOutcome] = []
    func record(_ event: HTTPResponseParser.Event) {
        switch event {
        case .head(let head): outcomes.append(.head(head))
        case .body(let more):
            if case .body(let previous)? = outcomes.last {
                outcomes[outcomes.count - 1] = .body(previous + more)
            } else {
                outcomes.append(.body(more))
            }
        case .end: outcomes.append(.end)
        }
    }
    let step = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
    var offset = 0
    do {
        repeat {
            parser.append(contentsOf: Array(bytes[offset..<min(offset + step, bytes.count)]))
            offset += step
            while let event = try parser.next() { record(event) }
        } while offset < bytes.count
        if close {
            while let event = try parser.finishInput() { record(event) }
        }
    } catch {
        outcomes.append(.failure(error))
    }
    return outcomes
}

private func heads(_ outcomes: [ResponseOutcome]) -> [HTTPResponseHead] {
    outcomes.compactMap { if case .head(let head) = $0 { head } else { nil } }
}

private func failure(_ outcomes: [ResponseOutcome]) -> HTTPParseError? {
    if case .failure(let error)? = outcomes.last { error } else { nil }
}

@Suite("HTTPResponseParser")
struct HTTPResponseParserTests {
    static let samples: [ParserSample] = [
        .init(
            name: "JSON with Content-Length",
            text: "HTTP/1.1 200 OK\r\nContent-Length: 27\r\n\r\n{\"message\":\"Hello, World!\"}"),
        .init(
            name: "chunked SSE",
            text: "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "f\r\nevent: next\r\n\r\n\r\n0\r\n\r\n"),
        .init(
            name: "100 Continue then 200",
            text: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        .init(
            name: "two pipelined responses",
            text: "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"),
        .init(name: "until close", text: "HTTP/1.0 200 OK\r\n\r\nall of this"),
        .init(name: "bare LF", text: "HTTP/1.1 200 OK\nContent-Length: 0\n\n", status: 400),
    ]

    @Test("byte-at-a-time feeding gives the same result as all at once", arguments: samples, [1, 3, 16])
    func splitInvariance(sample: ParserSample, pieceSize: Int) {
        #expect(parse(sample.text, pieceSize: pieceSize, close: true) == parse(sample.text, close: true))
    }

    @Test("a Content-Length response")
    func contentLength() throws {
        let outcomes = parse(Self.samples[0].text)
        let head = try #require(heads(outcomes).first)
        #expect(head.status == 200)
        #expect(head.reason == "OK")
        #expect(head.version == .http1_1)
        #expect(head.framing == .contentLength(27))
        #expect(head.keepAlive)
        #expect(outcomes.dropFirst() == [.body(Array("{\"message\":\"Hello, World!\"}".utf8)), .end])
    }

    @Test("a chunked response is decoded")
    func chunked() {
        let outcomes = parse(Self.samples[1].text)
        #expect(heads(outcomes).first?.framing == .chunked)
        #expect(outcomes.dropFirst() == [.body(Array("event: next\r\n\r\n".utf8)), .end])
    }

    @Test("interim 1xx responses are skipped")
    func interimSkipped() {
        let outcomes = parse(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        #expect(heads(outcomes).map(\.status) == [200])
        #expect(outcomes.dropFirst() == [.body(Array("ok".utf8)), .end])
    }

    @Test("101 Switching Protocols is final and has no body")
    func switchingProtocols() {
        let outcomes = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
        #expect(heads(outcomes).map(\.status) == [101])
        #expect(heads(outcomes).first?.keepAlive == false)
        #expect(outcomes.last == .end)
    }

    @Test("responses to HEAD, 204 and 304 have no body whatever their headers say")
    func noBody() {
        let head = parse("HTTP/1.1 200 OK\r\nContent-Length: 27\r\n\r\n", toHEAD: [true])
        #expect(heads(head).first?.framing == HTTPBodyFraming.none)
        #expect(head.last == .end)
        for status in ["204 No Content", "304 Not Modified"] {
            let outcomes = parse("HTTP/1.1 \(status)\r\nContent-Length: 10\r\n\r\n")
            #expect(heads(outcomes).first?.framing == HTTPBodyFraming.none)
            #expect(outcomes.last == .end)
        }
    }

    @Test("HEAD expectations queue up for pipelined responses")
    func headExpectationQueue() {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
        let outcomes = parse(text, toHEAD: [true, false])
        #expect(heads(outcomes).map(\.framing) == [HTTPBodyFraming.none, .contentLength(5)])
        #expect(outcomes.filter { $0 == .end }.count == 2)
        #expect(outcomes.contains(.body(Array("hello".utf8))))
    }

    @Test("a body delimited by the close ends when the input finishes")
    func untilClose() throws {
        var parser = HTTPResponseParser()
        parser.append(contentsOf: Array("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nabc".utf8))
        guard case .head(let head)? = try parser.next() else {
            Issue.record("expected a head")
            return
        }
        #expect(head.framing == .untilClose)
        #expect(!head.keepAlive)
        #expect(try parser.next() == .body(Array("abc".utf8)))
        #expect(try parser.next() == nil)
        parser.append(contentsOf: Array("def".utf8))
        #expect(try parser.finishInput() == .body(Array("def".utf8)))
        #expect(try parser.finishInput() == .end)
        #expect(try parser.finishInput() == nil)
    }

    @Test("a close between responses is clean, a close inside one is an error")
    func truncation() {
        #expect(failure(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", close: true)) == nil)
        #expect(failure(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", close: true))?.status == 400)
        #expect(failure(parse("HTTP/1.1 200 OK\r\nContent-", close: true))?.status == 400)
        #expect(
            failure(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", close: true))?.status == 400)
    }

    @Test("keep-alive follows the version and the Connection header")
    func keepAlive() {
        #expect(heads(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")).first?.keepAlive == true)
        #expect(
            heads(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")).first?.keepAlive == false)
        #expect(heads(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).first?.keepAlive == false)
        #expect(
            heads(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")).first?.keepAlive
                == true)
    }

    @Test("a status line without a reason phrase is accepted")
    func noReason() {
        #expect(heads(parse("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n")).first?.status == 404)
        #expect(heads(parse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n")).first?.reason == "")
    }

    static let rejections: [ParserSample] = [
        .init(name: "two-digit status", text: "HTTP/1.1 20 OK\r\n\r\n", status: 400),
        .init(name: "four-digit status", text: "HTTP/1.1 2000 OK\r\n\r\n", status: 400),
        .init(name: "status below 100", text: "HTTP/1.1 099 Odd\r\n\r\n", status: 400),
        .init(name: "status above 599", text: "HTTP/1.1 600 Odd\r\n\r\n", status: 400),
        .init(name: "HTTP/2 status line", text: "HTTP/2.0 200 OK\r\n\r\n", status: 505),
        .init(name: "not HTTP", text: "ICY 200 OK\r\n\r\n", status: 400),
        .init(name: "NUL in reason", text: "HTTP/1.1 200 O\u{0}K\r\n\r\n", status: 400),
        .init(name: "bare CR", text: "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", status: 400),
        .init(name: "obs-fold", text: "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", status: 400),
        .init(name: "space before colon", text: "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", status: 400),
        .init(
            name: "Content-Length and Transfer-Encoding",
            text: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        .init(
            name: "differing Content-Length",
            text: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", status: 400),
        .init(name: "gzip coding", text: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        .init(
            name: "Transfer-Encoding in HTTP/1.0", text: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            status: 400),
        .init(
            name: "bad chunk size",
            text: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nq\r\n", status: 400),
    ]

    @Test("malformed responses are rejected", arguments: rejections)
    func rejection(sample: ParserSample) {
        #expect(failure(parse(sample.text, close: true))?.status == sample.status)
        #expect(failure(parse(sample.text, pieceSize: 1, close: true))?.status == sample.status)
    }
}
