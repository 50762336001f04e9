import RemoteFunctionsHTTP
import Testing

/// What a parser produced for a whole input, with adjacent body pieces merged so that different splits
/// of the same bytes compare equal.
private enum RequestOutcome: Hashable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end
    case failure(HTTPParseError)
}

/// Feeds `text` in pieces of `pieceSize` bytes (0 = all at once), draining events after every piece.
private func parse(_ text: String, pieceSize: Int = 0, limits: HTTPParserLimits = .default) -> [RequestOutcome] {
    let bytes = Array(text.utf8)
    var parser = HTTPRequestParser(limits: limits)
    var outcomes: [RequestOutcome] = []
    func record(_ outcome: RequestOutcome) {
        if case .body(let more) = outcome, case .body(let previous)? = outcomes.last {
            outcomes[outcomes.count - 1] = .body(previous + more)
        } else {
            outcomes.append(outcome)
        }
    }
    let step = pieceSize == 0 ? max(bytes.count, 1) : pieceSize
    var offset = 0
    repeat {
        let piece = Array(bytes[offset..<min(offset + step, bytes.count)])
        piece.withUnsafeBytes { parser.append($0) }
        offset += step
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head): record(.head(head))
                case .body(let body):
                    #expect(!body.isEmpty)
                    record(.body(body))
                case .end: record(.end)
                }
            }
        } catch {
            record(.failure(error))
            return outcomes
        }
    } while offset < bytes.count
    return outcomes
}

private func heads(_ outcomes: [RequestOutcome]) -> [HTTPRequestHead] {
    outcomes.compactMap { if case .head(let head) = $0 { head } else { nil } }
}

private func failure(_ outcomes: [RequestOutcome]) -> HTTPParseError? {
    if case .failure(let error)? = outcomes.last { error } else { nil }
}

/// A named input for parameterised tests; `status` 0 means the input must parse completely.
struct ParserSample: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var status: Int = 0
    var testDescription: String { name }
}

