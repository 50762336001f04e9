/// How the body of a message is delimited (RFC 9112 §6).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// The message has no body: no `.body` event follows its head, only `.end`.
    case none
    /// The body is exactly this many bytes (`Content-Length`). Zero is reported as `.contentLength(0)`.
    case contentLength(Int)
    /// The body uses the chunked transfer coding; its size is unknown until the last chunk.
    case chunked
    /// The body runs until the connection closes (responses only, never requests).
    case untilClose
}
