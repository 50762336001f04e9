/// What a body source can give without waiting.
enum BufferedBodyChunk {
    /// The next chunk of the body.
    case chunk([UInt8])
    /// The body has ended.
    case end
    /// The next chunk has not arrived yet: the source must read.
    case needsRead
}
