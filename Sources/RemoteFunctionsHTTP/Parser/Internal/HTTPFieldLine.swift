/// One `field-name ":" OWS field-value OWS` line (RFC 9112 §5), parsed.
struct HTTPFieldLine: Sendable {
    /// The fields whose values the parsers interpret.
    enum Kind: Sendable {
        case host, expect, connection, contentLength, transferEncoding, other
    }

    var name: String
    var value: String
    var kind: Kind

    /// Parses a line (CRLF already removed). Throws 400 for obs-fold, an invalid or empty name, whitespace
    /// before the colon, or a forbidden byte (CR, NUL, other controls, DEL) in the value. Surrounding
    /// whitespace is removed from the value.
    init(parsing line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        guard let first = line.first else { throw .badRequest("Invalid header field") }
        if HTTPGrammar.isWhitespace(first) { throw .badRequest("Obsolete line folding is not allowed") }
        var colon = 0
        while colon < line.count && HTTPGrammar.isTokenByte(line[colon]) { colon += 1 }
        guard colon < line.count, line[colon] == UInt8(ascii: ":") else {
            if colon < line.count && HTTPGrammar.isWhitespace(line[colon]) {
                throw .badRequest("Whitespace before the colon of a header field")
            }
            throw .badRequest("Invalid header field name")
        }
        guard colon > 0 else { throw .badRequest("Invalid header field name") }
        var start = colon + 1
        var end = line.count
        while start < end && HTTPGrammar.isWhitespace(line[start]) { start += 1 }
        while end > start && HTTPGrammar.isWhitespace(line[end - 1]) { end -= 1 }
        var index = start
        while index < end {
            guard HTTPGrammar.isFieldValueByte(line[index]) else {
                if line[index] == UInt8(ascii: "\r") { throw .bareCR }
                throw .badRequest("Invalid character in header field value")
            }
            index += 1
        }
        let nameBytes = UnsafeBufferPointer(rebasing: line[0..<colon])
        name = String(decoding: nameBytes, as: UTF8.self)
        value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        kind = Self.kind(of: nameBytes)
    }

    private static func kind(of name: UnsafeBufferPointer<UInt8>) -> Kind {
        switch name.count {
        case 4 where HTTPGrammar.equalsIgnoringCase(name, "host"): .host
        case 6 where HTTPGrammar.equalsIgnoringCase(name, "expect"): .expect
        case 10 where HTTPGrammar.equalsIgnoringCase(name, "connection"): .connection
        case 14 where HTTPGrammar.equalsIgnoringCase(name, "content-length"): .contentLength
        case 17 where HTTPGrammar.equalsIgnoringCase(name, "transfer-encoding"): .transferEncoding
        default: .other
        }
    }
}
