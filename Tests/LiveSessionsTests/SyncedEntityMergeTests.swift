import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import Testing

/// The conflict policy of docs/DEMO.md, field by field.
@Suite("SyncedEntity: three-way merge")
struct SyncedEntityMergeTests {
    static let base = Entity(
        id: 1, sessionCode: "K7QF2M", title: "Agenda", notes: "Start with wins.", status: .todo, version: 4,
        updatedAt: Date(timeIntervalSince1970: 1_764_864_000))

    static func edited(_ change: (inout Entity) -> Void, version: Int = 4) -> Entity {
        var entity = base
        change(&entity)
        entity.version = version
        return entity
    }

    @Test("a field only the user changed is re-applied on top of the server's entity")
    func onlyMine() {
        let mutation: (inout Entity) -> Void = { $0.title = "Agenda v2" }
        let mine = Self.edited(mutation)
        let theirs = Self.edited({ $0.status = .doing }, version: 5)
        let merged = EntityMerge.merge(base: Self.base, mine: mine, theirs: theirs, mutation: mutation)
        #expect(merged.title == "Agenda v2")
        #expect(merged.status == .doing)
        #expect(merged.version == 5)
        #expect(EntityMerge.conflictingFields(base: Self.base, mine: mine, theirs: theirs).isEmpty)
        #expect(EntityMerge.changes(from: theirs, to: merged) == EntityChanges(title: "Agenda v2"))
    }

    @Test("a field only the server changed keeps the server's value")
    func onlyTheirs() {
        let mutation: (inout Entity) -> Void = { $0.status = .done }
        let mine = Self.edited(mutation)
        let theirs = Self.edited({ $0.notes = "Changed by B." }, version: 5)
        let merged = EntityMerge.merge(base: Self.base, mine: mine, theirs: theirs, mutation: mutation)
        #expect(merged.notes == "Changed by B.")
        #expect(merged.status == .done)
    }

    @Test("a field both changed to the same value needs nothing")
    func sameValue() {
        let mutation: (inout Entity) -> Void = { $0.status = .done }
        let mine = Self.edited(mutation)
        let theirs = Self.edited(mutation, version: 5)
        let merged = EntityMerge.merge(base: Self.base, mine: mine, theirs: theirs, mutation: mutation)
        #expect(merged == theirs)
        #expect(EntityMerge.changes(from: theirs, to: merged).isEmpty)
        #expect(EntityMerge.conflictingFields(base: Self.base, mine: mine, theirs: theirs).isEmpty)
    }

    @Test("a field both changed gets the mutation re-applied, so appends compose")
    func bothChanged() {
        let mutation: (inout Entity) -> Void = { $0.notes += " A." }
        let mine = Self.edited(mutation)
        let theirs = Self.edited({ $0.notes += " B." }, version: 5)
        let merged = EntityMerge.merge(base: Self.base, mine: mine, theirs: theirs, mutation: mutation)
        #expect(merged.notes == "Start with wins. B. A.")
        #expect(EntityMerge.conflictingFields(base: Self.base, mine: mine, theirs: theirs) == [.notes])
    }

    @Test("changes hold only the fields that differ")
    func changesOnlyDifferences() {
        let new = Self.edited {
            $0.title = "New"
            $0.status = .doing
        }
        #expect(EntityMerge.changes(from: Self.base, to: new) == EntityChanges(title: "New", status: .doing))
        #expect(EntityMerge.changes(from: Self.base, to: Self.base).isEmpty)
    }
}
