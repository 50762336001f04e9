/// Splits the head of a message into lines as bytes arrive, enforcing CRLF line endings and the size and
/// field-count limits. The caller parses each line and then consumes it.
struct HTTPHeadReader: Sendable {
    /// What the next complete line of the head is.
    enum Line {
        /// The start line (request line or status line) of this many bytes.
        case startLine(length: Int)
        /// A field line of this many bytes.
        case field(length: Int)
        /// The empty line that ends the head; its CRLF is already consumed.
        case end
    }

    private var scanned = 0
    private var headBytes = 0
    private var fieldCount = 0
    private var sawStartLine = false

    /// Returns the next complete line at the front of `input`, or `nil` if more bytes are needed. Empty lines
    /// before the start line are skipped, as RFC 9112 §2.2 recommends, and count towards the size limit.
    mutating func nextLine(
        in input: inout HTTPInputBuffer,
        limits: HTTPParserLimits
    ) throws(HTTPParseError) -> Line? {
        while true {
            switch input.findLine(resumingAfter: scanned) {
            case .bareCR:
                throw .bareCR
            case .bareLF:
                throw .bareLF
            case .incomplete(let scannedBytes):
                guard headBytes + scannedBytes <= limits.maxHeaderBytes else { throw .headTooLarge }
                scanned = scannedBytes
                return nil
            case .found(let length):
                scanned = 0
                headBytes += length + 2
                guard headBytes <= limits.maxHeaderBytes else { throw .headTooLarge }
                if !sawStartLine {
                    if length == 0 {
                        input.consume(2)
                        continue
                    }
                    sawStartLine = true
                    return .startLine(length: length)
                }
                if length == 0 {
                    input.consume(2)
                    self = HTTPHeadReader()
                    return .end
                }
                fieldCount += 1
                guard fieldCount <= limits.maxHeaderCount else { throw .tooManyFields }
                return .field(length: length)
            }
        }
    }

    /// Whether any byte of a head has been seen (used to tell a clean close from a truncated head).
    var hasStarted: Bool { sawStartLine || headBytes > 0 }
}
