import Foundation
import LiveSessionsAPI
import LiveSessionsPostgres
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsLive
import RemoteFunctionsPostgres
import RemoteFunctionsPostgresLive
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// One server instance of the demo on PostgreSQL: its own pool, change feed, LISTEN relay and
/// live-query registry, serving the functions the cross-instance tests use over real HTTP.
struct PostgresTestInstance {
    let server: RemoteServer
    let store: PostgresLiveSessionsStore
    let relay: PostgresChangeRelay

    static func start(url: String, channel: String) async throws -> PostgresTestInstance {
        let feed = ChangeFeed()
        let store = try await PostgresLiveSessionsStore.open(url: url, maximumConnections: 4, channel: channel)
        let relay = try PostgresChangeRelay(feed: feed, options: PostgresConnectionOptions(url: url), channel: channel)
        let queries = LiveQueries(feed: feed)
        let server = RemoteServer()
        server.register(LiveSessionsFunctions.joinParticipant) { arguments, _ in
            try await store.join(sessionCode: arguments.sessionCode, name: arguments.name)
        }
        server.register(LiveSessionsFunctions.participantsStream) { arguments, _ in
            let code = arguments.sessionCode.uppercased()
            return queries.subscribe(
                try LiveQueryKey(function: LiveSessionsFunctions.participantsStream.id, arguments: arguments),
                topics: ["session:\(code)"], overflow: .latest
            ) { try await store.participantsUpdate(sessionCode: code) }
        }
        relay.start()
        return PostgresTestInstance(server: server, store: store, relay: relay)
    }

    func stop() async {
        await relay.stop()
        await store.close()
    }
}

/// Runs `body` with a deadline; fails the test when the deadline passes first.
func withDeadline<Result: Sendable>(
    _ timeout: Duration = .seconds(30), _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw PostgresError(kind: .poolTimeout, message: "deadline of \(timeout) passed")
        }
        return result
    }
}

extension PostgresLiveTests {
    @Suite struct MultiInstance {
        /// Reads `stream` until a value satisfies `condition`.
        static func firstValue(
            of stream: RemoteStreamSequence<ParticipantsUpdate>,
            where condition: @escaping @Sendable (ParticipantsUpdate) -> Bool
        ) async throws -> ParticipantsUpdate {
            try await withDeadline {
                for try await update in stream where condition(update) { return update }
                throw PostgresError(kind: .connectionFailed, message: "the stream ended")
            }
        }

        @Test("a write through instance A reaches a stream held on instance B, also after a PostgreSQL restart")
        func writeThroughAReachesStreamOnB() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let channel = PostgresTestDatabase.uniqueName("instances")
            let instanceA = try await PostgresTestInstance.start(url: url, channel: channel)
            let instanceB = try await PostgresTestInstance.start(url: url, channel: channel)
            let session = try await instanceA.store.createSession(name: "Cross-instance")
            let arguments = SessionCodeArguments(sessionCode: session.code)

            try await withRemoteServer(instanceA.server) { urlA in
                try await withRemoteServer(instanceB.server) { urlB in
                    let clientA = RemoteClient(baseURL: urlA)
                    let clientB = RemoteClient(baseURL: urlB)
                    let streamOnB = clientB.stream(LiveSessionsFunctions.participantsStream, arguments)
                    let empty = try await Self.firstValue(of: streamOnB) { _ in true }
                    #expect(empty.stats.total == 0)

                    let ada = try await clientA.call(
                        LiveSessionsFunctions.joinParticipant,
                        JoinParticipantArguments(sessionCode: session.code, name: "Ada"))
                    let seen = try await Self.firstValue(of: streamOnB) { $0.participants.contains { $0.id == ada.id } }
                    #expect(seen.stats.total == 1)

                    if PostgresTestDatabase.canRestart {
                        // Restart PostgreSQL under the open stream: both instances' listeners
                        // and pools reconnect, and B's live query catches up with a write made
                        // through A after the restart.
                        try PostgresTestDatabase.runClusterScript("restart")
                        let grace = try await clientA.call(
                            LiveSessionsFunctions.joinParticipant,
                            JoinParticipantArguments(sessionCode: session.code, name: "Grace"))
                        let caughtUp = try await Self.firstValue(of: streamOnB) {
                            $0.participants.contains { $0.id == grace.id }
                        }
                        #expect(caughtUp.stats.total == 2)
                    }
                }
            }
            await instanceA.stop()
            await instanceB.stop()
        }
    }
}
