/// Parses one `field-name ":" OWS field-value OWS` line (RFC 9112 §5), CRLF already removed.
enum HTTPFieldLine {
    /// Returns the name and the value with surrounding whitespace removed, or throws 400 for obs-fold, an
    /// invalid or empty name, whitespace before the colon, or a forbidden byte (CR, NUL, other controls, DEL)
    /// in the value.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
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
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name, value)
    }
}
