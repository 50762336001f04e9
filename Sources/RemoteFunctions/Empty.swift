/// The arguments or output of a function that has none. It is `null` on the wire.
public struct Empty: Codable, Sendable, Hashable {
    /// The only value.
    public init() {}

    /// Accepts `null`, `{}` or a missing value.
    public init(from decoder: any Decoder) throws {
        _ = decoder
    }

    /// Encodes `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}
