public import Foundation

/// One element of `participants.stream`: the session's participants as of ``timestamp``.
///
/// ``participants`` holds at most the 500 most recently joined participants, ordered by id
/// (join order); ``stats`` always counts every participant.
public struct ParticipantsUpdate: Codable, Sendable, Hashable {
    /// The participants, ordered by id; at most the 500 most recent.
    public var participants: [Participant]
    /// When the server read this state.
    public var timestamp: Date
    /// Counts over all of the session's participants.
    public var stats: ParticipantStats

    /// Creates an update.
    public init(participants: [Participant], timestamp: Date, stats: ParticipantStats) {
        self.participants = participants
        self.timestamp = timestamp
        self.stats = stats
    }

    /// The most participants an update lists.
    public static let participantLimit = 500
}
