/// How many participants have each status: `{"active": n, "idle": n, "away": n}`.
public struct ParticipantStatusCounts: Codable, Sendable, Hashable {
    /// Participants whose status is `active`.
    public var active: Int
    /// Participants whose status is `idle`.
    public var idle: Int
    /// Participants whose status is `away`.
    public var away: Int

    /// Creates counts.
    public init(active: Int = 0, idle: Int = 0, away: Int = 0) {
        self.active = active
        self.idle = idle
        self.away = away
    }

    /// The count for one status.
    public subscript(status: ParticipantStatus) -> Int {
        get {
            switch status {
            case .active: active
            case .idle: idle
            case .away: away
            }
        }
        set {
            switch status {
            case .active: active = newValue
            case .idle: idle = newValue
            case .away: away = newValue
            }
        }
    }

    /// The sum of every status.
    public var total: Int { active + idle + away }
}
