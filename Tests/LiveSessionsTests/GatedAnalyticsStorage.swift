import LiveSessionsAPI
import LiveSessionsServer
import Synchronization

/// A store whose `analytics` waits until ``open()`` is called; everything else is the real store.
/// It lets a test hold the progressive stream between its second and third chunks.
final class GatedAnalyticsStorage: LiveSessionsStorage {
    let base: LiveSessionsStore
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(base: LiveSessionsStore) {
        self.base = base
    }

    /// Lets every held and later `analytics` call run.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether ``open()`` was called.
    var isOpen: Bool { state.withLock { $0.open } }

    func analytics(sessionCode: String) async throws -> SessionAnalytics {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
        return try await base.analytics(sessionCode: sessionCode)
    }

    func createSession(name: String) async throws -> Session { try await base.createSession(name: name) }
    func session(code: String) async throws -> Session { try await base.session(code: code) }
    func latestSession() async throws -> Session? { try await base.latestSession() }
    func join(sessionCode: String, name: String) async throws -> Participant {
        try await base.join(sessionCode: sessionCode, name: name)
    }
    func setStatus(sessionCode: String, participantID: Int, status: ParticipantStatus) async throws -> Participant {
        try await base.setStatus(sessionCode: sessionCode, participantID: participantID, status: status)
    }
    func leave(sessionCode: String, participantID: Int) async throws {
        try await base.leave(sessionCode: sessionCode, participantID: participantID)
    }
    func participantsUpdate(sessionCode: String) async throws -> ParticipantsUpdate {
        try await base.participantsUpdate(sessionCode: sessionCode)
    }
    func participantsPage(sessionCode: String, cursor: String?, pageSize: Int) async throws -> ParticipantsPage {
        try await base.participantsPage(sessionCode: sessionCode, cursor: cursor, pageSize: pageSize)
    }
    func createEntity(sessionCode: String, title: String) async throws -> Entity {
        try await base.createEntity(sessionCode: sessionCode, title: title)
    }
    func entity(id: Int) async throws -> Entity { try await base.entity(id: id) }
    func entityIfExists(id: Int) async throws -> Entity? { try await base.entityIfExists(id: id) }
    func entities(sessionCode: String) async throws -> [Entity] { try await base.entities(sessionCode: sessionCode) }
    func updateEntity(id: Int, changes: EntityChanges, baseVersion: Int) async throws -> EntityUpdateResult {
        try await base.updateEntity(id: id, changes: changes, baseVersion: baseVersion)
    }
    func progressiveParticipants(sessionCode: String) async throws -> ProgressiveParticipants {
        try await base.progressiveParticipants(sessionCode: sessionCode)
    }
    func insights(sessionCode: String, analytics: SessionAnalytics) async throws -> [Insight] {
        try await base.insights(sessionCode: sessionCode, analytics: analytics)
    }
    func seedLargeSession(name: String, participantCount: Int) async throws -> Session {
        try await base.seedLargeSession(name: name, participantCount: participantCount)
    }
    func close() async { await base.close() }
}
