public import LiveSessionsAPI
import RemoteFunctions
public import RemoteFunctionsLive
public import RemoteFunctionsServer

/// The demo's change-driven streams (issue 5): `participants.stream` and `entities.watch` as
/// shared live queries on a ``ChangeFeed`` that the store's `onCommit` publishes to.
///
/// All viewers of one session share one read per change (`session:CODE`), all watchers of one
/// entity one read per change (`entity:ID`). A slow viewer keeps only the newest value
/// (`.latest`), so it never slows the others. The seed's polling version stays registered as
/// `participants.streamPolling` for comparison.
public struct LiveSessionsLiveStreams: Sendable {
    /// The data the queries read.
    public let store: any LiveSessionsStorage
    /// The shared live queries (their metrics belong on `/metrics`).
    public let queries: LiveQueries

    /// Creates the streams over `store`, whose `onCommit` must publish to `queries.feed`.
    public init(store: any LiveSessionsStorage, queries: LiveQueries) {
        self.store = store
        self.queries = queries
    }

    /// Registers `participants.stream` and `entities.watch` on `server`.
    public func register(on server: RemoteServer) {
        server.register(LiveSessionsFunctions.participantsStream) { arguments, _ in
            participants(sessionCode: arguments.sessionCode)
        }
        server.register(LiveSessionsFunctions.watchEntity) { arguments, context in
            watch(entityID: arguments.entityID, after: context.lastEventID)
        }
    }

    /// The session's participants now and after every change to the session.
    public func participants(sessionCode: String) -> ParticipantsLiveStream {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let store = store
        let subscription = queries.subscribe(
            LiveQueryKey(function: LiveSessionsFunctions.participantsStream.id, arguments: code),
            topics: [LiveSessionsStore.sessionTopic(code)], overflow: LiveSessionsFunctions.participantsStream.overflow,
            evaluate: { ParticipantsState(try await store.participantsUpdate(sessionCode: code)) })
        return ParticipantsLiveStream(subscription: subscription)
    }

    /// The entity now and at every new version; after `lastEventID` (a version) only newer ones.
    public func watch(entityID: Int, after lastEventID: String?) -> LiveSubscription<EntityWatchEvent> {
        let store = store
        var filter: (@Sendable (EntityWatchEvent) -> Bool)?
        if let seen = lastEventID.flatMap({ Int($0) }) {
            filter = { $0.version > seen }
        }
        let cursor: @Sendable (EntityWatchEvent) -> String? = { String($0.version) }
        let evaluate: @Sendable () async throws -> EntityWatchEvent = {
            EntityWatchEvent(entity: try await store.entity(id: entityID))
        }
        return queries.subscribe(
            LiveQueryKey(function: LiveSessionsFunctions.watchEntity.id, arguments: String(entityID)),
            topics: [LiveSessionsStore.entityTopic(entityID)], overflow: LiveSessionsFunctions.watchEntity.overflow,
            cursor: cursor, filter: filter, evaluate: evaluate)
    }
}
