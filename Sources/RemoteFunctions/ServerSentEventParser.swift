/// An incremental parser of `text/event-stream` bytes, as specified by the HTML standard: lines
/// end with CRLF, LF or CR; `:` starts a comment; a blank line dispatches the event; `data:` lines
/// are joined with `\n`. Chunks may split lines and UTF-8 sequences anywhere.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var event: String?
    private var data: [String] = []
    private var hasData = false
    private var id: String?
    private var retry: Int?
    private let maximumLineLength: Int

    /// The last `id:` seen, which the HTML standard keeps across events.
    public private(set) var lastEventID: String?

    /// Creates a parser. A line longer than `maximumLineLength` bytes is a protocol error.
    public init(maximumLineLength: Int = 16 * 1024 * 1024) {
        self.maximumLineLength = maximumLineLength
    }

    /// Thrown when a line exceeds the parser's limit.
    public struct LineTooLong: Error, Sendable {}

    /// Feeds the next chunk and returns every event it completes, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && lastByteWasCR {
                lastByteWasCR = false
                continue
            }
            lastByteWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if let event = processLine() { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else {
                guard line.count < maximumLineLength else { throw LineTooLong() }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func processLine() -> ServerSentEvent? {
        if line.isEmpty {
            defer {
                event = nil
                data.removeAll()
                hasData = false
                retry = nil
                id = nil
            }
            guard hasData || retry != nil || event != nil else { return nil }
            return ServerSentEvent(event: event, data: data.joined(separator: "\n"), id: id, retry: retry)
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: String
        var value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var valueStart = line.index(after: colon)
            if valueStart < line.endIndex && line[valueStart] == UInt8(ascii: " ") {
                valueStart = line.index(after: valueStart)
            }
            value = String(decoding: line[valueStart...], as: UTF8.self)
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "event": event = value
        case "data":
            data.append(value)
            hasData = true
        case "id":
            if !value.contains("\0") {
                id = value
                lastEventID = value
            }
        case "retry":
            if !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { retry = Int(value) }
        default:
            value = ""
        }
        return nil
    }
}
