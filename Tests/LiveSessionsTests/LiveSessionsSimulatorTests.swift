import Foundation
import LiveSessionsAPI
import LiveSessionsServer
import Testing

@Suite("Simulator")
struct LiveSessionsSimulatorTests {
    @Test("with no session it creates 'Demo' and moves participants in it")
    func createsDemoSession() async throws {
        try await StoreFixture.with { fixture in
            let simulator = LiveSessionsSimulator(store: fixture.store, interval: .milliseconds(1))
            let running = Task { await simulator.run() }
            var commits = 0
            for await _ in fixture.state.commitStream {
                commits += 1
                if commits == 30 { break }
            }
            running.cancel()
            await running.value
            let session = try #require(try await fixture.store.latestSession())
            #expect(session.name == "Demo")
            let update = try await fixture.store.participantsUpdate(sessionCode: session.code)
            #expect(update.stats.total >= 1)
        }
    }

    @Test("it acts on the latest session and never touches participants it did not create")
    func leavesRealUsersAlone() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Real")
            let user = try await store.join(sessionCode: session.code, name: "Real User")
            let simulator = LiveSessionsSimulator(store: store, interval: .milliseconds(1))
            let running = Task { await simulator.run() }
            var commits = 0
            for await _ in fixture.state.commitStream {
                commits += 1
                if commits == 2 + 120 { break }
            }
            running.cancel()
            await running.value
            let kinds = fixture.committedTopics.dropFirst(2)
            #expect(kinds.allSatisfy { $0 == ["session:\(session.code)"] })
            let page = try await store.participantsPage(sessionCode: session.code, cursor: nil, pageSize: 200)
            #expect(page.items.first == user)
        }
    }
}
