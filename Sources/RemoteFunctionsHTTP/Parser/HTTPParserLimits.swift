/// Size limits a parser enforces while reading a message.
public struct HTTPParserLimits: Sendable, Hashable {
    /// The most bytes of a head: the start line, every header line and their CRLFs, including the empty
    /// line that ends the head. Larger heads are rejected with 431.
    public var maxHeaderBytes: Int
    /// The most header field lines in a head (and in a chunked trailer section). More are rejected with 431.
    public var maxHeaderCount: Int
    /// The most bytes of chunk extensions (everything after the size on a chunk-size line). Longer
    /// extensions are rejected with 400.
    public var maxChunkExtensionBytes: Int
    /// The most bytes of a chunked body's trailer section, including its final CRLF. Larger trailer
    /// sections are rejected with 431.
    public var maxTrailerBytes: Int

    /// Creates limits; the defaults are 16 KiB of head, 100 fields, 1 KiB of chunk extensions and 16 KiB of
    /// trailers.
    public init(
        maxHeaderBytes: Int = 16 * 1024,
        maxHeaderCount: Int = 100,
        maxChunkExtensionBytes: Int = 1024,
        maxTrailerBytes: Int = 16 * 1024
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// The default limits.
    public static let `default` = HTTPParserLimits()
}
