// libFuzzer target for the HTTP/1.1 parsers. Built by fuzz/run.sh together with the files of
// Sources/RemoteFunctionsHTTP/Parser (and nothing else), so it uses their internal API as one module.
//
// For each input it checks, for the request parser and then the response parser:
// - feeding the bytes in 1 to 3 pieces (split points derived from a hash of the input), and for short
//   inputs byte by byte, produces exactly the events and error of feeding them all at once;
// - events follow `head (body)* end`, body pieces are never empty, a Content-Length body has exactly its
//   length, request heads never use `.untilClose` and never carry both Content-Length and
//   Transfer-Encoding;
// - a failed parser stays failed with the same error, and errors carry a status the server can send;
// - an accepted request head, written out again with HTTPHeaders.write(into:), parses to the same head.
// Any violation traps, which libFuzzer reports as a crash.

/// What a parser produced, with adjacent body pieces merged so that different splits compare equal.
private enum Outcome: Hashable {
    case requestHead(HTTPRequestHead)
    case responseHead(HTTPResponseHead)
    case body([UInt8])
    case end
    case failure(HTTPParseError)
}

/// Checks the event grammar and records events, merging body pieces.
private struct Recorder {
    var outcomes: [Outcome] = []
    private var inMessage = false
    private var expectedBodyBytes: Int?
    private var bodyBytes = 0

    mutating func head(_ outcome: Outcome, framing: HTTPBodyFraming) {
        precondition(!inMessage, "a head inside a message")
        inMessage = true
        bodyBytes = 0
        switch framing {
        case .none: expectedBodyBytes = 0
        case .contentLength(let length): expectedBodyBytes = length
        case .chunked, .untilClose: expectedBodyBytes = nil
        }
        outcomes.append(outcome)
    }

    mutating func body(_ bytes: [UInt8]) {
        precondition(inMessage, "a body outside a message")
        precondition(!bytes.isEmpty, "an empty body piece")
        bodyBytes += bytes.count
        if let expectedBodyBytes { precondition(bodyBytes <= expectedBodyBytes, "more body than Content-Length") }
        if case .body(let previous)? = outcomes.last {
            outcomes[outcomes.count - 1] = .body(previous + bytes)
        } else {
            outcomes.append(.body(bytes))
        }
    }

    mutating func end() {
        precondition(inMessage, "an end outside a message")
        if let expectedBodyBytes { precondition(bodyBytes == expectedBodyBytes, "body shorter than Content-Length") }
        inMessage = false
        outcomes.append(.end)
    }

    mutating func failure(_ error: HTTPParseError) {
        precondition([400, 431, 501, 505].contains(error.status), "unexpected status \(error.status)")
        precondition(!error.reason.isEmpty, "an error without a reason")
        outcomes.append(.failure(error))
    }
}

private func checkRequestHead(_ head: HTTPRequestHead) {
    precondition(head.framing != .untilClose, "a request body delimited by the close")
    precondition(head.version == .http1_0 || head.version == .http1_1, "unsupported version accepted")
    precondition(!head.method.isEmpty && !head.target.isEmpty, "empty method or target")
    let hasTransferEncoding = head.headers.contains("Transfer-Encoding")
    let hasContentLength = head.headers.contains("Content-Length")
    precondition(!(hasTransferEncoding && hasContentLength), "smuggling shape accepted")
    if hasTransferEncoding { precondition(head.framing == .chunked, "Transfer-Encoding without chunked framing") }
    if head.version == .http1_1 { precondition(head.headers.values("Host").count == 1, "Host count") }
    for (name, value) in head.headers {
        precondition(!name.isEmpty && !name.utf8.contains(UInt8(ascii: ":")), "invalid name accepted")
        precondition(!value.utf8.contains { $0 == 0 || $0 == 10 || $0 == 13 }, "CR, LF or NUL in a value")
    }
    // Serialising the head again and parsing it gives the same head.
    var bytes = Array("\(head.method) \(head.target) \(head.version)\r\n".utf8)
    head.headers.write(into: &bytes)
    bytes += Array("\r\n".utf8)
    var parser = HTTPRequestParser()
    parser.append(contentsOf: bytes)
    do {
        guard case .head(let again)? = try parser.next() else {
            preconditionFailure("a re-serialised head is incomplete")
        }
        precondition(again == head, "a re-serialised head parses differently")
    } catch {
        preconditionFailure("a re-serialised head fails: \(error)")
    }
}

/// Parses `bytes` split at `splits` (sorted offsets) with a request parser.
private func parseRequest(_ bytes: [UInt8], splits: [Int]) -> [Outcome] {
    var parser = HTTPRequestParser()
    var recorder = Recorder()
    var start = 0
    for end in splits + [bytes.count] {
        bytes[start..<end].withUnsafeBytes { parser.append($0) }
        start = end
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    checkRequestHead(head)
                    recorder.head(.requestHead(head), framing: head.framing)
                case .body(let body): recorder.body(body)
                case .end: recorder.end()
                }
            }
        } catch {
            recorder.failure(error)
            var again = parser
            again.append(contentsOf: Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
            do {
                _ = try again.next()
                preconditionFailure("a failed parser recovered")
            } catch let second {
                precondition(second == error, "a failed parser changed its error")
            }
            return recorder.outcomes
        }
    }
    precondition(parser.bufferedByteCount >= 0 && parser.bufferedByteCount <= bytes.count, "buffered count")
    return recorder.outcomes
}

/// Parses `bytes` split at `splits` with a response parser, then signals the close.
private func parseResponse(_ bytes: [UInt8], splits: [Int], toHEAD: Bool) -> [Outcome] {
    var parser = HTTPResponseParser()
    parser.expectResponse(toHEAD: toHEAD)
    var recorder = Recorder()
    func record(_ event: HTTPResponseParser.Event) {
        switch event {
        case .head(let head):
            precondition((100...599).contains(head.status), "status out of range")
            recorder.head(.responseHead(head), framing: head.framing)
        case .body(let body): recorder.body(body)
        case .end: recorder.end()
        }
    }
    var start = 0
    do {
        for end in splits + [bytes.count] {
            parser.append(contentsOf: Array(bytes[start..<end]))
            start = end
            while let event = try parser.next() { record(event) }
        }
        while let event = try parser.finishInput() { record(event) }
    } catch {
        recorder.failure(error)
    }
    return recorder.outcomes
}

/// FNV-1a, to derive split points from the input itself so runs are reproducible.
private func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return value
}

private func splits(count: Int, seed: UInt64) -> [Int] {
    guard count > 1 else { return [] }
    var state = seed
    let pieces = Int(state % 3)  // 0, 1 or 2 split points: 1 to 3 pieces
    var points: [Int] = []
    for _ in 0..<pieces {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        points.append(1 + Int((state >> 33) % UInt64(count - 1)))
    }
    return points.sorted()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let buffer = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    let bytes = Array(buffer)
    let seed = hash(buffer)
    let cuts = splits(count: bytes.count, seed: seed)

    let request = parseRequest(bytes, splits: [])
    precondition(parseRequest(bytes, splits: cuts) == request, "request split invariance, splits \(cuts)")
    if bytes.count <= 512 {
        precondition(parseRequest(bytes, splits: Array(0..<bytes.count)) == request, "request byte-at-a-time")
    }

    let toHEAD = seed & 0x8000 != 0
    let response = parseResponse(bytes, splits: [], toHEAD: toHEAD)
    precondition(
        parseResponse(bytes, splits: cuts, toHEAD: toHEAD) == response, "response split invariance, splits \(cuts)")
    return 0
}
