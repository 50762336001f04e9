import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import RemoteFunctions
import RemoteFunctionsClient
import Testing

/// Pattern 3, one step at a time: optimistic edits, the watch stream and the conflict policy.
@Suite("SyncedEntity: optimistic edits and the watch stream", .timeLimit(.minutes(2)))
struct SyncedEntityReconciliationTests {
    @Test(
        "a remote update arriving on the watch stream reconciles a local optimistic edit",
        arguments: ClientScenarioFixture.Streams.allCases)
    func watchReconcilesOptimisticEdit(streams: ClientScenarioFixture.Streams) async throws {
        try await ClientScenarioFixture.with(streams: streams) { fixture in
            let other = fixture.client()
            let session = try await other.createSession(name: "Reconcile scenario")
            let card = try await other.createEntity(sessionCode: session.code, title: "Agenda")
            let mine = fixture.client(writer: "A").synced(card)
            await mine.startWatching()
            let snapshots = await mine.snapshots()
            let conflicts = await mine.conflicts()

            // A's edit is applied at once and held at the server.
            fixture.calls.hold(writer: "A")
            var held = fixture.calls.heldRequests.makeAsyncIterator()
            let edit = Task { try await mine.update { $0.title = "Agenda (A)" } }
            #expect(await held.next() == "A")
            #expect(mine.snapshot.entity.title == "Agenda (A)")
            #expect(mine.snapshot.isSyncing)

            // Another client changes the notes; the watch brings version 2 while A's edit is
            // still pending, and A sees both.
            let theirs = try await other.remote.call(
                LiveSessionsFunctions.updateEntity,
                UpdateEntityArguments(entityID: card.id, changes: EntityChanges(notes: "From B"), baseVersion: 1))
            #expect(theirs.isConflict == false)
            var reconciled: SyncedEntity.Snapshot?
            for await snapshot in snapshots where snapshot.synced.version == 2 {
                reconciled = snapshot
                break
            }
            let snapshot = try #require(reconciled)
            #expect(snapshot.entity.title == "Agenda (A)")
            #expect(snapshot.entity.notes == "From B")
            #expect(snapshot.synced.title == "Agenda")
            #expect(snapshot.isSyncing)

            // Released, A's request (based on version 1) conflicts; the title only A changed is
            // re-applied on top of version 2 and acknowledged as version 3.
            fixture.calls.release()
            let version = try await edit.value
            #expect(version == 3)
            var conflictIterator = conflicts.makeAsyncIterator()
            let conflict = try #require(await conflictIterator.next())
            #expect(conflict.current.version == 2)
            #expect(conflict.current.notes == "From B")
            #expect(conflict.conflictingFields.isEmpty)
            #expect(conflict.merged.title == "Agenda (A)")

            let server = try #require(try await other.entities(sessionCode: session.code).first)
            #expect(server.version == 3)
            #expect(server.title == "Agenda (A)")
            #expect(server.notes == "From B")
            #expect(mine.snapshot.entity == server)
            #expect(mine.snapshot.isSyncing == false)
            await mine.stop()
        }
    }

    @Test("a field both sides changed gets the user's mutation re-applied to the current entity")
    func bothChangedReappliesMutation() async throws {
        try await ClientScenarioFixture.with { fixture in
            let other = fixture.client()
            let session = try await other.createSession(name: "Append scenario")
            let card = try await other.createEntity(sessionCode: session.code, title: "Notes")
            // Not watching: A's base stays at version 1.
            let mine = fixture.client().synced(card)
            let conflicts = await mine.conflicts()
            _ = try await other.remote.call(
                LiveSessionsFunctions.updateEntity,
                UpdateEntityArguments(
                    entityID: card.id, changes: EntityChanges(notes: "B wrote this.", status: .doing), baseVersion: 1))

            let version = try await mine.update { $0.notes += " A appended this." }
            #expect(version == 3)
            var conflictIterator = conflicts.makeAsyncIterator()
            let conflict = try #require(await conflictIterator.next())
            #expect(conflict.conflictingFields == [.notes])
            #expect(conflict.current.notes == "B wrote this.")
            let server = try #require(try await other.entities(sessionCode: session.code).first)
            #expect(server.notes == "B wrote this. A appended this.")
            #expect(server.status == .doing)
            await mine.stop()
        }
    }

