/// The `participants` stage of `sessions.loadProgressive`.
public struct ProgressiveParticipants: Codable, Sendable, Hashable {
    /// How many participants the session has.
    public var total: Int
    /// The 50 most recently joined participants, newest first.
    public var recent: [Participant]

    /// Creates the stage.
    public init(total: Int, recent: [Participant]) {
        self.total = total
        self.recent = recent
    }

    /// How many participants ``recent`` holds at most.
    public static let recentLimit = 50
}
