/// Byte classes and small scanners from RFC 9110 and RFC 9112.
enum HTTPGrammar {
    // Bit n of the low mask is set when byte n (0..<64) is a tchar; bit n of the high mask when byte n + 64 is.
    private static let tokenMaskLow: UInt64 = 0x03ff_6cfa_0000_0000
    private static let tokenMaskHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    /// `tchar`: ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if byte < 64 { return (tokenMaskLow >> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (tokenMaskHigh >> UInt64(byte - 64)) & 1 == 1 }
        return false
    }

    /// A byte allowed in a field value: HTAB, SP, VCHAR or obs-text (so no other control byte, no DEL).
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == 0x09
    }

    /// SP or HTAB (`OWS`/`BWS` whitespace).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// The value of a hexadecimal digit, or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Whether `bytes` is a non-empty token.
    static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where !isTokenByte(byte) { return false }
        return true
    }

    /// Whether `bytes` equals `lowercase` ignoring ASCII case; `lowercase` must be lowercase ASCII.
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in bytes {
                if HTTPHeaders.asciiLowercased(byte) != expected[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// Splits a comma-separated list value into its elements with surrounding whitespace removed. Empty
    /// elements are kept (as empty slices) so callers can reject them.
    static func listElements(_ value: String) -> [Substring.UTF8View] {
        var elements: [Substring.UTF8View] = []
        for element in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            var start = element.startIndex
            var end = element.endIndex
            while start < end && isWhitespace(element[start]) { start = element.index(after: start) }
            while end > start && isWhitespace(element[element.index(before: end)]) { end = element.index(before: end) }
            elements.append(element[start..<end])
        }
        return elements
    }
}
