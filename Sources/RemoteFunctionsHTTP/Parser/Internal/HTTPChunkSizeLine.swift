/// Parses `chunk-size [ chunk-ext ]` (RFC 9112 §7.1), CRLF already removed. Extensions are validated and
/// discarded.
enum HTTPChunkSizeLine {
    /// The chunk size, or 400 for a missing, non-hexadecimal or overflowing size, an extension longer than
    /// the limit or malformed extension syntax.
    static func parse(
        _ line: UnsafeBufferPointer<UInt8>,
        maxExtensionBytes: Int
    ) throws(HTTPParseError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, let digit = HTTPGrammar.hexValue(line[index]) {
            guard size <= (Int.max - digit) / 16 else { throw .badRequest("Invalid chunk size") }
            size = size * 16 + digit
            index += 1
        }
        guard index > 0 else { throw .badRequest("Invalid chunk size") }
        guard line.count - index <= maxExtensionBytes else { throw .badRequest("Chunk extension too long") }
        try validateExtensions(line, from: index)
        return size
    }

    /// `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`, with no trailing whitespace.
    private static func validateExtensions(_ line: UnsafeBufferPointer<UInt8>, from start: Int) throws(HTTPParseError) {
        let invalid = HTTPParseError.badRequest("Invalid chunk extension")
        var index = start
        func skipWhitespace() {
            while index < line.count && HTTPGrammar.isWhitespace(line[index]) { index += 1 }
        }
        func skipToken() throws(HTTPParseError) {
            let tokenStart = index
            while index < line.count && HTTPGrammar.isTokenByte(line[index]) { index += 1 }
            guard index > tokenStart else { throw invalid }
        }
        func skipQuotedString() throws(HTTPParseError) {
            index += 1
            while index < line.count {
                let byte = line[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                if byte == UInt8(ascii: "\\") {
                    index += 1
                    guard index < line.count, HTTPGrammar.isFieldValueByte(line[index]) else { throw invalid }
                } else {
                    guard HTTPGrammar.isFieldValueByte(byte) else { throw invalid }
                }
                index += 1
            }
            throw invalid
        }
        while index < line.count {
            skipWhitespace()
            guard index < line.count, line[index] == UInt8(ascii: ";") else { throw invalid }
            index += 1
            skipWhitespace()
            try skipToken()
            let afterName = index
            skipWhitespace()
            if index < line.count && line[index] == UInt8(ascii: "=") {
                index += 1
                skipWhitespace()
                if index < line.count && line[index] == UInt8(ascii: "\"") {
                    try skipQuotedString()
                } else {
                    try skipToken()
                }
            } else if index == line.count {
                guard index == afterName else { throw invalid }
            }
        }
    }
}
