import Foundation
import LiveSessionsAPI
import LiveSessionsPostgres
import PostgresDemoFixture
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsPostgres
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

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
            let instanceA = try await PostgresDemoInstance.start(url: url, channel: channel)
            let instanceB = try await PostgresDemoInstance.start(url: url, channel: channel)
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
