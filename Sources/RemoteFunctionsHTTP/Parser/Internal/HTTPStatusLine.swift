/// Parses `HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4), CRLF already removed. A status
/// line that ends right after the code (no SP, no reason) is accepted, as many servers send it.
struct HTTPStatusLine: Sendable {
    var version: HTTPVersion
    var status: Int
    var reason: String

    init(parsing line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        guard line.count >= 12, line[8] == UInt8(ascii: " ") else { throw .badRequest("Invalid status line") }
        version = try HTTPRequestLine.parseVersion(UnsafeBufferPointer(rebasing: line[0..<8]))
        var status = 0
        for index in 9..<12 {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw .badRequest("Invalid status code") }
            status = status * 10 + Int(digit)
        }
        guard (100...599).contains(status) else { throw .badRequest("Invalid status code") }
        self.status = status
        guard line.count > 12 else {
            reason = ""
            return
        }
        guard line[12] == UInt8(ascii: " ") else { throw .badRequest("Invalid status line") }
        for index in 13..<line.count where !HTTPGrammar.isFieldValueByte(line[index]) {
            if line[index] == UInt8(ascii: "\r") { throw .bareCR }
            throw .badRequest("Invalid reason phrase")
        }
        reason = String(decoding: UnsafeBufferPointer(rebasing: line[13...]), as: UTF8.self)
    }
}
