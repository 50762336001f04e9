import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import Observation
import Testing

/// The `@Observable` model over a `SyncedEntity`, as SwiftUI would use it.
@Suite("SyncedEntity: observable model", .timeLimit(.minutes(2)))
struct SyncedEntityModelTests {
    /// Waits until `condition` holds, re-checking each time an observed property changes.
    @MainActor
    static func waitUntil(_ condition: @escaping @MainActor () -> Bool) async {
        while !condition() {
            await withCheckedContinuation { (changed: CheckedContinuation<Void, Never>) in
                withObservationTracking {
                    _ = condition()
                } onChange: {
                    changed.resume()
                }
            }
        }
    }

    @Test("the model shows a remote change and its own edit, and leaves the syncing state once acknowledged")
    func modelFollowsChanges() async throws {
        try await ClientScenarioFixture.with { fixture in
            try await Self.followChanges(fixture)
        }
    }

    @MainActor
    static func followChanges(_ fixture: ClientScenarioFixture) async throws {
        do {
            let other = fixture.client()
            let session = try await other.createSession(name: "Model scenario")
            let card = try await other.createEntity(sessionCode: session.code, title: "Model")
            let model = SyncedEntityModel(fixture.client().synced(card))
            let running = Task { await model.run() }
            #expect(model.entity == card)

            _ = try await other.remote.call(
                LiveSessionsFunctions.updateEntity,
                UpdateEntityArguments(entityID: card.id, changes: EntityChanges(notes: "From B"), baseVersion: 1))
            await Self.waitUntil { model.synced.version == 2 }
            #expect(model.entity.notes == "From B")

            model.edit { $0.status = .done }
            await Self.waitUntil { model.synced.version == 3 && !model.isSyncing }
            #expect(model.entity.status == .done)
            #expect(model.entity.notes == "From B")
            #expect(model.lastError == nil)

            running.cancel()
            await running.value
            await model.source.stop()
        }
    }
}
