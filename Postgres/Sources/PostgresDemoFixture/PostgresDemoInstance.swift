import LiveSessionsAPI
public import LiveSessionsPostgres
import LiveSessionsServer
import RemoteFunctions
public import RemoteFunctionsLive
import RemoteFunctionsPostgres
public import RemoteFunctionsPostgresLive
public import RemoteFunctionsServer

/// One server instance of the LiveSessions demo on PostgreSQL, for the multi-instance tests and
/// benchmark: its own connection pool, change feed, LISTEN relay and live-query registry, with the
/// functions those tests exercise (`sessions.create`, `participants.join`, `participants.stream`,
/// `entities.create`, `entities.update`, `entities.list`, `entities.watch`).
///
/// This is a test fixture, not the demo server: once the demo's own function registration takes
/// any `LiveSessionsStorage`, `live-sessions --database postgres://…` serves the full demo and
/// the tests move to it (see docs/DEPLOY.md).
public struct PostgresDemoInstance: Sendable {
    /// The remote-function server, ready to run on a transport.
    public let server: RemoteServer
    /// The instance's store (its own pool).
    public let store: PostgresLiveSessionsStore
    /// The instance's LISTEN relay into ``queries``' feed.
    public let relay: PostgresChangeRelay
    /// The instance's live queries.
    public let queries: LiveQueries

    /// Opens the store (migrating the database), starts the relay and registers the functions.
    public static func start(url: String, channel: String, maximumConnections: Int = 4) async throws
        -> PostgresDemoInstance
    {
        let feed = ChangeFeed()
        let store = try await PostgresLiveSessionsStore.open(
            url: url, maximumConnections: maximumConnections, channel: channel)
        let relay = try PostgresChangeRelay(feed: feed, options: PostgresConnectionOptions(url: url), channel: channel)
        let queries = LiveQueries(feed: feed)
        let server = RemoteServer()
        typealias Functions = LiveSessionsFunctions
        server.register(Functions.createSession) { arguments, _ in try await store.createSession(name: arguments.name) }
        server.register(Functions.joinParticipant) { arguments, _ in
            try await store.join(sessionCode: arguments.sessionCode, name: arguments.name)
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
        server.register(Functions.participantsStream) { arguments, _ in
            let code = LiveSessionsRules.sessionCode(arguments.sessionCode)
            return queries.subscribe(
                LiveQueryKey(function: Functions.participantsStream.id, arguments: code),
                topics: [LiveSessionsStore.sessionTopic(code)], overflow: Functions.participantsStream.overflow
            ) { try await store.participantsUpdate(sessionCode: code) }
        }
        server.register(Functions.watchEntity) { arguments, context in
            let entityID = arguments.entityID
            let seen = context.lastEventID.flatMap { Int($0) }
            return queries.subscribe(
                LiveQueryKey(function: Functions.watchEntity.id, arguments: String(entityID)),
                topics: [LiveSessionsStore.entityTopic(entityID)], overflow: Functions.watchEntity.overflow,
                cursor: { String($0.version) },
                filter: seen.map { seen in { $0.version > seen } },
                evaluate: { EntityWatchEvent(entity: try await store.entity(id: entityID)) })
        }
        relay.start()
        return PostgresDemoInstance(server: server, store: store, relay: relay, queries: queries)
    }

    /// Stops the relay and closes the pool.
    public func stop() async {
        await relay.stop()
        await store.close()
    }
}
