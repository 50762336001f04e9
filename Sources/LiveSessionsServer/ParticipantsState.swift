public import LiveSessionsAPI

/// A ``ParticipantsUpdate`` compared without its timestamp, so that an evaluation that finds
/// the same participants and counts (a change elsewhere in the session) yields nothing.
public struct ParticipantsState: Equatable, Sendable {
    /// The update, stamped with the time of the evaluation that produced it.
    public var update: ParticipantsUpdate

    /// Wraps an update.
    public init(_ update: ParticipantsUpdate) {
        self.update = update
    }

    /// Equal when the participants and the counts are, whatever the timestamps.
    public static func == (left: Self, right: Self) -> Bool {
        left.update.participants == right.update.participants && left.update.stats == right.update.stats
    }
}
