/// Summary counts of a session's participants.
public struct ParticipantStats: Codable, Sendable, Hashable {
    /// How many participants the session has.
    public var total: Int
    /// How many participants have each status.
    public var byStatus: ParticipantStatusCounts

    /// Creates stats.
    public init(total: Int, byStatus: ParticipantStatusCounts) {
        self.total = total
        self.byStatus = byStatus
    }
}
