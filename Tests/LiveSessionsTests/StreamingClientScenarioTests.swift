import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import Observation
import RemoteFunctions
import Testing

/// Pattern 1 through the Swift client: a `participants.stream` reader sees what other clients do.
@Suite("Client scenario: streaming updates", .timeLimit(.minutes(2)))
struct StreamingClientScenarioTests {
    @Test(
        "a participants stream sees a participant that another client made join",
        arguments: ClientScenarioFixture.Streams.allCases)
    func streamSeesJoinFromAnotherClient(streams: ClientScenarioFixture.Streams) async throws {
        try await ClientScenarioFixture.with(streams: streams) { fixture in
            let watcher = fixture.client()
            let other = fixture.client()
            let session = try await watcher.createSession(name: "Streaming scenario")

            let updates = watcher.participantsStream(sessionCode: session.code).makeAsyncIterator()
            let first = try #require(try await updates.next())
            #expect(first.participants.isEmpty)
            #expect(first.stats.total == 0)

            let ada = try await other.join(sessionCode: session.code, name: "Ada Lovelace")
            var seen: ParticipantsUpdate?
            while let update = try await updates.next() {
                if update.participants.contains(where: { $0.id == ada.id }) {
                    seen = update
                    break
                }
            }
            let update = try #require(seen)
            #expect(update.participants.map(\.name) == ["Ada Lovelace"])
            #expect(update.stats.total == 1)
            #expect(update.stats.byStatus.active == 1)

            let alan = try await other.join(sessionCode: session.code, name: "Alan Turing")
            _ = try await other.setStatus(sessionCode: session.code, participantID: alan.id, status: .away)
            try await other.leave(sessionCode: session.code, participantID: ada.id)
            var last: ParticipantsUpdate?
            while let update = try await updates.next() {
                if update.participants.map(\.id) == [alan.id], update.participants.first?.status == .away {
                    last = update
                    break
                }
            }
            let final = try #require(last)
            #expect(final.stats.total == 1)
            #expect(final.stats.byStatus.away == 1)
            #expect(final.stats.byStatus.active == 0)
        }
    }

    @Test("the observable participants model follows joins made by another client")
    func liveParticipantsModel() async throws {
        try await ClientScenarioFixture.with { fixture in
            let other = fixture.client()
            let session = try await other.createSession(name: "Model stream")
            try await Self.followJoins(fixture.client(), other: other, sessionCode: session.code)
        }
    }

    @MainActor
    static func followJoins(_ client: LiveSessionsClient, other: LiveSessionsClient, sessionCode: String)
        async throws
    {
        let model = client.liveParticipants(sessionCode: sessionCode)
        model.start()
        await waitUntil { model.value != nil }
        let grace = try await other.join(sessionCode: sessionCode, name: "Grace Hopper")
        await waitUntil { model.value?.participants.contains { $0.id == grace.id } == true }
        #expect(model.value?.stats.total == 1)
        await waitUntil { model.connectionState == .open }
        #expect(model.lastError == nil)
        model.stop()
        #expect(model.connectionState == .closed)
    }

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
}
