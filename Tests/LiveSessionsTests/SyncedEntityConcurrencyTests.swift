import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import RemoteFunctions
import RemoteFunctionsClient
import Synchronization
import Testing

/// Pattern 3 under load: 8 writers, each with its own client and `SyncedEntity`, append 200
/// tokens each to the same card's notes.
@Suite("SyncedEntity: 8 concurrent writers × 200 updates", .timeLimit(.minutes(10)))
struct SyncedEntityConcurrencyTests {
    static let writers = 8
    static let updatesPerWriter = 200

    /// A 4-character token unique to (writer, update): the writer's digit, the update number
    /// in base 36 on two characters, and a comma. 1 600 of them fit the 10 000-character notes.
    static func token(writer: Int, update: Int) -> String {
        let number = String(update, radix: 36)
        return "\(writer)" + String(repeating: "0", count: 2 - number.count) + number + ","
    }

    struct Acknowledgement: Sendable {
        var token: String
        var version: Int
    }

    struct WriterResult: Sendable {
        var acknowledgements: [Acknowledgement]
        var conflicts: [SyncConflict]
    }

    @Test(
        "no acknowledged update is lost, versions strictly increase, and every conflict is reported with the current entity",
        arguments: ClientScenarioFixture.Streams.allCases)
    func concurrentWriters(streams: ClientScenarioFixture.Streams) async throws {
        try await ClientScenarioFixture.with(streams: streams) { fixture in
            let setup = fixture.client()
            let session = try await setup.createSession(name: "Sync scenario")
            let card = try await setup.createEntity(sessionCode: session.code, title: "Shared notes")
            let configuration = SyncedEntity.Configuration(
                conflictRetry: RetryPolicy(
                    maximumAttempts: 1_000,
                    backoff: Backoff(
                        initialDelay: .milliseconds(1), multiplier: 2, maximumDelay: .milliseconds(50), jitter: 1)))

            let results = try await withThrowingTaskGroup(of: WriterResult.self) { group in
                for writer in 0..<Self.writers {
                    group.addTask {
                        try await Self.write(
                            writer: writer, card: card, client: fixture.client(), configuration: configuration)
                    }
                }
                var results: [WriterResult] = []
                for try await result in group { results.append(result) }
                return results
            }

            let acknowledgements = results.flatMap(\.acknowledgements)
            let conflicts = results.flatMap(\.conflicts)
            let total = Self.writers * Self.updatesPerWriter
            #expect(acknowledgements.count == total)

            // Versions strictly increase within each writer, and every version 2…1601 was
            // acknowledged exactly once: each successful update is one compare-and-set.
            for result in results {
                let versions = result.acknowledgements.map(\.version)
                #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
            }
            #expect(acknowledgements.map(\.version).sorted() == Array(2...(total + 1)))

            // No acknowledged update lost: the final notes are every token once, in the order
            // of the versions that acknowledged them.
            let inVersionOrder = acknowledgements.sorted { $0.version < $1.version }.map(\.token)
            let final = try #require(try await setup.entities(sessionCode: session.code).first)
            #expect(final.version == total + 1)
            let finalTokens = stride(from: 0, to: final.notes.count, by: 4).map { offset in
                let start = final.notes.index(final.notes.startIndex, offsetBy: offset)
                return String(
                    final.notes[
                        start..<(final.notes.index(start, offsetBy: 4, limitedBy: final.notes.endIndex)
                            ?? final.notes.endIndex)])
            }
            let lost = Set(inVersionOrder).subtracting(finalTokens)
            #expect(
                lost.isEmpty,
                "\(lost.count) acknowledged tokens missing from the final notes, such as \(lost.sorted().prefix(5))")
            #expect(finalTokens.count == total, "\(finalTokens.count) tokens in the final notes")
            let inOrder = final.notes == inVersionOrder.joined()
            #expect(inOrder, "the final notes are not the acknowledged tokens in version order")

            // Every conflict carries the entity the server had: at version v the notes were
            // exactly the tokens acknowledged by versions 2…v.
            var notesAtVersion = [1: ""]
            var notes = ""
            for acknowledgement in acknowledgements.sorted(by: { $0.version < $1.version }) {
                notes += acknowledgement.token
                notesAtVersion[acknowledgement.version] = notes
            }
            var mismatches = 0
            for conflict in conflicts {
                if conflict.current.version <= conflict.base.version
                    || notesAtVersion[conflict.current.version] != conflict.current.notes
                    || conflict.current.id != card.id
                {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0)

            // Every refused attempt was reported: the server answered exactly one update per
            // acknowledgement plus one per reported conflict.
            let updateID = LiveSessionsFunctions.updateEntity.id.rawValue
            #expect(fixture.calls.started(updateID) == total + conflicts.count)
            #expect(!conflicts.isEmpty, "8 writers on one card are expected to conflict")
        }
    }

    /// One writer: its own client and `SyncedEntity`, watching the card, appending its tokens one
    /// update at a time; returns what was acknowledged and every conflict reported.
    static func write(
        writer: Int, card: Entity, client: LiveSessionsClient, configuration: SyncedEntity.Configuration
    ) async throws -> WriterResult {
        let synced = client.synced(card, configuration: configuration)
        await synced.startWatching()
        let conflictStream = await synced.conflicts()
        let collector = Task {
            var conflicts: [SyncConflict] = []
            for await conflict in conflictStream { conflicts.append(conflict) }
            return conflicts
        }
        var acknowledgements: [Acknowledgement] = []
        do {
            for update in 0..<updatesPerWriter {
                let token = token(writer: writer, update: update)
                let version = try await synced.update { $0.notes += token }
                acknowledgements.append(Acknowledgement(token: token, version: version))
            }
        } catch {
            await synced.stop()
            _ = await collector.value
            throw error
        }
        #expect(synced.snapshot.isSyncing == false)
        await synced.stop()
        return WriterResult(acknowledgements: acknowledgements, conflicts: await collector.value)
    }
}
