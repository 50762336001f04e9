/// The stable, human-chosen name of a remote function, such as `"participants.stream"`.
///
/// An id is part of the wire contract: it appears in the URL `/_remote/{id}` and must stay the same
/// across deploys so that old clients keep working. It matches `[A-Za-z0-9._-]+`.
public struct RemoteFunctionID: Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id as it appears on the wire.
    public let rawValue: String

    /// Creates an id, or returns `nil` when `rawValue` is empty or has a character outside
    /// `[A-Za-z0-9._-]`.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an id from a literal. A literal that is not a valid id is a programming error and
    /// traps at the point of declaration, so a bad id can never reach the wire.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "invalid remote function id '\(value)': use [A-Za-z0-9._-]+")
        self.rawValue = value
    }

    /// Whether `value` is a well-formed id.
    public static func isValid(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 256
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "-"):
                    return true
                default:
                    return false
                }
            }
    }

    /// The id as it appears on the wire.
    public var description: String { rawValue }
}