    @Test("edits are sent in order, each acknowledged by its own version, and a failed edit is withdrawn")
    func editsInOrderAndFailureWithdraws() async throws {
        try await ClientScenarioFixture.with { fixture in
            let client = fixture.client()
            let session = try await client.createSession(name: "Queue scenario")
            let card = try await client.createEntity(sessionCode: session.code, title: "Queue")
            let synced = client.synced(card)
            await synced.apply { $0.notes += "one," }
            await synced.apply { $0.notes += "two," }
            #expect(synced.snapshot.entity.notes == "one,two,")
            #expect(try await synced.flush() == 3)
            #expect(synced.snapshot.synced.notes == "one,two,")

            // A title the server rejects (empty): the edit fails with the server's error and
            // disappears from the optimistic entity.
            do throws(SyncedEntityError) {
                _ = try await synced.update { $0.title = "   " }
                Issue.record("an empty title was accepted")
            } catch {
                guard case .remote(let remote) = error else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(remote.code == .invalidArgument)
            }
            #expect(synced.snapshot.entity.title == "Queue")
            #expect(synced.snapshot.lastError != nil)
            #expect(synced.snapshot.isSyncing == false)
            await synced.stop()
        }
    }

    @Test("after stop, edits fail with stopped and the streams finish")
    func stopFailsEditsAndFinishesStreams() async throws {
        try await ClientScenarioFixture.with { fixture in
            let client = fixture.client()
            let session = try await client.createSession(name: "Stop scenario")
            let card = try await client.createEntity(sessionCode: session.code, title: "Stop")
            let synced = client.synced(card)
            await synced.startWatching()
            let snapshots = await synced.snapshots()
            await synced.stop()
            var count = 0
            for await _ in snapshots { count += 1 }
            #expect(count >= 1)
            do throws(SyncedEntityError) {
                _ = try await synced.update { $0.notes = "too late" }
                Issue.record("an edit after stop was accepted")
            } catch {
                #expect(error == .stopped)
            }
            #expect(synced.snapshot.entity == card)
            let server = try #require(try await client.entities(sessionCode: session.code).first)
            #expect(server.version == 1)
        }
    }

    @Test("when every allowed attempt conflicts, the edit fails with tooManyConflicts and is withdrawn")
    func boundedRetries() async throws {
        try await ClientScenarioFixture.with { fixture in
            let other = fixture.client()
            let session = try await other.createSession(name: "Bounded scenario")
            let card = try await other.createEntity(sessionCode: session.code, title: "Bounded")
            let synced = fixture.client().synced(
                card, configuration: SyncedEntity.Configuration(conflictRetry: RetryPolicy(maximumAttempts: 1)))
            let conflicts = await synced.conflicts()
            let theirs = try await other.remote.call(
                LiveSessionsFunctions.updateEntity,
                UpdateEntityArguments(entityID: card.id, changes: EntityChanges(title: "Theirs"), baseVersion: 1))
            do throws(SyncedEntityError) {
                _ = try await synced.update { $0.title = "Mine" }
                Issue.record("a conflicting edit was acknowledged with one attempt allowed")
            } catch {
                #expect(error == .tooManyConflicts(attempts: 1, current: theirs.entity))
            }
            var iterator = conflicts.makeAsyncIterator()
            let conflict = try #require(await iterator.next())
            #expect(conflict.current == theirs.entity)
            #expect(conflict.conflictingFields == [.title])
            #expect(synced.snapshot.entity == theirs.entity)
            #expect(synced.snapshot.lastError == .tooManyConflicts(attempts: 1, current: theirs.entity))
            await synced.stop()
        }
    }
}
