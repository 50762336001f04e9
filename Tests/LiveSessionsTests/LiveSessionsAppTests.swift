import Foundation
import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import Testing

@Suite("LiveSessions functions through the runtime (in process)")
struct LiveSessionsAppTests {
    @Test("commands and queries answer with the agreed JSON and typed errors")
    func unaryFunctions() async throws {
        try await InProcessLiveSessions.with { app in
            let session: Session = try await app.call("sessions.create", CreateSessionArguments(name: "Demo"))
            let ada: Participant = try await app.call(
                "participants.join", JoinParticipantArguments(sessionCode: session.code, name: "Ada"))
            let away: Participant = try await app.call(
                "participants.setStatus",
                SetParticipantStatusArguments(sessionCode: session.code, participantID: ada.id, status: .away))
            #expect(away.status == .away)
            let page: ParticipantsPage = try await app.call(
                "participants.page", ParticipantsPageArguments(sessionCode: session.code, pageSize: 10))
            #expect(page.items == [away] && !page.hasMore)
            let entity: Entity = try await app.call(
                "entities.create", CreateEntityArguments(sessionCode: session.code, title: "Card"))
            let applied: EntityUpdateResult = try await app.call(
                "entities.update",
                UpdateEntityArguments(entityID: entity.id, changes: .init(notes: "a"), baseVersion: 1))
            #expect(applied.entity.version == 2 && !applied.isConflict)
            let conflict: EntityUpdateResult = try await app.call(
                "entities.update",
                UpdateEntityArguments(entityID: entity.id, changes: .init(notes: "b"), baseVersion: 1))
            #expect(conflict == .conflict(current: applied.entity))
            let list: [Entity] = try await app.call("entities.list", SessionCodeArguments(sessionCode: session.code))
            #expect(list == [applied.entity])
            let left: Empty = try await app.call(
                "participants.leave", LeaveParticipantArguments(sessionCode: session.code, participantID: ada.id))
            #expect(left == Empty())

            let unknown = await #expect(throws: RemoteError.self) {
                let _: Participant = try await app.call(
                    "participants.join", JoinParticipantArguments(sessionCode: "NOPE22", name: "Ada"))
            }
            #expect(unknown?.code == .notFound)
            let badStatus = await #expect(throws: RemoteError.self) {
                let _: Participant = try await app.call(
                    "participants.setStatus",
                    [
                        "sessionCode": JSONValue.string(session.code), "participantId": .number(Double(ada.id)),
                        "status": .string("asleep"),
                    ])
            }
            #expect(badStatus?.code == .invalidArgument)
        }
    }

    @Test("participants.stream yields the current state and then a state with a new participant")
    func participantsStream() async throws {
        try await InProcessLiveSessions.with { app in
            let session = try await app.fixture.store.createSession(name: "Live")
            _ = try await app.fixture.store.join(sessionCode: session.code, name: "Ada")
            var events = try await app.stream("participants.stream", SessionCodeArguments(sessionCode: session.code))
            let first = try #require(try await events.next(ParticipantsUpdate.self))
            #expect(first.0.participants.map(\.name) == ["Ada"])
            #expect(first.0.stats.byStatus.active == 1)
            _ = try await app.fixture.store.join(sessionCode: session.code, name: "Alan")
            while let (update, _) = try await events.next(ParticipantsUpdate.self) {
                if update.stats.total == 2 {
                    #expect(update.participants.map(\.name) == ["Ada", "Alan"])
                    break
                }
            }
            events.cancel()
        }
    }

    @Test("sessions.loadProgressive yields session, participants, analytics and insights in order")
    func progressiveStages() async throws {
        try await InProcessLiveSessions.with { app in
            let session = try await app.fixture.store.seedLargeSession(name: "Big", participantCount: 2_000)
            var events = try await app.stream(
                "sessions.loadProgressive", SessionCodeArguments(sessionCode: session.code))
            var types: [String] = []
            while let (chunk, _) = try await events.next(ProgressiveChunk.self) {
                types.append(chunk.type)
                switch chunk {
                case .session(let value):
                    #expect(value.code == session.code && value.name == session.name)
                    #expect(abs(value.createdAt.timeIntervalSince(session.createdAt)) < 0.001)
                case .participants(let value): #expect(value.total == 2_000 && value.recent.count == 50)
                case .analytics(let value): #expect(value.total == 2_000)
                case .insights(let value): #expect(!value.isEmpty)
                }
            }
            #expect(types == ["session", "participants", "analytics", "insights"])
        }
    }

    @Test("entities.watch resumes after Last-Event-ID with only newer versions, cursor = version")
    func watchResumes() async throws {
        try await InProcessLiveSessions.with { app in
            let store = app.fixture.store
            let session = try await store.createSession(name: "Board")
            let entity = try await store.createEntity(sessionCode: session.code, title: "Card")
            _ = try await store.updateEntity(id: entity.id, changes: .init(notes: "v2"), baseVersion: 1)
            _ = try await store.updateEntity(id: entity.id, changes: .init(notes: "v3"), baseVersion: 2)

            var fresh = try await app.stream("entities.watch", EntityIDArguments(entityID: entity.id))
            let current = try #require(try await fresh.next(EntityWatchEvent.self))
            #expect(current.0.version == 3 && current.id == "3" && current.0.type == "update")
            fresh.cancel()

            var resumed = try await app.stream(
                "entities.watch", EntityIDArguments(entityID: entity.id), lastEventID: "3")
            _ = try await store.updateEntity(id: entity.id, changes: .init(notes: "v4"), baseVersion: 3)
            let next = try #require(try await resumed.next(EntityWatchEvent.self))
            #expect(next.0.version == 4 && next.0.data.notes == "v4" && next.id == "4")
            resumed.cancel()
        }
    }

    @Test("leaving a stream ends its polling loop on the server")
    func leavingEndsTheLoop() async throws {
        try await InProcessLiveSessions.with { app in
            let session = try await app.fixture.store.createSession(name: "Leave")
            var events = try await app.stream("participants.stream", SessionCodeArguments(sessionCode: session.code))
            _ = try #require(try await events.next(ParticipantsUpdate.self))
            #expect(app.server.openStreamCount == 1)
            events.cancel()
            // No signal reports the end of a handler: poll the server's own count, with a deadline.
            let deadline = ContinuousClock.now + .seconds(10)
            while app.server.openStreamCount > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(app.server.openStreamCount == 0)
        }
    }
}
