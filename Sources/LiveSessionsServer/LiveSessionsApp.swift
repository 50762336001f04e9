import LiveSessionsAPI
import RemoteFunctions
public import RemoteFunctionsLive
public import RemoteFunctionsServer

/// The LiveSessions remote functions, bound to a ``LiveSessionsStorage`` (SQLite or PostgreSQL).
///
/// ``register(on:)`` registers every function of ``LiveSessionsFunctions`` on a server. With
/// ``liveQueries``, `participants.stream` and `entities.watch` are change-driven shared live
/// queries (``LiveSessionsLiveStreams``; the store's `onCommit` must publish to their feed).
/// Without, they are the seed's polling loops. `participants.streamPolling` is always the polling
/// loop: read, yield and sleep for ``participantsPollInterval``; the polling `entities.watch` reads
/// every ``entityPollInterval`` and yields only when the version grew.
public struct LiveSessionsApp: Sendable {
    /// The data behind the functions.
    public let store: any LiveSessionsStorage
    /// How long `participants.stream` sleeps between reads. 1 s, as in the seed.
    public var participantsPollInterval: Duration
    /// How often `entities.watch` reads the entity. 300 ms.
    public var entityPollInterval: Duration
    /// The shared live queries that drive `participants.stream` and `entities.watch`, or `nil`
    /// for the polling versions.
    public var liveQueries: LiveQueries?

    /// Binds the functions to `store`.
    public init(
        store: any LiveSessionsStorage, participantsPollInterval: Duration = .seconds(1),
        entityPollInterval: Duration = .milliseconds(300), liveQueries: LiveQueries? = nil
    ) {
        self.store = store
        self.participantsPollInterval = participantsPollInterval
        self.entityPollInterval = entityPollInterval
        self.liveQueries = liveQueries
    }

    /// Registers every LiveSessions function on `server`.
    public func register(on server: RemoteServer) {
        let store = store
        typealias Functions = LiveSessionsFunctions

        server.register(Functions.createSession) { arguments, _ in
            try await store.createSession(name: arguments.name)
        }
        server.register(Functions.joinParticipant) { arguments, _ in
            try await store.join(sessionCode: arguments.sessionCode, name: arguments.name)
        }
        server.register(Functions.setParticipantStatus) { arguments, _ in
            try await store.setStatus(
                sessionCode: arguments.sessionCode, participantID: arguments.participantID, status: arguments.status)
        }
        server.register(Functions.leaveParticipant) { arguments, _ in
            try await store.leave(sessionCode: arguments.sessionCode, participantID: arguments.participantID)
            return Empty()
        }
        server.register(Functions.createEntity) { arguments, _ in
            try await store.createEntity(sessionCode: arguments.sessionCode, title: arguments.title)
        }
        server.register(Functions.updateEntity) { arguments, _ in
            try await store.updateEntity(
                id: arguments.entityID, changes: arguments.changes, baseVersion: arguments.baseVersion)
        }
        server.register(Functions.listEntities) { arguments, _ in
            try await store.entities(sessionCode: arguments.sessionCode)
        }
        server.register(Functions.participantsPage) { arguments, _ in
            try await store.participantsPage(
                sessionCode: arguments.sessionCode, cursor: arguments.cursor, pageSize: arguments.pageSize)
        }

        let pollParticipants = pollParticipants
        if let liveQueries {
            LiveSessionsLiveStreams(store: store, queries: liveQueries).register(on: server)
        } else {
            server.register(Functions.participantsStream) { arguments, _, yield in
                try await pollParticipants(arguments.sessionCode, yield)
            }
            registerPollingWatch(on: server)
        }
        server.register(Functions.participantsStreamPolling) { arguments, _, yield in
            try await pollParticipants(arguments.sessionCode, yield)
        }

        server.register(Functions.loadProgressive) { arguments, _, yield in
            let code = arguments.sessionCode
            try await yield(.session(try await store.session(code: code)))
            try await yield(.participants(try await store.progressiveParticipants(sessionCode: code)))
            let analytics = try await store.analytics(sessionCode: code)
            try await yield(.analytics(analytics))
            try await yield(.insights(try await store.insights(sessionCode: code, analytics: analytics)))
        }
    }

    /// The seed's polling `entities.watch`.
    private func registerPollingWatch(on server: RemoteServer) {
        let store = store
        let entityPollInterval = entityPollInterval
        server.register(LiveSessionsFunctions.watchEntity) { arguments, context, yield in
            // Resume after the version in Last-Event-ID; a cursor that is not a version starts over.
            var lastVersion = context.lastEventID.flatMap { Int($0) } ?? 0
            while true {
                let entity = try await store.entity(id: arguments.entityID)
                if entity.version > lastVersion {
                    try await yield(EntityWatchEvent(entity: entity), cursor: String(entity.version))
                    lastVersion = entity.version
                }
                try await Task.sleep(for: entityPollInterval)
            }
        }
    }

    /// The seed's pattern 1: read, yield, sleep, until the client leaves (which cancels the
    /// sleep or the yield).
    private var pollParticipants: @Sendable (String, StreamYield<ParticipantsUpdate>) async throws -> Void {
        { [store, participantsPollInterval] code, yield in
            while true {
                try await yield(try await store.participantsUpdate(sessionCode: code))
                try await Task.sleep(for: participantsPollInterval)
            }
        }
    }
}
