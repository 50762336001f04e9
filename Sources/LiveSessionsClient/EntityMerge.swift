public import LiveSessionsAPI

/// The conflict policy of the LiveSessions board (docs/DEMO.md, "Conflict policy"): a three-way
/// merge, field by field, against the version the user's edit was based on.
///
/// For each field (`title`, `notes`, `status`) with `base` (what the user edited), `mine` (the
/// user's result) and `theirs` (the server's current entity):
/// - a field only the user changed is re-applied on top of `theirs`;
/// - a field only the server changed keeps the server's value;
/// - a field both changed to the same value needs nothing;
/// - a field both changed to different values takes the value of the user's mutation re-applied
///   to `theirs`, so that an edit such as "append a line to the notes" composes with the
///   server's change instead of replacing it.
public enum EntityMerge {
    /// A field of an entity that an update can change.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        /// ``Entity/title``.
        case title
        /// ``Entity/notes``.
        case notes
        /// ``Entity/status``.
        case status
    }

    /// The fields whose values differ between `old` and `new`.
    public static func changedFields(from old: Entity, to new: Entity) -> Set<Field> {
        var fields: Set<Field> = []
        if old.title != new.title { fields.insert(.title) }
        if old.notes != new.notes { fields.insert(.notes) }
        if old.status != new.status { fields.insert(.status) }
        return fields
    }

    /// The changes that turn `old` into `new`: only the fields that differ.
    public static func changes(from old: Entity, to new: Entity) -> EntityChanges {
        EntityChanges(
            title: old.title == new.title ? nil : new.title,
            notes: old.notes == new.notes ? nil : new.notes,
            status: old.status == new.status ? nil : new.status)
    }

    /// The fields that both sides changed since `base`, to different values.
    public static func conflictingFields(base: Entity, mine: Entity, theirs: Entity) -> Set<Field> {
        changedFields(from: base, to: mine)
            .intersection(changedFields(from: base, to: theirs))
            .intersection(changedFields(from: mine, to: theirs))
    }

    /// `theirs` with the user's edit merged in, following the policy above. `mutation` is the
    /// user's edit, re-applied to `theirs` for the fields both sides changed. The result keeps
    /// the identity, version and date of `theirs`.
    public static func merge(
        base: Entity, mine: Entity, theirs: Entity, mutation: (inout Entity) -> Void
    ) -> Entity {
        let mineChanged = changedFields(from: base, to: mine)
        guard !mineChanged.isEmpty else { return theirs }
        let theirsChanged = changedFields(from: base, to: theirs)
        var reapplied = theirs
        mutation(&reapplied)
        var merged = theirs
        for field in mineChanged {
            let source: Entity
            if !theirsChanged.contains(field) {
                source = mine
            } else if value(of: field, in: mine) == value(of: field, in: theirs) {
                continue
            } else {
                source = reapplied
            }
            copy(field, from: source, to: &merged)
        }
        return merged
    }

    private static func value(of field: Field, in entity: Entity) -> String {
        switch field {
        case .title: entity.title
        case .notes: entity.notes
        case .status: entity.status.rawValue
        }
    }

    private static func copy(_ field: Field, from source: Entity, to target: inout Entity) {
        switch field {
        case .title: target.title = source.title
        case .notes: target.notes = source.notes
        case .status: target.status = source.status
        }
    }
}
