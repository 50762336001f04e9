/// Delimits one message body in the input according to its framing, decoding chunked framing and
/// validating (then discarding) chunk extensions and trailer fields.
struct HTTPBodyDecoder: Sendable {
    /// What the decoder produced.
    enum Output {
        /// Body bytes, in order.
        case bytes([UInt8])
        /// The body is complete; its last byte (and any chunked trailer) has been consumed.
        case end
        /// More input is needed.
        case needMore
    }

    private enum State {
        case fixed(remaining: Int)
        case chunkSizeLine(scanned: Int)
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(scanned: Int, bytes: Int, fields: Int)
        case untilClose
        case finished
    }

    private var state: State

    init(framing: HTTPBodyFraming) {
        switch framing {
        case .none: state = .finished
        case .contentLength(let length): state = .fixed(remaining: length)
        case .chunked: state = .chunkSizeLine(scanned: 0)
        case .untilClose: state = .untilClose
        }
    }

    /// Produces the next piece of the body from `input`. With `inputFinished` (the peer closed), a body
    /// delimited by the close ends, and any other unfinished body is an error.
    mutating func next(
        from input: inout HTTPInputBuffer,
        inputFinished: Bool,
        limits: HTTPParserLimits
    ) throws(HTTPParseError) -> Output {
        while true {
            switch state {
            case .finished:
                return .end
            case .fixed(let remaining):
                guard remaining > 0 else { return .end }
                guard input.count > 0 else { return try needMore(inputFinished) }
                let length = min(remaining, input.count)
                state = .fixed(remaining: remaining - length)
                return .bytes(input.take(length))
            case .untilClose:
                if input.count > 0 { return .bytes(input.take(input.count)) }
                return inputFinished ? .end : .needMore
            case .chunkData(let remaining):
                guard input.count > 0 else { return try needMore(inputFinished) }
                let length = min(remaining, input.count)
                state = remaining == length ? .chunkDataEnd : .chunkData(remaining: remaining - length)
                return .bytes(input.take(length))
            case .chunkDataEnd:
                if input.count >= 1 && input.byte(at: 0) != UInt8(ascii: "\r")
                    || input.count >= 2 && input.byte(at: 1) != UInt8(ascii: "\n")
                {
                    throw .badRequest("Missing CRLF after chunk data")
                }
                guard input.count >= 2 else { return try needMore(inputFinished) }
                input.consume(2)
                state = .chunkSizeLine(scanned: 0)
            case .chunkSizeLine(let scanned):
                // The size needs at most 16 hexadecimal digits once leading zeros are gone; allow some slack
                // for leading zeros and whitespace before the extensions.
                let maxLineLength = limits.maxChunkExtensionBytes + 64
                switch input.findLine(resumingAfter: scanned) {
                case .bareCR: throw .bareCR
                case .bareLF: throw .bareLF
                case .incomplete(let scanned):
                    guard scanned <= maxLineLength + 1 else { throw .badRequest("Chunk extension too long") }
                    state = .chunkSizeLine(scanned: scanned)
                    return try needMore(inputFinished)
                case .found(let length):
                    guard length <= maxLineLength else { throw .badRequest("Chunk extension too long") }
                    let size = try input.withBytes(length) { line throws(HTTPParseError) in
                        try HTTPChunkSizeLine.parse(line, maxExtensionBytes: limits.maxChunkExtensionBytes)
                    }
                    input.consume(length + 2)
                    state = size == 0 ? .trailers(scanned: 0, bytes: 0, fields: 0) : .chunkData(remaining: size)
                }
            case .trailers(let scanned, let bytes, let fields):
                switch input.findLine(resumingAfter: scanned) {
                case .bareCR: throw .bareCR
                case .bareLF: throw .bareLF
                case .incomplete(let scanned):
                    guard bytes + scanned <= limits.maxTrailerBytes else { throw .trailersTooLarge }
                    state = .trailers(scanned: scanned, bytes: bytes, fields: fields)
                    return try needMore(inputFinished)
                case .found(let length):
                    let bytes = bytes + length + 2
                    guard bytes <= limits.maxTrailerBytes else { throw .trailersTooLarge }
                    if length == 0 {
                        input.consume(2)
                        state = .finished
                        return .end
                    }
                    guard fields < limits.maxHeaderCount else { throw .tooManyFields }
                    _ = try input.withBytes(length) { line throws(HTTPParseError) in try HTTPFieldLine(parsing: line) }
                    input.consume(length + 2)
                    state = .trailers(scanned: 0, bytes: bytes, fields: fields + 1)
                }
            }
        }
    }

    private func needMore(_ inputFinished: Bool) throws(HTTPParseError) -> Output {
        if inputFinished { throw .incompleteMessage }
        return .needMore
    }
}
