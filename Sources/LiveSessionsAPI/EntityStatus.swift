/// Where a card stands on the board. On the wire: `"todo"`, `"doing"` or `"done"`; any other
/// string is rejected with `invalid_argument`.
public enum EntityStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not started.
    case todo
    /// In progress.
    case doing
    /// Finished.
    case done
}
