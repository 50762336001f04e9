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

        @Test("8 writers spread over two instances, re-applying their edit on conflict, lose no acknowledged update")
        func eightWritersOverHTTP() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let channel = PostgresTestDatabase.uniqueName("writers")
            let instanceA = try await PostgresDemoInstance.start(url: url, channel: channel)
            let instanceB = try await PostgresDemoInstance.start(url: url, channel: channel)
            try await withRemoteServer(instanceA.server) { urlA in
                try await withRemoteServer(instanceB.server) { urlB in
                    let clients = [RemoteClient(baseURL: urlA), RemoteClient(baseURL: urlB)]
                    let session = try await clients[0].call(
                        LiveSessionsFunctions.createSession, CreateSessionArguments(name: "Writers"))
                    let created = try await clients[1].call(
                        LiveSessionsFunctions.createEntity,
                        CreateEntityArguments(sessionCode: session.code, title: "Shared"))
                    let updatesPerWriter = 10
                    let conflicts = try await withThrowingTaskGroup(of: Int.self) { group in
                        for writer in 0..<8 {
                            let client = clients[writer % 2]
                            group.addTask {
                                var conflicts = 0
                                var current = created
                                for update in 0..<updatesPerWriter {
                                    // The conflict policy (docs/DEMO.md): the user's change to a
                                    // field the server did not touch is re-applied on top of the
                                    // current entity, and the update retried with its version.
                                    while true {
                                        let result = try await client.call(
                                            LiveSessionsFunctions.updateEntity,
                                            UpdateEntityArguments(
                                                entityID: created.id,
                                                changes: EntityChanges(notes: current.notes + "w\(writer)-\(update);"),
                                                baseVersion: current.version))
                                        switch result {
                                        case .applied(let entity):
                                            current = entity
                                        case .conflict(let newer):
                                            conflicts += 1
                                            current = newer
                                            continue
                                        }
                                        break
                                    }
                                }
                                return conflicts
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    let entities = try await clients[0].call(
                        LiveSessionsFunctions.listEntities, SessionCodeArguments(sessionCode: session.code))
                    let final = try #require(entities.first)
                    let tokens = Set(final.notes.split(separator: ";").map(String.init))
                    #expect(tokens.count == 8 * updatesPerWriter, "every acknowledged update is in the final notes")
                    #expect(final.version == 1 + 8 * updatesPerWriter)
                    #expect(conflicts > 0, "the writers did conflict")
                }
            }
            await instanceA.stop()
            await instanceB.stop()
        }
    }
}
