import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import PostgresDemoFixture
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsTesting
import Testing

extension PostgresLiveTests {
    @Suite struct SyncedEntityAcrossInstances {
        static let writers = 8
        static let updatesPerWriter = 25

        struct Acknowledgement: Sendable {
            var token: String
            var version: Int
        }

        @Test(
            "the 8-writer SyncedEntity scenario with the writers spread over two instances loses no acknowledged update"
        )
        func eightSyncedWriters() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let channel = PostgresTestDatabase.uniqueName("synced")
            let instanceA = try await PostgresDemoInstance.start(url: url, channel: channel)
            let instanceB = try await PostgresDemoInstance.start(url: url, channel: channel)
            try await withRemoteServer(instanceA.server) { urlA in
                try await withRemoteServer(instanceB.server) { urlB in
                    let setup = LiveSessionsClient(baseURL: urlA)
                    let session = try await setup.remote.call(
                        LiveSessionsFunctions.createSession, CreateSessionArguments(name: "Synced"))
                    let card = try await setup.remote.call(
                        LiveSessionsFunctions.createEntity,
                        CreateEntityArguments(sessionCode: session.code, title: "Notes"))
                    let configuration = SyncedEntity.Configuration(
                        conflictRetry: RetryPolicy(
                            maximumAttempts: 1_000,
                            backoff: Backoff(
                                initialDelay: .milliseconds(1), multiplier: 2, maximumDelay: .milliseconds(50),
                                jitter: 1)))
                    let results = try await withThrowingTaskGroup(of: ([Acknowledgement], Int).self) { group in
                        for writer in 0..<Self.writers {
                            // Even writers edit and watch through A, odd ones through B.
                            let client = LiveSessionsClient(baseURL: writer % 2 == 0 ? urlA : urlB)
                            group.addTask {
                                let synced = client.synced(card, configuration: configuration)
                                await synced.startWatching()
                                let conflictStream = await synced.conflicts()
                                let collector = Task {
                                    var count = 0
                                    for await _ in conflictStream { count += 1 }
                                    return count
                                }
                                var acknowledgements: [Acknowledgement] = []
                                for update in 0..<Self.updatesPerWriter {
                                    let token = "w\(writer)u\(update);"
                                    let version = try await synced.update { $0.notes += token }
                                    acknowledgements.append(Acknowledgement(token: token, version: version))
                                }
                                await synced.stop()
                                return (acknowledgements, await collector.value)
                            }
                        }
                        var results: [([Acknowledgement], Int)] = []
                        for try await result in group { results.append(result) }
                        return results
                    }
                    let acknowledgements = results.flatMap(\.0)
                    let conflicts = results.map(\.1).reduce(0, +)
                    let total = Self.writers * Self.updatesPerWriter
                    #expect(acknowledgements.map(\.version).sorted() == Array(2...(total + 1)))
                    let final = try #require(
                        try await setup.remote.call(
                            LiveSessionsFunctions.listEntities, SessionCodeArguments(sessionCode: session.code)
                        ).first)
                    #expect(final.version == total + 1)
                    let inVersionOrder = acknowledgements.sorted { $0.version < $1.version }.map(\.token).joined()
                    #expect(final.notes == inVersionOrder, "every acknowledged edit, in version order")
                    #expect(conflicts > 0, "writers on two instances did conflict")
                }
            }
            await instanceA.stop()
            await instanceB.stop()
        }
    }
}
