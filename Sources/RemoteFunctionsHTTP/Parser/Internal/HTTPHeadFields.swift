/// The header fields of a head being read, plus what the framing and connection fields say, gathered as
/// each field line arrives so that the head is interpreted in one pass.
struct HTTPHeadFields: Sendable {
    var headers = HTTPHeaders()
    /// The agreed value of every Content-Length field, if any.
    private(set) var contentLength: Int?
    private(set) var hasTransferEncoding = false
    private(set) var lastCodingIsChunked = false
    private var sawChunked = false
    private(set) var hasUnsupportedCoding = false
    private(set) var connectionClose = false
    private(set) var connectionKeepAlive = false
    private(set) var hostCount = 0
    private(set) var expectsContinue = false

    /// Records one field, rejecting framing fields that are malformed or contradict earlier ones.
    mutating func add(_ field: HTTPFieldLine) throws(HTTPParseError) {
        headers.add(field.name, field.value)
        switch field.kind {
        case .other:
            break
        case .host:
            hostCount += 1
            guard Self.isValidHost(field.value) else { throw .badRequest("Invalid Host header") }
        case .expect:
            for element in HTTPGrammar.listElements(field.value)
            where HTTPGrammar.equalsIgnoringCase(element, "100-continue") {
                expectsContinue = true
            }
        case .connection:
            for element in HTTPGrammar.listElements(field.value) {
                if HTTPGrammar.equalsIgnoringCase(element, "close") {
                    connectionClose = true
                } else if HTTPGrammar.equalsIgnoringCase(element, "keep-alive") {
                    connectionKeepAlive = true
                }
            }
        case .contentLength:
            try addContentLength(field.value)
        case .transferEncoding:
            try addTransferEncoding(field.value)
        }
    }

    /// `Content-Length = 1*DIGIT`, also accepted as a list of identical values (`5, 5`).
    private mutating func addContentLength(_ value: String) throws(HTTPParseError) {
        let invalid = HTTPParseError.badRequest("Invalid Content-Length")
        var length = 0
        var digits = 0
        var spaceAfterDigits = false
        func finishElement() throws(HTTPParseError) {
            guard digits > 0 else { throw invalid }
            if let contentLength, contentLength != length {
                throw .badRequest("Conflicting Content-Length values")
            }
            contentLength = length
            length = 0
            digits = 0
            spaceAfterDigits = false
        }
        for byte in value.utf8 {
            if byte == UInt8(ascii: ",") {
                try finishElement()
            } else if HTTPGrammar.isWhitespace(byte) {
                spaceAfterDigits = digits > 0
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10, !spaceAfterDigits else { throw invalid }
                let (shifted, overflowA) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit))
                guard !overflowA && !overflowB else { throw invalid }
                length = sum
                digits += 1
            }
        }
        try finishElement()
    }

    private mutating func addTransferEncoding(_ value: String) throws(HTTPParseError) {
        hasTransferEncoding = true
        for element in HTTPGrammar.listElements(value) {
            let name: Substring.UTF8View
            let hasParameters: Bool
            if let semicolon = element.firstIndex(of: UInt8(ascii: ";")) {
                var end = semicolon
                while end > element.startIndex && HTTPGrammar.isWhitespace(element[element.index(before: end)]) {
                    end = element.index(before: end)
                }
                name = element[element.startIndex..<end]
                hasParameters = true
            } else {
                name = element
                hasParameters = false
            }
            guard !name.isEmpty, name.allSatisfy(HTTPGrammar.isTokenByte) else {
                throw .badRequest("Invalid Transfer-Encoding")
            }
            if HTTPGrammar.equalsIgnoringCase(name, "chunked") {
                guard !hasParameters else { throw .badRequest("Invalid Transfer-Encoding") }
                guard !sawChunked else {
                    throw .badRequest("The chunked coding is applied more than once")
                }
                sawChunked = true
                lastCodingIsChunked = true
            } else {
                hasUnsupportedCoding = true
                lastCodingIsChunked = false
            }
        }
        if !lastCodingIsChunked && sawChunked {
            throw .badRequest("The chunked coding must be the final transfer coding")
        }
    }

    // Bit n of the low mask is set when byte n (0..<64) may appear in a Host value; bit n of the high
    // mask when byte n + 64 may: ALPHA, DIGIT, `-._~!$&'()*+,;=%:[]`.
    private static let hostMaskLow: UInt64 = 0x2fff_7ff2_0000_0000
    private static let hostMaskHigh: UInt64 = 0x47ff_fffe_afff_fffe

    /// `Host = uri-host [ ":" port ]`: reg-name, IPv4 or IP-literal characters only (empty is allowed).
    private static func isValidHost(_ value: String) -> Bool {
        value.utf8.allSatisfy { byte in
            if byte < 64 { return (hostMaskLow >> UInt64(byte)) & 1 == 1 }
            if byte < 128 { return (hostMaskHigh >> UInt64(byte - 64)) & 1 == 1 }
            return false
        }
    }
}
