/// A strict, incremental HTTP/1.1 request parser (RFC 9112) for a server connection.
///
/// Append bytes as they arrive and call ``next()`` until it returns `nil` ("need more bytes"). Each request
/// yields `.head`, then zero or more `.body` pieces, then `.end`; the call after `.end` starts on the next
/// pipelined request in the buffer. Any malformed, ambiguous or oversized input throws an
/// ``HTTPParseError`` carrying the status to answer with, and the parser then stays failed: every later
/// call to ``next()`` throws the same error, and the connection must be closed.
///
/// What is rejected:
/// - a request line that is not exactly `token SP target SP HTTP/1.x` (400; other versions 505);
/// - any line not ending in CRLF (a bare LF is rejected, not tolerated), a CR anywhere else, NUL and other
///   control bytes in field values (400);
/// - invalid field names, whitespace before the colon, obs-fold (400);
/// - a head over ``HTTPParserLimits/maxHeaderBytes`` or with more than ``HTTPParserLimits/maxHeaderCount``
///   fields (431);
/// - Content-Length with Transfer-Encoding, differing or malformed Content-Length values, Transfer-Encoding
///   in HTTP/1.0, a final coding other than `chunked`, `chunked` twice (400); codings other than `chunked`
///   before it (501);
/// - a missing Host in HTTP/1.1, several Host fields or an invalid Host (400);
/// - malformed or overflowing chunk sizes, extensions over the limit, chunk data not followed by CRLF,
///   trailer sections over ``HTTPParserLimits/maxTrailerBytes`` (431).
///
/// Empty lines before a request line are skipped (RFC 9112 §2.2). Trailer fields are validated and
/// discarded. Request targets are kept percent-encoded.
public struct HTTPRequestParser: Sendable {
    /// One step of a request.
    public enum Event: Sendable, Hashable {
        /// The request line and headers, validated.
        case head(HTTPRequestHead)
        /// The next piece of the decoded body (chunked framing removed). Never empty.
        case body([UInt8])
        /// The request is complete.
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
    private var requestLine: HTTPRequestLine?
    private var fields = HTTPHeadFields()
    private var body = HTTPBodyDecoder(framing: .none)
    private var failure: HTTPParseError?

    /// Creates a parser with the given limits.
    public init(limits: HTTPParserLimits = .default) {
        self.limits = limits
    }

    /// The number of bytes appended but not yet consumed by ``next()``.
    public var bufferedByteCount: Int { input.count }

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
                switch try body.next(from: &input, inputFinished: false, limits: limits) {
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

    private mutating func nextHead() throws(HTTPParseError) -> HTTPRequestHead? {
        while let line = try reader.nextLine(in: &input, limits: limits) {
            switch line {
            case .startLine(let length):
                requestLine = try input.withBytes(length) { line throws(HTTPParseError) in
                    try HTTPRequestLine(parsing: line)
                }
                input.consume(length + 2)
            case .field(let length):
                let field = try input.withBytes(length) { line throws(HTTPParseError) in
                    try HTTPFieldLine(parsing: line)
                }
                input.consume(length + 2)
                try fields.add(field)
            case .end:
                guard let requestLine = self.requestLine.take() else {
                    throw .badRequest("Invalid request line")
                }
                var completed = HTTPHeadFields()
                swap(&completed, &fields)
                let head = try Self.makeHead(requestLine, completed)
                body = HTTPBodyDecoder(framing: head.framing)
                phase = .body
                return head
            }
        }
        return nil
    }

    private static func makeHead(
        _ line: consuming HTTPRequestLine,
        _ fields: consuming HTTPHeadFields
    ) throws(HTTPParseError) -> HTTPRequestHead {
        let isHTTP11 = line.version == .http1_1
        if isHTTP11 && fields.hostCount == 0 { throw .badRequest("Missing Host header") }
        if fields.hostCount > 1 { throw .badRequest("Multiple Host headers") }
        let framing: HTTPBodyFraming
        if fields.hasTransferEncoding {
            guard isHTTP11 else { throw .badRequest("Transfer-Encoding is not allowed in HTTP/1.0") }
            guard fields.contentLength == nil else {
                throw .badRequest("Both Content-Length and Transfer-Encoding are present")
            }
            guard fields.lastCodingIsChunked else {
                throw .badRequest("The chunked coding must be the final transfer coding")
            }
            guard !fields.hasUnsupportedCoding else { throw .unsupportedTransferCoding }
            framing = .chunked
        } else if let length = fields.contentLength {
            framing = .contentLength(length)
        } else {
            framing = .none
        }
        let keepAlive = !fields.connectionClose && (isHTTP11 || fields.connectionKeepAlive)
        return HTTPRequestHead(
            method: line.method,
            target: line.target,
            path: line.path,
            query: line.query,
            version: line.version,
            headers: fields.headers,
            framing: framing,
            keepAlive: keepAlive,
            expectsContinue: isHTTP11 && fields.expectsContinue
        )
    }
}
