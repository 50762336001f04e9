public import LiveSessionsAPI

/// A conflict met by ``SyncedEntity``: the server refused an update because the entity had moved
/// past the version the edit was based on. Reported for every refused attempt, with the entity
/// as the server had it.
public struct SyncConflict: Sendable, Hashable {
    /// The attempt that was refused, starting at 1 for the edit's first request.
    public var attempt: Int
    /// The entity the refused attempt was based on.
    public var base: Entity
    /// What the refused attempt wanted the entity to become.
    public var mine: Entity
    /// The entity as the server had it when it refused (`{conflict: true, current}`).
    public var current: Entity
    /// The fields both sides changed to different values since ``base``.
    public var conflictingFields: Set<EntityMerge.Field>
    /// What the next attempt sends, merged by ``EntityMerge`` on top of ``current``.
    public var merged: Entity

    /// Creates a conflict report.
    public init(
        attempt: Int, base: Entity, mine: Entity, current: Entity, conflictingFields: Set<EntityMerge.Field>,
        merged: Entity
    ) {
        self.attempt = attempt
        self.base = base
        self.mine = mine
        self.current = current
        self.conflictingFields = conflictingFields
        self.merged = merged
    }
}
