import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import RemoteFunctions
import Testing

/// Pattern 2 through the Swift client: `sessions.loadProgressive` delivers each stage as soon as
/// the server has it.
@Suite("Client scenario: progressive loading", .timeLimit(.minutes(3)))
struct ProgressiveClientScenarioTests {
    @Test("chunks arrive in order session, participants, analytics, insights, each once, then the stream ends")
    func chunksArriveInOrder() async throws {
        try await ClientScenarioFixture.with { fixture in
            let client = fixture.client()
            let session = try await client.createSession(name: "Progressive scenario")
            for name in ["Ada Lovelace", "Alan Turing", "Grace Hopper"] {
                _ = try await client.join(sessionCode: session.code, name: name)
            }

            var types: [String] = []
            var chunks: [ProgressiveChunk] = []
            for try await chunk in client.loadProgressive(sessionCode: session.code) {
                types.append(chunk.type)
                chunks.append(chunk)
            }
            #expect(types == ["session", "participants", "analytics", "insights"])
            guard chunks.count == 4 else { return }
            if case .session(let loaded) = chunks[0] { #expect(loaded == session) }
            if case .participants(let participants) = chunks[1] {
                #expect(participants.total == 3)
                #expect(participants.recent.count == 3)
            }
            if case .analytics(let analytics) = chunks[2] { #expect(analytics.total == 3) }
            if case .insights(let insights) = chunks[3] { #expect(!insights.isEmpty) }
        }
    }

    @Test(
        "on a seeded session of 20 000 participants the first chunks are in hand while the server is still computing",
        .timeLimit(.minutes(1)))
    func firstChunkBeforeLastIsComputed() async throws {
        try await ClientScenarioFixture.with(gateAnalytics: true) { fixture in
            let gate = try #require(fixture.gatedStorage)
            let session = try await fixture.store.seedLargeSession(name: "Large", participantCount: 20_000)
            let client = fixture.client()
            var arrivals: [String] = []
            var heldWhenReceived: [Bool] = []
            for try await chunk in client.loadProgressive(sessionCode: session.code) {
                arrivals.append(chunk.type)
                heldWhenReceived.append(!gate.isOpen)
                if case .participants = chunk {
                    // The server is held inside its analytics read: the session and participants
                    // chunks reached the client before the rest was computed. Let it go on.
                    gate.open()
                }
                if case .analytics(let analytics) = chunk {
                    #expect(analytics.total == 20_000)
                }
            }
            #expect(arrivals == ["session", "participants", "analytics", "insights"])
            #expect(heldWhenReceived == [true, true, false, false])
        }
    }
}
