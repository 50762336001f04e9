public import Foundation

/// A live session that participants join, identified by a short code.
public struct Session: Codable, Sendable, Hashable {
    /// Six characters from `A-Z` and `2-9` without the ambiguous `I`, `O`, `0` and `1`.
    public var code: String
    /// The name given when the session was created.
    public var name: String
    /// When the session was created.
    public var createdAt: Date

    /// Creates a session value.
    public init(code: String, name: String, createdAt: Date) {
        self.code = code
        self.name = name
        self.createdAt = createdAt
    }
}
