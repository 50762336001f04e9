import Foundation
import LiveSessionsAPI
import LiveSessionsPostgres
import RemoteFunctions
import RemoteFunctionsPostgres
import Synchronization
import Testing

extension PostgresLiveTests {
    /// The PostgreSQL store against a real server, with the semantics the SQLite store's tests check.
    @Suite struct LiveSessionsStore {
        /// A fresh database per test, so tests never see each other's rows.
        static func withDatabase(_ body: (String) async throws -> Void) async throws {
            let url = try #require(ProcessInfo.processInfo.environment["REMOTE_FUNCTIONS_POSTGRES_URL"])
            let name = "live_sessions_\(UInt32.random(in: 0...UInt32.max))"
            let admin = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            try await admin.withConnection { try $0.execute("CREATE DATABASE \(name)") }
            let slash = try #require(url.lastIndex(of: "/"))
            do {
                try await body(url[..<slash] + "/" + name)
            } catch {
                try? await admin.withConnection { try $0.execute("DROP DATABASE \(name) WITH (FORCE)") }
                await admin.close()
                throw error
            }
            try await admin.withConnection { try $0.execute("DROP DATABASE \(name) WITH (FORCE)") }
            await admin.close()
        }

        @Test("sessions, participants, keyset pages and errors behave as on SQLite")
        func participants() async throws {
            try await Self.withDatabase { url in
                let store = try await PostgresLiveSessionsStore.open(url: url)
                let session = try await store.createSession(name: "  Standup ")
                #expect(session.name == "Standup")
                #expect(try await store.session(code: session.code.lowercased()) == session)
                #expect(try await store.latestSession() == session)

                var joined: [Participant] = []
                for index in 0..<7 { joined.append(try await store.join(sessionCode: session.code, name: "P\(index)")) }
                #expect(joined.map(\.id) == joined.map(\.id).sorted())
                let idle = try await store.setStatus(
                    sessionCode: session.code, participantID: joined[1].id, status: .idle)
                #expect(idle.status == .idle)
                try await store.leave(sessionCode: session.code, participantID: joined[2].id)

                let update = try await store.participantsUpdate(sessionCode: session.code)
                #expect(update.stats.total == 6)
                #expect(update.stats.byStatus.idle == 1)
                #expect(update.participants.map(\.id) == joined.map(\.id).filter { $0 != joined[2].id })

                var seen: [Int] = []
                var cursor: String?
                repeat {
                    let page = try await store.participantsPage(sessionCode: session.code, cursor: cursor, pageSize: 4)
                    seen += page.items.map(\.id)
                    // A participant joining while we page appears after every existing one.
                    if cursor == nil { _ = try await store.join(sessionCode: session.code, name: "Late") }
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(seen.count == 7)
                #expect(seen == seen.sorted())

                let missing = await #expect(throws: RemoteError.self) { try await store.session(code: "NOPE42") }
                #expect(missing?.code == .notFound)
                let badName = await #expect(throws: RemoteError.self) {
                    try await store.join(sessionCode: session.code, name: " ")
                }
                #expect(badName?.code == .invalidArgument)
                let badCursor = await #expect(throws: RemoteError.self) {
                    try await store.participantsPage(sessionCode: session.code, cursor: "garbage!", pageSize: 10)
                }
                #expect(badCursor?.code == .invalidArgument)
                let gone = await #expect(throws: RemoteError.self) {
                    try await store.leave(sessionCode: session.code, participantID: joined[2].id)
                }
                #expect(gone?.code == .notFound)

