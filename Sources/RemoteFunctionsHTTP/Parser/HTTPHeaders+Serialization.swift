extension HTTPHeaders {
    /// Appends every field as a `name: value\r\n` line to `buffer`, in order.
    ///
    /// Header values built from untrusted input cannot split the message: any CR, LF or NUL byte in a
    /// name or value is written as a space.
    public func write(into buffer: inout [UInt8]) {
        for (name, value) in self {
            Self.appendSanitized(name, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            buffer.append(UInt8(ascii: " "))
            Self.appendSanitized(value, to: &buffer)
            buffer.append(UInt8(ascii: "\r"))
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    private static func appendSanitized(_ text: String, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: text.utf8)
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") || byte == 0 {
                buffer[index] = UInt8(ascii: " ")
            }
            index += 1
        }
    }
}
