/// An HTTP protocol version as it appears on the wire (`HTTP/major.minor`).
///
/// The parsers accept only HTTP/1.0 and HTTP/1.1; any other well-formed version is answered with 505.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version number.
    public var major: Int
    /// The minor version number.
    public var minor: Int

    /// Creates a version from its two numbers.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The names follow the wire form (HTTP/1.0, HTTP/1.1), which lowerCamelCase would obscure.
    /// HTTP/1.0: connections close after each message unless `Connection: keep-alive` is sent.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// HTTP/1.1: connections persist unless `Connection: close` is sent.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The wire form, for example `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
