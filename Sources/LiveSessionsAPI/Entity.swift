public import Foundation

/// A card on a session's shared board. Every successful update increments ``version`` by one.
public struct Entity: Codable, Sendable, Hashable, Identifiable {
    /// The card's id.
    public var id: Int
    /// The session the card belongs to.
    public var sessionCode: String
    /// The card's title (1…200 characters).
    public var title: String
    /// Free text (at most 10 000 characters).
    public var notes: String
    /// The card's column.
    public var status: EntityStatus
    /// Starts at 1 and increases by exactly one per successful update.
    public var version: Int
    /// When the card was last created or updated.
    public var updatedAt: Date

    /// Creates an entity value.
    public init(
        id: Int, sessionCode: String, title: String, notes: String, status: EntityStatus, version: Int,
        updatedAt: Date
    ) {
        self.id = id
        self.sessionCode = sessionCode
        self.title = title
        self.notes = notes
        self.status = status
        self.version = version
        self.updatedAt = updatedAt
    }
}
