/// The result of `entities.update`: either the update was applied, or the entity had moved past
/// the base version and nothing was written.
///
/// On the wire: `{"conflict": false, "version": n, "entity": {...}}` or
/// `{"conflict": true, "current": {...}}`.
public enum EntityUpdateResult: Codable, Sendable, Hashable {
    /// The update was applied; the entity now has this content and version.
    case applied(Entity)
    /// The entity's version was not the base version; this is its current state.
    case conflict(current: Entity)

    private enum CodingKeys: String, CodingKey {
        case conflict, version, entity, current
    }

    /// Decodes either shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decode(Bool.self, forKey: .conflict) {
            self = .conflict(current: try container.decode(Entity.self, forKey: .current))
        } else {
            self = .applied(try container.decode(Entity.self, forKey: .entity))
        }
    }

    /// Encodes the wire shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .applied(let entity):
            try container.encode(false, forKey: .conflict)
            try container.encode(entity.version, forKey: .version)
            try container.encode(entity, forKey: .entity)
        case .conflict(let current):
            try container.encode(true, forKey: .conflict)
            try container.encode(current, forKey: .current)
        }
    }

    /// The entity as the server now has it, whichever the case.
    public var entity: Entity {
        switch self {
        case .applied(let entity), .conflict(let entity): entity
        }
    }

    /// Whether the update was refused because of a newer version.
    public var isConflict: Bool {
        if case .conflict = self { return true }
        return false
    }
}
