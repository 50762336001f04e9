/// One event of a `text/event-stream` (the HTML "server-sent events" format).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `nil` means the default type `message`.
    public var event: String?
    /// The `data:` payload. A payload with newlines is sent as several `data:` lines.
    public var data: String
    /// The `id:` field: the cursor a client sends back as `Last-Event-ID` to resume.
    public var id: String?
    /// The `retry:` field, in milliseconds.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event's bytes on the wire, ending with the blank line that dispatches it. Carriage
    /// returns and newlines inside `event` and `id` are removed so one field can never forge
    /// another.
    public func encoded() -> [UInt8] {
        var text = ""
        if let event { text += "event: \(Self.singleLine(event))\n" }
        if let id { text += "id: \(Self.singleLine(id))\n" }
        if let retry { text += "retry: \(retry)\n" }
        var start = data.startIndex
        while true {
            let end = data[start...].firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) ?? data.endIndex
            text += "data: \(data[start..<end])\n"
            if end == data.endIndex { break }
            start = data.index(after: end)
        }
        text += "\n"
        return Array(text.utf8)
    }

    /// A comment line, used as a heartbeat. Clients ignore it.
    public static func comment(_ text: String = "") -> [UInt8] {
        Array(":\(singleLine(text))\n\n".utf8)
    }

    private static func singleLine(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\n" && $0 != "\r" && $0 != "\0" })
    }
}
