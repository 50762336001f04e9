/// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3), CRLF already removed.
struct HTTPRequestLine: Sendable {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion

    init(parsing line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var index = 0
        while index < line.count && HTTPGrammar.isTokenByte(line[index]) { index += 1 }
        let methodEnd = index
        guard methodEnd > 0, index < line.count, line[index] == UInt8(ascii: " ") else {
            throw .badRequest("Invalid request line")
        }
        index += 1
        let targetStart = index
        var queryStart: Int?
        while index < line.count && line[index] != UInt8(ascii: " ") {
            let byte = line[index]
            guard byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#") else {
                if byte == UInt8(ascii: "\r") { throw .bareCR }
                throw .badRequest("Invalid request target")
            }
            if byte == UInt8(ascii: "?") && queryStart == nil { queryStart = index }
            index += 1
        }
        let targetEnd = index
        guard targetEnd > targetStart, index < line.count else { throw .badRequest("Invalid request line") }
        index += 1
        version = try Self.parseVersion(UnsafeBufferPointer(rebasing: line[index...]))

        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
        }
        method = text(0..<methodEnd)
        target = text(targetStart..<targetEnd)
        let first = line[targetStart]
        if first == UInt8(ascii: "/") {
            path = text(targetStart..<(queryStart ?? targetEnd))
            query = queryStart.map { text($0 + 1..<targetEnd) }
        } else if method == "CONNECT" {
            path = target
            query = nil
        } else if first == UInt8(ascii: "*") && targetEnd - targetStart == 1 {
            guard method == "OPTIONS" else { throw .badRequest("Invalid request target") }
            path = "*"
            query = nil
        } else {
            (path, query) = try Self.absoluteFormPath(UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd]))
        }
    }

    /// `HTTP/1.0` or `HTTP/1.1`; any other `HTTP/d.d` is 505, anything else 400.
    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
            bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
            bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "."),
            case let major = bytes[5] &- UInt8(ascii: "0"), major < 10,
            case let minor = bytes[7] &- UInt8(ascii: "0"), minor < 10
        else {
            throw .badRequest("Invalid HTTP version")
        }
        guard major == 1, minor <= 1 else { throw .versionNotSupported }
        return minor == 1 ? .http1_1 : .http1_0
    }

    /// The path and query of `scheme "://" authority [ path-abempty ] [ "?" query ]`.
    private static func absoluteFormPath(
        _ target: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) -> (String, String?) {
        var index = 0
        while index < target.count && Self.isSchemeByte(target[index], first: index == 0) { index += 1 }
        guard index > 0, target.count - index >= 3,
            target[index] == UInt8(ascii: ":"), target[index + 1] == UInt8(ascii: "/"),
            target[index + 2] == UInt8(ascii: "/")
        else {
            throw .badRequest("Invalid request target")
        }
        index += 3
        let authorityStart = index
        while index < target.count && target[index] != UInt8(ascii: "/") && target[index] != UInt8(ascii: "?") {
            index += 1
        }
        guard index > authorityStart else { throw .badRequest("Invalid request target") }
        let pathStart = index
        while index < target.count && target[index] != UInt8(ascii: "?") { index += 1 }
        let path =
            pathStart == index
            ? "/" : String(decoding: UnsafeBufferPointer(rebasing: target[pathStart..<index]), as: UTF8.self)
        let query =
            index < target.count
            ? String(decoding: UnsafeBufferPointer(rebasing: target[(index + 1)...]), as: UTF8.self) : nil
        return (path, query)
    }

    private static func isSchemeByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): !first
        default: false
        }
    }
}