@Suite("HTTPRequestParser")
struct HTTPRequestParserTests {
    static let samples: [ParserSample] = [
        ParserSample(name: "small GET", text: "GET /hello HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"),
        ParserSample(
            name: "POST with Content-Length",
            text:
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\":\"hello\"}"
        ),
        ParserSample(
            name: "chunked with extensions and trailers",
            text: "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;q=\"quoted \\\"x\\\"\"\r\nhello\r\n7 ; flag\r\n, world\r\n0\r\nChecksum: abc\r\nX-Other: 1\r\n\r\n"
        ),
        ParserSample(
            name: "three pipelined requests",
            text: "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
        ParserSample(name: "HTTP/1.0 keep-alive", text: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        ParserSample(name: "leading empty lines", text: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        ParserSample(
            name: "smuggling CL and TE",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400),
        ParserSample(name: "bare LF", text: "GET / HTTP/1.1\nHost: a\n\n", status: 400),
        ParserSample(
            name: "bare CR in a chunk size line (found by fuzzing)",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\u{16}\nhello\r\n0\r\n\r\n",
            status: 400),
        ParserSample(
            name: "bare CR in a field value", text: "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r2\r\n\r\n", status: 400),
        ParserSample(
            name: "bad chunk size", text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            status: 400),
    ]

    @Test("byte-at-a-time feeding gives the same result as all at once", arguments: samples, [1, 2, 3, 7, 64])
    func splitInvariance(sample: ParserSample, pieceSize: Int) {
        #expect(parse(sample.text, pieceSize: pieceSize) == parse(sample.text))
    }

    @Test("every sample either parses completely or fails with its status", arguments: samples)
    func sampleOutcome(sample: ParserSample) {
        let outcomes = parse(sample.text)
        if sample.status == 0 {
            #expect(failure(outcomes) == nil)
            #expect(outcomes.last == .end)
        } else {
            #expect(failure(outcomes)?.status == sample.status)
        }
    }

    @Test("a small GET yields its head and end")
    func smallGet() throws {
        let outcomes = parse("GET /ticks?count=3&x=y HTTP/1.1\r\nHost: localhost:8080\r\nX-A: 1\r\nx-a:  2 \r\n\r\n")
        #expect(outcomes.count == 2)
        let head = try #require(heads(outcomes).first)
        #expect(head.method == "GET")
        #expect(head.target == "/ticks?count=3&x=y")
        #expect(head.path == "/ticks")
        #expect(head.query == "count=3&x=y")
        #expect(head.version == .http1_1)
        #expect(head.framing == .none)
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
        #expect(head.headers["host"] == "localhost:8080")
        #expect(head.headers.values("X-A") == ["1", "2"])
        #expect(head.headers.count == 3)
        #expect(outcomes.last == .end)
    }

    @Test("pipelined requests come out in order with their bodies")
    func pipelining() throws {
        let outcomes = parse(Self.samples[3].text)
        #expect(heads(outcomes).map(\.path) == ["/a", "/b", "/c"])
        #expect(heads(outcomes).map(\.framing) == [.none, .contentLength(3), .chunked])
        #expect(outcomes.filter { $0 == .end }.count == 3)
        #expect(outcomes.contains(.body(Array("abc".utf8))))
        #expect(outcomes.contains(.body(Array("hi".utf8))))
    }

    @Test("the parser keeps the bytes of the next request buffered until asked")
    func bufferedBytes() throws {
        var parser = HTTPRequestParser()
        let first = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
        let second = "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"
        parser.append(contentsOf: Array((first + second).utf8))
        guard case .head(let head)? = try parser.next() else {
            Issue.record("expected a head")
            return
        }
        #expect(head.path == "/a")
        #expect(parser.bufferedByteCount == second.utf8.count)
        #expect(try parser.next() == .end)
        guard case .head(let next)? = try parser.next() else {
            Issue.record("expected a second head")
            return
        }
        #expect(next.path == "/b")
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test("a Content-Length body is delivered as it arrives, before it is complete")
    func streamingBody() throws {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabcd".utf8))
        guard case .head? = try parser.next() else {
            Issue.record("expected a head")
            return
        }
        #expect(try parser.next() == .body(Array("abcd".utf8)))
        #expect(try parser.next() == nil)
        parser.append(contentsOf: Array("efghijGET".utf8))
        #expect(try parser.next() == .body(Array("efghij".utf8)))
        #expect(try parser.next() == .end)
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 3)
    }

    @Test("chunked bodies are decoded, extensions and trailers dropped")
    func chunked() throws {
        let outcomes = parse(Self.samples[2].text)
        #expect(outcomes.count == 3)
        #expect(heads(outcomes).first?.framing == .chunked)
        #expect(outcomes[1] == .body(Array("hello, world".utf8)))
        #expect(outcomes[2] == .end)
    }

    @Test("a large chunked body split across appends is decoded intact")
    func largeChunkedBody() {
        let payload = String((0..<20_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        let text =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "\(String(payload.utf8.count, radix: 16))\r\n\(payload)\r\n0\r\n\r\n"
        for pieceSize in [0, 1000, 4097] {
            let outcomes = parse(text, pieceSize: pieceSize)
            #expect(outcomes.count == 3)
            #expect(outcomes[1] == .body(Array(payload.utf8)))
        }
    }

    @Test("a zero Content-Length is reported and no body event follows")
    func zeroLength() {
        let outcomes = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        #expect(heads(outcomes).first?.framing == .contentLength(0))
        #expect(outcomes.count == 2)
    }

    @Test(
        "repeated identical Content-Length values are accepted as one",
        arguments: [
            "Content-Length: 5\r\nContent-Length: 5\r\n", "Content-Length: 5, 5\r\n", "Content-Length: 5 ,5\r\n",
        ])
    func identicalContentLengths(fields: String) {
        let outcomes = parse("POST / HTTP/1.1\r\nHost: a\r\n\(fields)\r\nhello")
        #expect(heads(outcomes).first?.framing == .contentLength(5))
        #expect(outcomes.last == .end)
    }

    struct KeepAliveCase: Sendable, CustomTestStringConvertible {
        var version: String
        var connection: String?
        var keepAlive: Bool
        var testDescription: String { "\(version) Connection: \(connection ?? "absent")" }
    }

    @Test(
        "keep-alive follows the version and the Connection header",
        arguments: [
            KeepAliveCase(version: "HTTP/1.1", connection: nil, keepAlive: true),
            KeepAliveCase(version: "HTTP/1.1", connection: "close", keepAlive: false),
            KeepAliveCase(version: "HTTP/1.1", connection: "Upgrade, CLOSE", keepAlive: false),
            KeepAliveCase(version: "HTTP/1.1", connection: "keep-alive", keepAlive: true),
            KeepAliveCase(version: "HTTP/1.0", connection: nil, keepAlive: false),
            KeepAliveCase(version: "HTTP/1.0", connection: "Keep-Alive", keepAlive: true),
            KeepAliveCase(version: "HTTP/1.0", connection: "keep-alive, close", keepAlive: false),
        ])
    func keepAlive(example: KeepAliveCase) {
        let connection = example.connection.map { "Connection: \($0)\r\n" } ?? ""
        let outcomes = parse("GET / \(example.version)\r\nHost: a\r\n\(connection)\r\n")
        #expect(heads(outcomes).first?.keepAlive == example.keepAlive)
    }

    @Test("Expect: 100-continue is reported for HTTP/1.1 and ignored for HTTP/1.0")
    func expectContinue() {
        let request = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n"
        #expect(heads(parse(request)).first?.expectsContinue == true)
        let old = "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n"
        #expect(heads(parse(old)).first?.expectsContinue == false)
    }

    @Test("absolute-form and asterisk-form targets")
    func targetForms() {
        let absolute = heads(parse("GET http://example.com:80/a/b?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")).first
        #expect(absolute?.path == "/a/b")
        #expect(absolute?.query == "x=1")
        let bare = heads(parse("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")).first
        #expect(bare?.path == "/")
        #expect(bare?.query == nil)
        let asterisk = heads(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")).first
        #expect(asterisk?.path == "*")
        let empty = heads(parse("GET /a? HTTP/1.1\r\nHost: a\r\n\r\n")).first
        #expect(empty?.path == "/a")
        #expect(empty?.query == "")
    }

    @Test("after an error the parser stays failed")
    func staysFailed() {
        var parser = HTTPRequestParser()
        parser.append(contentsOf: Array("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.append(contentsOf: Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        let error = #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(error?.status == 400)
    }

    static let rejections: [ParserSample] = [
        // Request line.
        .init(name: "lowercase version", text: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "HTTP/2.0", text: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
        .init(name: "HTTP/1.2", text: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505),
        .init(name: "HTTP/0.9 style line", text: "GET /\r\n\r\n", status: 400),
        .init(name: "two-digit version", text: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "leading space", text: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "trailing space", text: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400),
        .init(name: "double space", text: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "tab separator", text: "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "method not a token", text: "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "space in target", text: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "fragment in target", text: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "non-ASCII target", text: "GET /é HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "relative target", text: "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "asterisk with GET", text: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        // Line endings and bytes.
        .init(name: "bare LF after request line", text: "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400),
        .init(name: "bare LF ending the head", text: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400),
        .init(name: "bare CR in value", text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", status: 400),
        .init(name: "bare CR ending a line", text: "GET / HTTP/1.1\rHost: a\r\n\r\n", status: 400),
        .init(name: "CR CR LF", text: "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", status: 400),
        .init(name: "NUL in value", text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", status: 400),
        .init(name: "DEL in value", text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}b\r\n\r\n", status: 400),
        .init(name: "NUL in target", text: "GET /\u{0} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        // Header names.
        .init(name: "space before colon", text: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400),
        .init(name: "tab before colon", text: "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", status: 400),
        .init(name: "space in name", text: "GET / HTTP/1.1\r\nHo st: a\r\n\r\n", status: 400),
        .init(name: "empty name", text: "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", status: 400),
        .init(name: "no colon", text: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400),
        .init(name: "non-token name", text: "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", status: 400),
        .init(name: "obs-fold with space", text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", status: 400),
        .init(name: "obs-fold with tab", text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", status: 400),
        .init(name: "folded first field", text: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400),
        // Host.
        .init(name: "missing Host in HTTP/1.1", text: "GET / HTTP/1.1\r\nX: 1\r\n\r\n", status: 400),
        .init(name: "two Host fields", text: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        .init(name: "invalid Host", text: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400),
        // Framing: request smuggling shapes.
        .init(
            name: "Content-Length and Transfer-Encoding",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        .init(
            name: "Transfer-Encoding then Content-Length",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", status: 400),
        .init(
            name: "differing Content-Length fields",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", status: 400),
        .init(
            name: "differing Content-Length list",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n", status: 400),
        .init(
            name: "Content-Length with sign", text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n",
            status: 400),
        .init(
            name: "negative Content-Length", text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
            status: 400),
        .init(
            name: "hex Content-Length", text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n",
            status: 400),
        .init(
            name: "space inside Content-Length",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", status: 400),
        .init(
            name: "empty Content-Length", text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", status: 400),
        .init(
            name: "Content-Length list with empty element",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3,\r\n\r\n", status: 400),
        .init(
            name: "overflowing Content-Length",
            text: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", status: 400),
        .init(
            name: "final coding not chunked",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400),
        .init(
            name: "chunked then gzip",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400),
        .init(
            name: "chunked then gzip on two lines",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
            status: 400),
        .init(
            name: "chunked twice",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", status: 400),
        .init(
            name: "chunked twice on two lines",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            status: 400),
        .init(
            name: "chunked with parameter",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", status: 400),
        .init(
            name: "misspelt chunked", text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunk\r\n\r\n",
            status: 400),
        .init(
            name: "empty Transfer-Encoding", text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n",
            status: 400),
        .init(
            name: "gzip before chunked",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501),
        .init(
            name: "Transfer-Encoding in HTTP/1.0",
            text: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400),
        // Chunked bodies.
        .init(
            name: "non-hex chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", status: 400),
        .init(
            name: "empty chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", status: 400),
        .init(
            name: "signed chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", status: 400),
        .init(
            name: "0x chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n", status: 400),
        .init(
            name: "overflowing chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", status: 400),
        .init(
            name: "chunk size just over Int.max",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8000000000000000\r\n", status: 400),
        .init(
            name: "space before chunk size line end",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "missing CRLF after chunk data",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "LF only after chunk data",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", status: 400),
        .init(
            name: "bare LF ending chunk size",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", status: 400),
        .init(
            name: "bare LF inside chunk extension",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "malformed chunk extension",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "unterminated quoted chunk extension",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n0\r\n\r\n",
            status: 400),
        .init(
            name: "chunk extension over the limit",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a="
                + String(repeating: "x", count: 2000)
                + "\r\nhello\r\n0\r\n\r\n", status: 400),
        .init(
            name: "obs-fold in trailer",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n", status: 400
        ),
        .init(
            name: "invalid trailer name",
            text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA b: c\r\n\r\n", status: 400),
    ]

    @Test("malformed and ambiguous requests are rejected with their status", arguments: rejections)
    func rejection(sample: ParserSample) {
        #expect(failure(parse(sample.text))?.status == sample.status)
        #expect(failure(parse(sample.text, pieceSize: 1))?.status == sample.status)
    }

    @Test("a bare CR or LF is rejected as soon as it is seen, before the head is complete")
    func earlyRejection() {
        for text in ["GET / HTTP/1.1\rX", "GET / HTTP/1.1\r\nHost: a\nX"] {
            #expect(failure(parse(text))?.status == 400)
        }
    }

    static func head(ofSize size: Int) -> String {
        let start = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: "
        let end = "\r\n\r\n"
        return start + String(repeating: "p", count: size - start.utf8.count - end.utf8.count) + end
    }

    @Test("a head of exactly maxHeaderBytes is accepted, one byte more gets 431")
    func headSizeLimit() {
        #expect(failure(parse(Self.head(ofSize: 16 * 1024))) == nil)
        #expect(failure(parse(Self.head(ofSize: 16 * 1024 + 1)))?.status == 431)
        let small = HTTPParserLimits(maxHeaderBytes: 100)
        #expect(failure(parse(Self.head(ofSize: 100), limits: small)) == nil)
        #expect(failure(parse(Self.head(ofSize: 101), limits: small))?.status == 431)
        #expect(failure(parse(Self.head(ofSize: 101), pieceSize: 1, limits: small))?.status == 431)
    }

    @Test("an unterminated head over the limit gets 431 without waiting for its end")
    func unterminatedHead() {
        let text = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 17 * 1024)
        #expect(failure(parse(text))?.status == 431)
        #expect(failure(parse(String(repeating: "A", count: 17 * 1024)))?.status == 431)
    }

    @Test("the header count limit is enforced")
    func headerCount() {
        func request(fields: Int) -> String {
            "GET / HTTP/1.1\r\nHost: a\r\n" + (1..<fields).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(failure(parse(request(fields: 100))) == nil)
        #expect(failure(parse(request(fields: 101)))?.status == 431)
    }

    @Test("the trailer size limit is enforced")
    func trailerLimit() {
        let limits = HTTPParserLimits(maxTrailerBytes: 64)
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let fits = prefix + "T: " + String(repeating: "t", count: 40) + "\r\n\r\n"
        let tooLarge = prefix + "T: " + String(repeating: "t", count: 80) + "\r\n\r\n"
        #expect(failure(parse(fits, limits: limits)) == nil)
        #expect(failure(parse(tooLarge, limits: limits))?.status == 431)
    }

    @Test("chunk extensions up to the limit are accepted")
    func chunkExtensionLimit() {
        let limits = HTTPParserLimits(maxChunkExtensionBytes: 16)
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(failure(parse(prefix + "1;abcdefghijklmno\r\nx\r\n0\r\n\r\n", limits: limits)) == nil)
        #expect(failure(parse(prefix + "1;abcdefghijklmnop\r\nx\r\n0\r\n\r\n", limits: limits))?.status == 400)
    }
}
