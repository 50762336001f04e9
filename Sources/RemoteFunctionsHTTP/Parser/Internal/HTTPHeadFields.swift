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
    mutating func add(name: String, value: String) throws(HTTPParseError) {
        headers.add(name, value)
        let nameBytes = name.utf8
        switch nameBytes.count {
        case 4 where HTTPGrammar.equalsIgnoringCase(nameBytes, "host"):
            hostCount += 1
            guard Self.isValidHost(value) else { throw .badRequest("Invalid Host header") }
        case 6 where HTTPGrammar.equalsIgnoringCase(nameBytes, "expect"):
            for element in HTTPGrammar.listElements(value)
            where HTTPGrammar.equalsIgnoringCase(element, "100-continue") {
                expectsContinue = true
            }
        case 10 where HTTPGrammar.equalsIgnoringCase(nameBytes, "connection"):
            for element in HTTPGrammar.listElements(value) {
                if HTTPGrammar.equalsIgnoringCase(element, "close") {
                    connectionClose = true
                } else if HTTPGrammar.equalsIgnoringCase(element, "keep-alive") {
                    connectionKeepAlive = true
                }
            }
        case 14 where HTTPGrammar.equalsIgnoringCase(nameBytes, "content-length"):
            try addContentLength(value)
        case 17 where HTTPGrammar.equalsIgnoringCase(nameBytes, "transfer-encoding"):
            try addTransferEncoding(value)
        default:
            break
        }
    }

    private mutating func addContentLength(_ value: String) throws(HTTPParseError) {
        for element in HTTPGrammar.listElements(value) {
            guard !element.isEmpty else { throw .badRequest("Invalid Content-Length") }
            var length = 0
            for byte in element {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { throw .badRequest("Invalid Content-Length") }
                let (shifted, overflowA) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit))
                guard !overflowA && !overflowB else { throw .badRequest("Invalid Content-Length") }
                length = sum
            }
            if let contentLength, contentLength != length {
                throw .badRequest("Conflicting Content-Length values")
            }
            contentLength = length
        }
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

    /// `Host = uri-host [ ":" port ]`: reg-name, IPv4 or IP-literal characters only (empty is allowed).
    private static func isValidHost(_ value: String) -> Bool {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
                UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
                UInt8(ascii: "%"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
