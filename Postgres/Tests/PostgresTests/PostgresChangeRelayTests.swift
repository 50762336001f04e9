import Foundation
import LiveSessionsPostgres
import RemoteFunctionsLive
import RemoteFunctionsPostgres
import RemoteFunctionsPostgresLive
import Testing

extension PostgresLiveTests {
    @Suite struct ChangeRelay {
        @Test("a commit through instance A reaches the change feeds of A and B; a dropped listener invalidates all")
        func crossInstance() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let channel = PostgresTestDatabase.uniqueName("relay")
            let feedA = ChangeFeed()
            let feedB = ChangeFeed()
            let relayA = try PostgresChangeRelay(
                feed: feedA, options: PostgresConnectionOptions(url: url), channel: channel)
            let relayB = try PostgresChangeRelay(
                feed: feedB, options: PostgresConnectionOptions(url: url), channel: channel)
            let store = try await PostgresLiveSessionsStore.open(url: url, maximumConnections: 2, channel: channel)
            let session = try await store.createSession(name: "Relay")
            let topic = "session:\(session.code)"
            var changesA = feedA.changes(topics: [topic]).makeAsyncIterator()
            var changesB = feedB.changes(topics: [topic]).makeAsyncIterator()

            relayA.start()
            relayB.start()
            // Starting to listen invalidates everything once (nothing can have been missed yet,
            // but a query evaluated before LISTEN was active re-reads).
            #expect(try await changesA.next() == .invalidatedAll)
            #expect(try await changesB.next() == .invalidatedAll)

            _ = try await store.join(sessionCode: session.code, name: "Ada")
            guard case .changed(let seenByA) = try await changesA.next(),
                case .changed(let seenByB) = try await changesB.next()
            else {
                Issue.record("expected a change on both instances")
                return
            }
            #expect(seenByA.topic == topic)
            #expect(seenByB.topic == topic)

            // Kill B's listening backend: B reconnects and invalidates every live query.
            guard case .listening(let pid) = relayB.listener.state else {
                Issue.record("relay B is not listening")
                return
            }
            _ = try await store.pool.withConnection { connection in
                try connection.queryFirst("SELECT pg_terminate_backend($1::int4, 10000)", [pid]) { try $0.bool(0) }
            }
            #expect(try await changesB.next() == .invalidatedAll)
            _ = try await store.join(sessionCode: session.code, name: "Grace")
            guard case .changed = try await changesB.next() else {
                Issue.record("expected a change on B after its reconnection")
                return
            }
            await relayA.stop()
            await relayB.stop()
            await store.close()
        }
    }
}
