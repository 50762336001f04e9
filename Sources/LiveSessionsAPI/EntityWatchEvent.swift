/// One element of `entities.watch`: `{"type": "update", "data": {...}, "version": n}`. The
/// stream cursor (SSE id) is the version.
public struct EntityWatchEvent: Codable, Sendable, Hashable {
    /// Always `"update"`.
    public var type: String
    /// The entity at ``version``.
    public var data: Entity
    /// The entity's version, equal to `data.version`.
    public var version: Int

    /// Creates the event for an entity.
    public init(entity: Entity) {
        self.type = "update"
        self.data = entity
        self.version = entity.version
    }
}
