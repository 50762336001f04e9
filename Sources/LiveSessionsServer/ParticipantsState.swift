public import LiveSessionsAPI

/// A ``ParticipantsUpdate`` compared without its timestamp, so that an evaluation that finds
/// the same participants and counts (a change elsewhere in the session) yields nothing.
public struct ParticipantsState: Equatable, Sendable, Encodable {
    /// The update, stamped with the time of the evaluation that produced it.
    public var update: ParticipantsUpdate

    /// Wraps an update.
    public init(_ update: ParticipantsUpdate) {
        self.update = update
    }

    /// Encodes exactly as the update it wraps, so a live query can encode it once for every viewer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(update)
    }

    /// Equal when the participants and the counts are, whatever the timestamps.
    public static func == (left: Self, right: Self) -> Bool {
        left.update.participants == right.update.participants && left.update.stats == right.update.stats
    }
}
