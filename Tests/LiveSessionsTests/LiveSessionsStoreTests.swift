import Foundation
import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsSQLite
import Testing

@Suite("LiveSessions store")
struct LiveSessionsStoreTests {
    @Test("sessions get six-character codes from the unambiguous alphabet and can be read back")
    func createSession() async throws {
        try await StoreFixture.with { fixture in
            let session = try await fixture.store.createSession(name: "  Retro  ")
            #expect(session.name == "Retro")
            #expect(session.code.count == 6)
            #expect(session.code.allSatisfy { "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains($0) })
            #expect(try await fixture.store.session(code: session.code.lowercased()) == session)
            #expect(try await fixture.store.latestSession() == session)
        }
    }

    @Test("join, setStatus and leave change the participants and their stats")
    func participantLifecycle() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Standup")
            let ada = try await store.join(sessionCode: session.code, name: "Ada")
            let alan = try await store.join(sessionCode: session.code, name: "Alan")
            #expect(ada.status == .active)
            #expect(ada.joinedAt == fixture.currentDate)
            #expect(alan.id > ada.id)
            let idle = try await store.setStatus(sessionCode: session.code, participantID: alan.id, status: .idle)
            #expect(idle.status == .idle)
            var update = try await store.participantsUpdate(sessionCode: session.code)
            #expect(update.participants.map(\.name) == ["Ada", "Alan"])
            #expect(update.stats == ParticipantStats(total: 2, byStatus: ParticipantStatusCounts(active: 1, idle: 1)))
            try await store.leave(sessionCode: session.code, participantID: ada.id)
            update = try await store.participantsUpdate(sessionCode: session.code)
            #expect(update.participants.map(\.id) == [alan.id])
            #expect(update.stats.total == 1)
        }
    }

    @Test("invalid input and unknown ids are typed remote errors")
    func validation() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "S")
            let cases: [(RemoteError.Code, @Sendable () async throws -> Void)] = [
                (.invalidArgument, { _ = try await store.createSession(name: "   ") }),
                (.invalidArgument, { _ = try await store.createSession(name: String(repeating: "x", count: 101)) }),
                (.invalidArgument, { _ = try await store.join(sessionCode: session.code, name: "") }),
                (.invalidArgument, { _ = try await store.join(sessionCode: session.code, name: "two\nlines") }),
                (
                    .invalidArgument,
                    { _ = try await store.join(sessionCode: session.code, name: String(repeating: "n", count: 81)) }
                ),
                (.notFound, { _ = try await store.join(sessionCode: "ZZZZZZ", name: "Ada") }),
                (.notFound, { _ = try await store.session(code: "ZZZZZZ") }),
                (
                    .notFound,
                    { _ = try await store.setStatus(sessionCode: session.code, participantID: 999, status: .away) }
                ),
                (.notFound, { try await store.leave(sessionCode: session.code, participantID: 999) }),
                (.notFound, { _ = try await store.entity(id: 999) }),
                (.invalidArgument, { _ = try await store.createEntity(sessionCode: session.code, title: " ") }),
                (
                    .invalidArgument,
                    { _ = try await store.participantsPage(sessionCode: session.code, cursor: nil, pageSize: 0) }
                ),
                (
                    .invalidArgument,
                    { _ = try await store.participantsPage(sessionCode: session.code, cursor: nil, pageSize: 201) }
                ),
                (
                    .invalidArgument,
                    {
                        _ = try await store.participantsPage(
                            sessionCode: session.code, cursor: "garbage!", pageSize: 10)
                    }
                ),
            ]
            for (code, operation) in cases {
                let error = await #expect(throws: RemoteError.self) { try await operation() }
                #expect(error?.code == code)
            }
        }
    }

    @Test("a participant of another session cannot be changed through this one")
    func participantsBelongToTheirSession() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let first = try await store.createSession(name: "One")
            let second = try await store.createSession(name: "Two")
            let ada = try await store.join(sessionCode: first.code, name: "Ada")
            let error = await #expect(throws: RemoteError.self) {
                try await store.leave(sessionCode: second.code, participantID: ada.id)
            }
            #expect(error?.code == .notFound)
            #expect(try await store.participantsUpdate(sessionCode: first.code).stats.total == 1)
        }
    }

    @Test("a bad status string is rejected as invalid_argument when the arguments are decoded")
    func badStatusIsInvalidArgument() throws {
        let json = Data(#"{"sessionCode":"ABCDEF","participantId":1,"status":"sleeping"}"#.utf8)
        let error = #expect(throws: RemoteError.self) {
            try RemoteJSON.decode(SetParticipantStatusArguments.self, from: json)
        }
        #expect(error?.code == .invalidArgument)
        let changes = Data(#"{"entityId":1,"baseVersion":1,"changes":{"status":"later"}}"#.utf8)
        #expect(throws: RemoteError.self) { try RemoteJSON.decode(UpdateEntityArguments.self, from: changes) }
    }

    @Test("every committed write publishes its topics, in commit order; reads and conflicts publish nothing")
    func commitsPublishTopics() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Topics")
            let ada = try await store.join(sessionCode: session.code, name: "Ada")
            let entity = try await store.createEntity(sessionCode: session.code, title: "Card")
            _ = try await store.updateEntity(id: entity.id, changes: EntityChanges(notes: "x"), baseVersion: 1)
            _ = try await store.updateEntity(id: entity.id, changes: EntityChanges(notes: "y"), baseVersion: 1)
            _ = try await store.participantsUpdate(sessionCode: session.code)
            try await store.leave(sessionCode: session.code, participantID: ada.id)
            let sessionTopic = "session:\(session.code)"
            let entityTopic = "entity:\(entity.id)"
            #expect(
                fixture.committedTopics == [
                    ["sessions", sessionTopic], [sessionTopic], [sessionTopic, entityTopic],
                    [sessionTopic, entityTopic], [sessionTopic],
                ])
        }
    }

    @Test("a compare-and-set on a stale base version returns the current entity and writes nothing")
    func compareAndSetConflict() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Board")
            let created = try await store.createEntity(sessionCode: session.code, title: "Plan")
            #expect(created.version == 1 && created.notes == "" && created.status == .todo)
            fixture.advance(by: 5)
            let first = try await store.updateEntity(
                id: created.id, changes: EntityChanges(title: "Plan v2", status: .doing), baseVersion: 1)
            guard case .applied(let applied) = first else {
                Issue.record("expected the first update to apply")
                return
            }
            #expect(applied.version == 2 && applied.title == "Plan v2" && applied.status == .doing)
            #expect(applied.updatedAt == fixture.currentDate)
            let stale = try await store.updateEntity(
                id: created.id, changes: EntityChanges(notes: "lost?"), baseVersion: 1)
            #expect(stale == .conflict(current: applied))
            #expect(try await store.entity(id: created.id) == applied)
            #expect(try await store.entities(sessionCode: session.code) == [applied])
        }
    }

    @Test("8 writers × 200 updates with re-read and retry lose nothing and versions strictly increase")
    func concurrentWriters() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Contention")
            let entity = try await store.createEntity(sessionCode: session.code, title: "Shared")
            let writers = 8
            let updatesPerWriter = 200
            let results = try await withThrowingTaskGroup(of: (tokens: [String], versions: [Int], conflicts: Int).self)
            {
                group in
                for writer in 0..<writers {
                    group.addTask {
                        var tokens: [String] = []
                        var versions: [Int] = []
                        var conflicts = 0
                        var current = try await store.entity(id: entity.id)
                        for update in 0..<updatesPerWriter {
                            let token = "\(writer).\(String(update, radix: 36))"
                            while true {
                                let notes = current.notes.isEmpty ? token : current.notes + "," + token
                                let result = try await store.updateEntity(
                                    id: entity.id, changes: EntityChanges(notes: notes), baseVersion: current.version)
                                switch result {
                                case .applied(let stored):
                                    #expect(stored.version == current.version + 1)
                                    versions.append(stored.version)
                                    tokens.append(token)
                                    current = stored
                                case .conflict(let latest):
                                    // A conflict reports the current entity; re-read and retry.
                                    #expect(latest.version > current.version)
                                    conflicts += 1
                                    current = try await store.entity(id: entity.id)
                                    #expect(current.version >= latest.version)
                                    continue
                                }
                                break
                            }
                        }
                        return (tokens, versions, conflicts)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let final = try await store.entity(id: entity.id)
            let stored = Set(final.notes.split(separator: ",").map(String.init))
            let acknowledged = results.flatMap(\.tokens)
            #expect(acknowledged.count == writers * updatesPerWriter)
            #expect(stored == Set(acknowledged))
            #expect(final.notes.split(separator: ",").count == acknowledged.count)
            for result in results {
                #expect(zip(result.versions, result.versions.dropFirst()).allSatisfy { $0 < $1 })
            }
            let allVersions = results.flatMap(\.versions).sorted()
            #expect(allVersions == Array(2...(1 + writers * updatesPerWriter)))
            #expect(final.version == 1 + writers * updatesPerWriter)
        }
    }

    @Test("keyset pages are stable while participants are inserted concurrently")
    func paginationUnderConcurrentInserts() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Paging")
            var initial: [Int] = []
            for index in 0..<300 {
                initial.append(try await store.join(sessionCode: session.code, name: "P\(index)").id)
            }
            async let inserted: [Int] = {
                var ids: [Int] = []
                for index in 0..<300 {
                    ids.append(try await store.join(sessionCode: session.code, name: "Late \(index)").id)
                }
                return ids
            }()
            var seen: [Int] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await store.participantsPage(sessionCode: session.code, cursor: cursor, pageSize: 17)
                #expect(page.items.count <= 17)
                #expect(page.hasMore == (page.nextCursor != nil))
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            let late = try await inserted
            #expect(Set(seen).count == seen.count, "no participant appears twice")
            #expect(seen == seen.sorted(), "pages ascend by id")
            #expect(Set(initial).isSubset(of: Set(seen)), "every participant present at the start is seen")
            #expect(Set(seen).isSubset(of: Set(initial + late)))
            #expect(pages >= 300 / 17)
        }
    }

    @Test("the last page has no cursor and an empty session has one empty page")
    func paginationEnds() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Small")
            let empty = try await store.participantsPage(sessionCode: session.code, cursor: nil, pageSize: 10)
            #expect(empty == ParticipantsPage(items: [], nextCursor: nil, hasMore: false))
            for name in ["A", "B", "C"] { _ = try await store.join(sessionCode: session.code, name: name) }
            let first = try await store.participantsPage(sessionCode: session.code, cursor: nil, pageSize: 2)
            #expect(first.items.map(\.name) == ["A", "B"] && first.hasMore)
            let second = try await store.participantsPage(
                sessionCode: session.code, cursor: first.nextCursor, pageSize: 2)
            #expect(second.items.map(\.name) == ["C"] && !second.hasMore && second.nextCursor == nil)
        }
    }

    @Test("analytics and insights are computed correctly on a small known dataset")
    func analyticsOnKnownData() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.createSession(name: "Known")
            let start = fixture.currentDate  // a whole minute
            // Minute 0: three joins; minute 1: one join; minute 3: two joins.
            let ada = try await store.join(sessionCode: session.code, name: "Ada Lovelace")  // 12
            _ = try await store.join(sessionCode: session.code, name: "Alan Turing")  // 11
            let grace = try await store.join(sessionCode: session.code, name: "Grace Hopper")  // 12
            fixture.advance(by: 70)
            _ = try await store.join(sessionCode: session.code, name: "Ada Byron")  // 9
            fixture.advance(by: 120)
            _ = try await store.join(sessionCode: session.code, name: "Ada Lovelace")  // 12
            let leaver = try await store.join(sessionCode: session.code, name: "Bo")
            try await store.leave(sessionCode: session.code, participantID: leaver.id)
            _ = try await store.setStatus(sessionCode: session.code, participantID: ada.id, status: .idle)
            _ = try await store.setStatus(sessionCode: session.code, participantID: grace.id, status: .away)
            fixture.advance(by: 60)

            let analytics = try await store.analytics(sessionCode: session.code)
            #expect(analytics.total == 5)
            #expect(analytics.byStatus == ParticipantStatusCounts(active: 3, idle: 1, away: 1))
            #expect(
                analytics.joinsPerMinute == [
                    .init(minute: start, count: 3),
                    .init(minute: start.addingTimeInterval(60), count: 1),
                    .init(minute: start.addingTimeInterval(180), count: 1),
                ])
            #expect(analytics.peakMinute == start)
            #expect(analytics.peakMinuteJoins == 3)
            #expect(analytics.medianNameLength == 12)
            #expect(abs(analytics.averageNameLength - 11.2) < 1e-9)
            #expect(analytics.distinctNames == 4)
            #expect(analytics.topFirstNames.first == .init(name: "Ada", count: 3))
            #expect(analytics.joinsRecorded == 6)
            #expect(analytics.leavesRecorded == 1)
            #expect(abs(analytics.churnRate - 1.0 / 6.0) < 1e-9)
            // Tenures: 250 s for the first three, 180 s, 60 s → median 250 s.
            #expect(analytics.medianTenureSeconds == 250)
            // Least-squares slope of (0, 3), (1, 1), (3, 1).
            #expect(abs(analytics.joinTrendPerMinute - (-4.0 / 7.0)) < 1e-9)

            let insights = try await store.insights(sessionCode: session.code, analytics: analytics)
            #expect(insights.contains { $0.title == "Mostly active" && $0.detail.hasPrefix("60% of 5 participants") })
            #expect(insights.contains { $0.title == "Joining is slowing down" })
            #expect(
                insights.contains { $0.title == "4 distinct names" && $0.detail.hasPrefix("1 names are shared by 2") })
            let recent = try await store.progressiveParticipants(sessionCode: session.code)
            #expect(recent.total == 5)
            #expect(recent.recent.first?.name == "Ada Lovelace" && recent.recent.count == 5)
        }
    }

    @Test("seeding a large session inserts exactly the requested participants and their history")
    func seedingLargeSession() async throws {
        try await StoreFixture.with { fixture in
            let store = fixture.store
            let session = try await store.seedLargeSession(name: "Seeded", participantCount: 5_000)
            let analytics = try await store.analytics(sessionCode: session.code)
            #expect(analytics.total == 5_000)
            #expect(analytics.byStatus.total == 5_000)
            #expect(analytics.joinsPerMinute.reduce(0) { $0 + $1.count } == 5_000)
            #expect(analytics.joinsRecorded == 5_000 + analytics.leavesRecorded)
            #expect(analytics.leavesRecorded == 5_000 * 7 / 93)
            #expect(try await store.latestSession() == session)
        }
    }

    @Test("data and schema survive reopening the store on the same directory")
    func reopenKeepsData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await LiveSessionsStore.open(dataDirectory: directory.path)
        let session = try await first.createSession(name: "Persist")
        let entity = try await first.createEntity(sessionCode: session.code, title: "Keep me")
        await first.close()
        let second = try await LiveSessionsStore.open(dataDirectory: directory.path)
        #expect(try await second.database.appliedMigrationVersions() == LiveSessionsSchema.migrations.map(\.version))
        #expect(try await second.entity(id: entity.id) == entity)
        await second.close()
    }
}
