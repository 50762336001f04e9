/// The fields an update sets; a `nil` (absent) field is left as it is.
public struct EntityChanges: Codable, Sendable, Hashable {
    /// The new title, if it changes.
    public var title: String?
    /// The new notes, if they change.
    public var notes: String?
    /// The new status, if it changes.
    public var status: EntityStatus?

    /// Creates changes.
    public init(title: String? = nil, notes: String? = nil, status: EntityStatus? = nil) {
        self.title = title
        self.notes = notes
        self.status = status
    }

    /// Whether no field is set.
    public var isEmpty: Bool { title == nil && notes == nil && status == nil }

    /// `entity` with these changes applied (version and date untouched).
    public func applied(to entity: Entity) -> Entity {
        var result = entity
        if let title { result.title = title }
        if let notes { result.notes = notes }
        if let status { result.status = status }
        return result
    }
}
