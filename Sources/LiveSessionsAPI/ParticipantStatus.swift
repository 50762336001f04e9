/// What a participant is doing. On the wire: `"active"`, `"idle"` or `"away"`; any other string
/// is rejected with `invalid_argument`.
public enum ParticipantStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Present and interacting.
    case active
    /// Present but not interacting.
    case idle
    /// Not present.
    case away
}
