/// A strict, incremental HTTP/1.1 response parser (RFC 9112) for a client connection.
///
/// Before each response, call ``expectResponse(toHEAD:)`` once (the expectations queue up, so a client
/// that pipelines may call it once per request sent). Append bytes as they arrive and call ``next()``
/// until it returns `nil`. Each response yields `.head`, zero or more `.body` pieces, then `.end`. When
/// the peer closes the connection, call ``finishInput()`` and keep calling it (or ``next()``) until it
/// returns `nil`: it ends a body delimited by the close and throws if a message was cut short.
///
/// Interim 1xx responses (100 Continue, 103 Early Hints, …) are skipped: their heads are validated and
/// dropped, and the final response that follows is reported. `101 Switching Protocols` is final and is
/// reported, with no body. Responses to HEAD and 204 and 304 responses have no body whatever their
/// headers say. Lines must end in CRLF; the same field rules and limits as ``HTTPRequestParser`` apply.
/// Content-Length together with Transfer-Encoding, or Transfer-Encoding in an HTTP/1.0 response, is
/// rejected (400); any transfer coding other than a single `chunked` is unsupported (501). A response with
/// neither runs until the connection closes. Errors carry the status the parser would give a request
/// with the same defect; a client should treat every error as a broken connection.
public struct HTTPResponseParser: Sendable {
    /// One step of a response.
    public enum Event: Sendable, Hashable {
        /// The status line and headers of a final (non-1xx, or 101) response.
        case head(HTTPResponseHead)
        /// The next piece of the decoded body (chunked framing removed). Never empty.
        case body([UInt8])
        /// The response is complete.
        case end
    }

    private enum Phase {
        case head
        case body
    }

    private let limits: HTTPParserLimits
    private var input = HTTPInputBuffer()
    private var phase = Phase.head
    private var reader = HTTPHeadReader()
    private var statusLine: HTTPStatusLine?
    private var fields = HTTPHeadFields()
    private var body = HTTPBodyDecoder(framing: .none)
    private var expectations: [Bool] = []
    private var expectationIndex = 0
    private var inputFinished = false
    private var failure: HTTPParseError?

    /// Creates a parser with the given limits.
    public init(limits: HTTPParserLimits = .default) {
        self.limits = limits
    }

    /// The number of bytes appended but not yet consumed.
    public var bufferedByteCount: Int { input.count }

    /// Records whether the next response not yet announced answers a HEAD request (and so has no body).
    /// Without a call, a response is assumed to answer a request other than HEAD.
    public mutating func expectResponse(toHEAD: Bool) {
        expectations.append(toHEAD)
    }

    /// Appends received bytes (copied).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        input.append(bytes)
    }

    /// Appends received bytes.
    public mutating func append(contentsOf bytes: [UInt8]) {
        input.append(contentsOf: bytes)
    }

    /// The next event, or `nil` when more bytes are needed. Throws, and stays failed, on invalid input.
    public mutating func next() throws(HTTPParseError) -> Event? {
        if let failure { throw failure }
        do {
            switch phase {
            case .head:
                return try nextHead().map(Event.head)
            case .body:
                switch try body.next(from: &input, inputFinished: inputFinished, limits: limits) {
                case .bytes(let bytes):
                    return .body(bytes)
                case .end:
                    phase = .head
                    return .end
                case .needMore:
                    return nil
                }
            }
        } catch {
            failure = error
            throw error
        }
    }

    /// Signals that the peer closed the connection, then returns the next event like ``next()``. A body
    /// delimited by the close ends with `.end`; a head or body cut short throws; `nil` means nothing is left.
    public mutating func finishInput() throws(HTTPParseError) -> Event? {
        inputFinished = true
        return try next()
    }

    private mutating func nextHead() throws(HTTPParseError) -> HTTPResponseHead? {
        while true {
            guard let line = try reader.nextLine(in: &input, limits: limits) else {
                if inputFinished && (reader.hasStarted || input.count > 0) { throw .incompleteMessage }
                return nil
            }
            switch line {
            case .startLine(let length):
                statusLine = try input.withBytes(length) { line throws(HTTPParseError) in
                    try HTTPStatusLine(parsing: line)
                }
                input.consume(length + 2)
            case .field(let length):
                let field = try input.withBytes(length) { line throws(HTTPParseError) in
                    try HTTPFieldLine(parsing: line)
                }
                input.consume(length + 2)
                try fields.add(field)
            case .end:
                guard let statusLine = self.statusLine.take() else {
                    throw .badRequest("Invalid status line")
                }
                var completed = HTTPHeadFields()
                swap(&completed, &fields)
                if statusLine.status < 200 && statusLine.status != 101 { continue }
                let toHEAD = nextExpectation()
                let head = try Self.makeHead(statusLine, completed, toHEAD: toHEAD)
                body = HTTPBodyDecoder(framing: head.framing)
                phase = .body
                return head
            }
        }
    }

    private mutating func nextExpectation() -> Bool {
        guard expectationIndex < expectations.count else { return false }
        let toHEAD = expectations[expectationIndex]
        expectationIndex += 1
        if expectationIndex == expectations.count {
            expectations.removeAll(keepingCapacity: true)
            expectationIndex = 0
        }
        return toHEAD
    }

    private static func makeHead(
        _ line: consuming HTTPStatusLine,
        _ fields: consuming HTTPHeadFields,
        toHEAD: Bool
    ) throws(HTTPParseError) -> HTTPResponseHead {
        let isHTTP11 = line.version == .http1_1
        if fields.hasTransferEncoding && fields.contentLength != nil {
            throw .badRequest("Both Content-Length and Transfer-Encoding are present")
        }
        var keepAlive = !fields.connectionClose && (isHTTP11 || fields.connectionKeepAlive)
        let framing: HTTPBodyFraming
        if toHEAD || line.status < 200 || line.status == 204 || line.status == 304 {
            framing = .none
        } else if fields.hasTransferEncoding {
            guard isHTTP11 else { throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0") }
            guard fields.lastCodingIsChunked, !fields.hasUnsupportedCoding else { throw .unsupportedTransferCoding }
            framing = .chunked
        } else if let length = fields.contentLength {
            framing = .contentLength(length)
        } else {
            framing = .untilClose
            keepAlive = false
        }
        if line.status == 101 { keepAlive = false }
        return HTTPResponseHead(
            version: line.version,
            status: line.status,
            reason: line.reason,
            headers: fields.headers,
            framing: framing,
            keepAlive: keepAlive
        )
    }
}