                let analytics = try await store.analytics(sessionCode: session.code)
                #expect(analytics.total == 7)
                #expect(analytics.joinsRecorded == 8)
                #expect(analytics.leavesRecorded == 1)
                let insights = try await store.insights(sessionCode: session.code, analytics: analytics)
                #expect(!insights.isEmpty)
                #expect(try await store.progressiveParticipants(sessionCode: session.code).total == 7)
                await store.close()
            }
        }

        @Test("an entity update is a compare-and-set: a stale base version gets the current entity")
        func compareAndSet() async throws {
            try await Self.withDatabase { url in
                let store = try await PostgresLiveSessionsStore.open(url: url)
                let session = try await store.createSession(name: "Board")
                let entity = try await store.createEntity(sessionCode: session.code, title: "Card")
                #expect(entity.version == 1)
                let first = try await store.updateEntity(
                    id: entity.id, changes: EntityChanges(notes: "a"), baseVersion: 1)
                guard case .applied(let applied) = first else {
                    Issue.record("the first update conflicted")
                    return
                }
                #expect(applied.version == 2)
                #expect(applied.notes == "a")
                let stale = try await store.updateEntity(
                    id: entity.id, changes: EntityChanges(title: "x"), baseVersion: 1)
                #expect(stale == .conflict(current: applied))
                #expect(try await store.entities(sessionCode: session.code) == [applied])
                let missing = await #expect(throws: RemoteError.self) { try await store.entity(id: 999_999) }
                #expect(missing?.code == .notFound)
                await store.close()
            }
        }

        @Test("8 writers on two instances, retrying on conflict, lose no acknowledged update")
        func eightWritersOnTwoInstances() async throws {
            try await Self.withDatabase { url in
                let instanceA = try await PostgresLiveSessionsStore.open(url: url, maximumConnections: 4)
                let instanceB = try await PostgresLiveSessionsStore.open(url: url, maximumConnections: 4)
                let session = try await instanceA.createSession(name: "Race")
                let entity = try await instanceA.createEntity(sessionCode: session.code, title: "Shared")
                let updatesPerWriter = 25
                let conflicts = Locked(0)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        let store = writer % 2 == 0 ? instanceA : instanceB
                        group.addTask {
                            for update in 0..<updatesPerWriter {
                                // The SyncedEntity policy: re-apply the user's mutation to the current
                                // entity and retry until the compare-and-set succeeds.
                                var current = try await store.entity(id: entity.id)
                                while true {
                                    let notes = current.notes + "w\(writer)-\(update);"
                                    let result = try await store.updateEntity(
                                        id: entity.id, changes: EntityChanges(notes: notes),
                                        baseVersion: current.version)
                                    switch result {
                                    case .applied: break
                                    case .conflict(let newer):
                                        conflicts.withLock { $0 += 1 }
                                        current = newer
                                        continue
                                    }
                                    break
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let final = try await instanceB.entity(id: entity.id)
                let tokens = Set(final.notes.split(separator: ";").map(String.init))
                #expect(tokens.count == 8 * updatesPerWriter, "every acknowledged update is in the final notes")
                #expect(final.version == 1 + 8 * updatesPerWriter)
                #expect(conflicts.withLock { $0 } > 0, "the writers did race")
                await instanceA.close()
                await instanceB.close()
            }
        }

        @Test("each committed write notifies its topics on the channel; a failed write notifies nothing")
        func notifications() async throws {
            try await Self.withDatabase { url in
                let received = Locked<[PostgresChange]>([])
                let (events, continuation) = AsyncStream.makeStream(of: Int.self)
                let channel = "changes_\(UInt32.random(in: 0...UInt32.max))"
                let listener = try PostgresChangeListener(
                    options: PostgresConnectionOptions(url: url), configuration: .init(channels: [channel]),
                    onChange: { change in
                        let count = received.withLock { list in
                            list.append(change)
                            return list.count
                        }
                        continuation.yield(count)
                    },
                    onResync: { continuation.yield(0) })
                listener.start()
                var iterator = events.makeAsyncIterator()
                #expect(await iterator.next() == 0, "listening")

                let store = try await PostgresLiveSessionsStore.open(url: url, channel: channel)
                let session = try await store.createSession(name: "Feed")
                let entity = try await store.createEntity(sessionCode: session.code, title: "Card")
                _ = await #expect(throws: RemoteError.self) { try await store.join(sessionCode: "NOPE42", name: "x") }
                _ = try await store.updateEntity(id: entity.id, changes: EntityChanges(status: .doing), baseVersion: 1)
                while let count = await iterator.next(), count < 3 {}
                let topics = received.withLock { $0.map(\.topics) }
                #expect(
                    topics == [
                        ["sessions", "session:\(session.code)"],
                        ["session:\(session.code)", "entity:\(entity.id)"],
                        ["session:\(session.code)", "entity:\(entity.id)"],
                    ])
                await listener.stop()
                continuation.finish()
                await store.close()
            }
        }
    }
}

extension PostgresLiveTests.LiveSessionsStore {
    @Test("seeding a large session produces exactly the requested participants and their history")
    func seeding() async throws {
        try await Self.withDatabase { url in
            let store = try await PostgresLiveSessionsStore.open(url: url)
            let session = try await store.seedLargeSession(name: "Large", participantCount: 12_000)
            let analytics = try await store.analytics(sessionCode: session.code)
            #expect(analytics.total == 12_000)
            #expect(analytics.joinsRecorded == 12_000 + 12_000 * 7 / 93)
            #expect(analytics.leavesRecorded == 12_000 * 7 / 93)
            #expect(analytics.byStatus.idle > 0 && analytics.byStatus.away > 0)
            await store.close()
        }
    }
}

/// A value behind a lock, shareable with callbacks and child tasks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
