/// Byte-level reading of a JSON document for ``WireJSONDecoder``: a strict validation pass over
/// the whole document, then positional helpers (skip a value, list an object's members, read a
/// string or a number) that assume the document passed validation.
///
/// Anything the fast decoder is not certain to read exactly like Foundation's `JSONDecoder` (a
/// byte-order mark, a number that is not a plain integer where an integer is expected, a lone
/// surrogate escape, invalid UTF-8 in a string that is read, nesting deeper than
/// ``maximumDepth``) is reported as a fallback, so that Foundation decides.
struct JSONScanner {
    let bytes: [UInt8]

    /// Deeper documents are left to Foundation, which has its own limit.
    static let maximumDepth = 256

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Validation

    /// The offset of the root value when the whole document is valid JSON that this scanner can
    /// read (one value, surrounded by whitespace only), or `nil`.
    func validatedRoot() -> Int? {
        let start = skipWhitespace(from: 0)
        guard let end = validateValue(at: start, depth: 0) else { return nil }
        guard skipWhitespace(from: end) == bytes.count else { return nil }
        return start
    }

    /// Validates the value at `index`, returning the offset just past it.
    private func validateValue(at index: Int, depth: Int) -> Int? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { return nil }
            var position = skipWhitespace(from: index + 1)
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "}") { return position + 1 }
            while true {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""),
                    let keyEnd = validateString(at: position)
                else { return nil }
                position = skipWhitespace(from: keyEnd)
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position = skipWhitespace(from: position + 1)
                guard let valueEnd = validateValue(at: position, depth: depth + 1) else { return nil }
                position = skipWhitespace(from: valueEnd)
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: "}") { return position + 1 }
                guard bytes[position] == UInt8(ascii: ",") else { return nil }
                position = skipWhitespace(from: position + 1)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { return nil }
            var position = skipWhitespace(from: index + 1)
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "]") { return position + 1 }
            while true {
                guard let valueEnd = validateValue(at: position, depth: depth + 1) else { return nil }
                position = skipWhitespace(from: valueEnd)
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: "]") { return position + 1 }
                guard bytes[position] == UInt8(ascii: ",") else { return nil }
                position = skipWhitespace(from: position + 1)
            }
        case UInt8(ascii: "\""):
            return validateString(at: index)
        case UInt8(ascii: "t"):
            return matches("true", at: index) ? index + 4 : nil
        case UInt8(ascii: "f"):
            return matches("false", at: index) ? index + 5 : nil
        case UInt8(ascii: "n"):
            return matches("null", at: index) ? index + 4 : nil
        default:
            return numberEnd(at: index)
        }
    }

    /// Validates the string whose opening quote is at `index`: no raw control characters, only
    /// the escapes JSON allows. Returns the offset just past the closing quote.
    private func validateString(at index: Int) -> Int? {
        var position = index + 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { return position + 1 }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                guard position + 1 < bytes.count else { return nil }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    guard hexValue(at: position + 2) != nil else { return nil }
                    position += 6
                default:
                    return nil
                }
            } else {
                position += 1
            }
        }
        return nil
    }

    /// The offset just past a number with JSON's grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) at `index`, or `nil`.
    func numberEnd(at index: Int) -> Int? {
        var position = index
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { return nil }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else { return nil }
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else { return nil }
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        }
        return position
    }

    private func matches(_ literal: StaticString, at index: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
            return true
        }
    }

    // MARK: Reading validated documents

    /// The offset of the first byte at or after `index` that is not JSON whitespace.
    func skipWhitespace(from index: Int) -> Int {
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return position
            }
        }
        return position
    }

    /// The offset just past the (validated) value at `index`.
    func skipValue(at index: Int) -> Int {
        guard index < bytes.count else { return index }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var position = index
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return position + 1 }
                case UInt8(ascii: "\""):
                    position = stringEnd(at: position) - 1
                default:
                    break
                }
                position += 1
            }
            return position
        case UInt8(ascii: "\""):
            return stringEnd(at: index)
        case UInt8(ascii: "t"), UInt8(ascii: "n"):
            return index + 4
        case UInt8(ascii: "f"):
            return index + 5
        default:
            return numberEnd(at: index) ?? index + 1
        }
    }

    /// The offset just past the closing quote of the (validated) string whose opening quote is at
    /// `index`.
    func stringEnd(at index: Int) -> Int {
        var position = index + 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""): return position + 1
            case UInt8(ascii: "\\"): position += 2
            default: position += 1
            }
        }
        return position
    }

    /// The offset of the first element of the array, or member of the object, whose bracket is
    /// at `index`, or of its closing bracket when it is empty.
    func firstItem(at index: Int) -> Int {
        skipWhitespace(from: index + 1)
    }

    /// After an item that ended at `end`: the offset of the next item, or `nil` at the closing
    /// bracket.
    func nextItem(after end: Int) -> Int? {
        let position = skipWhitespace(from: end)
        guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return nil }
        return skipWhitespace(from: position + 1)
    }

    /// The members of the (validated) object whose brace is at `index`, in document order.
    func members(ofObjectAt index: Int) -> [JSONMember] {
        var members: [JSONMember] = []
        forEachMember(ofObjectAt: index) { member in
            members.append(member)
            return false
        }
        return members
    }

    /// Calls `body` with each member of the (validated) object whose brace is at `index`, in
    /// document order, until it returns `true`; returns that member, or `nil`.
    @discardableResult
    func forEachMember(ofObjectAt index: Int, _ body: (JSONMember) throws -> Bool) rethrows -> JSONMember? {
        var position = firstItem(at: index)
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        while true {
            let keyEnd = stringEnd(at: position)
            var plain = true
            for byte in bytes[(position + 1)..<(keyEnd - 1)] where byte == UInt8(ascii: "\\") || byte >= 0x80 {
                plain = false
                break
            }
            let valueStart = skipWhitespace(from: skipWhitespace(from: keyEnd) + 1)
            let member = JSONMember(
                keyStart: position + 1, keyEnd: keyEnd - 1, keyIsPlainASCII: plain, valueStart: valueStart)
            if try body(member) { return member }
            guard let next = nextItem(after: skipValue(at: valueStart)) else { return nil }
            position = next
        }
    }

    // MARK: Strings

    /// The string whose opening quote is at `index`, or `nil` when Foundation must decide (invalid
    /// UTF-8 or a lone surrogate escape).
    func string(at index: Int) -> String? {
        string(from: index + 1, to: stringEnd(at: index) - 1)
    }

    /// The decoded contents of a string between `start` and `end` (its quotes excluded).
    func string(from start: Int, to end: Int) -> String? {
        let content = bytes[start..<end]
        guard content.contains(UInt8(ascii: "\\")) else {
            return String(validating: content, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(end - start)
        var position = start
        while position < end {
            let byte = bytes[position]
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                position += 1
                continue
            }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexValue(at: position) else { return nil }
                position += 4
                var scalarValue = UInt32(unit)
                if unit >= 0xD800, unit < 0xDC00 {
                    guard position + 6 <= end, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u"), let low = hexValue(at: position + 2),
                        low >= 0xDC00, low < 0xE000
                    else { return nil }
                    position += 6
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                decoded.append(contentsOf: scalar.utf8)
            default:
                // `"`, `\` and `/` stand for themselves.
                decoded.append(escape)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private func hexValue(at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    // MARK: Numbers

    /// The integer at `index` when it is written as a plain integer (no fraction, no exponent)
    /// that fits `Integer`; `nil` otherwise (Foundation then decides).
    func integer<Integer: FixedWidthInteger>(at index: Int, as _: Integer.Type) -> Integer? {
        guard let (negative, magnitude) = plainInteger(at: index) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            return Integer(exactly: value)
        }
        return Integer(exactly: magnitude)
    }

    /// The `Int` at `index`, as ``integer(at:as:)`` reads it, without generic code.
    func integer(at index: Int) -> Int? {
        guard let (negative, magnitude) = plainInteger(at: index) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
    }

    /// The sign and magnitude of a plain integer at `index`, or `nil` when the number has a
    /// fraction or an exponent, or its magnitude does not fit 64 bits.
    private func plainInteger(at index: Int) -> (negative: Bool, magnitude: UInt64)? {
        var position = index
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var magnitude: UInt64 = 0
        let digitsStart = position
        while position < bytes.count, Self.isDigit(bytes[position]) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            position += 1
        }
        guard position > digitsStart else { return nil }
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return (negative, magnitude)
    }

    /// The number at `index` as a `Double`, or `nil` when it is not finite or underflows (cases
    /// Foundation reports as errors) or is subnormal.
    func double(at index: Int) -> Double? {
        // A plain integer below 2^53 converts exactly; `-0` must stay negative zero.
        if let integer = integer(at: index), integer != 0, integer.magnitude < 1 << 53 {
            return Double(integer)
        }
        guard let end = numberEnd(at: index) else { return nil }
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        guard let value = Double(text), value.isFinite, !value.isSubnormal else { return nil }
        if value == 0 {
            // Foundation rejects a non-zero literal that underflows to zero.
            for byte in bytes[index..<end] {
                if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { break }
                if byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") { return nil }
            }
        }
        return value
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
