public import Foundation

/// Someone who joined a session.
public struct Participant: Codable, Sendable, Hashable, Identifiable {
    /// The participant's id, unique across all sessions and never reused.
    public var id: Int
    /// The display name given when joining.
    public var name: String
    /// The current status.
    public var status: ParticipantStatus
    /// When the participant joined.
    public var joinedAt: Date

    /// Creates a participant value.
    public init(id: Int, name: String, status: ParticipantStatus, joinedAt: Date) {
        self.id = id
        self.name = name
        self.status = status
        self.joinedAt = joinedAt
    }
}
