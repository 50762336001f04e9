public import LiveSessionsPostgres
import LiveSessionsServer
public import RemoteFunctionsLive
import RemoteFunctionsPostgres
public import RemoteFunctionsPostgresLive
public import RemoteFunctionsServer

/// One in-process server instance of the LiveSessions demo on PostgreSQL, for the multi-instance
/// tests and the benchmark: its own connection pool, change feed, LISTEN relay and live-query
/// registry, serving every demo function (`LiveSessionsApp` with its change-driven live
/// queries), exactly as `live-sessions-postgres` does minus the web app.
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
        // The demo's own functions, with the change-driven participants.stream and entities.watch.
        let server = RemoteServer(configuration: .init(logger: .standardError(minimumLevel: .warning)))
        LiveSessionsApp(store: store, liveQueries: queries).register(on: server)
        relay.start()
        return PostgresDemoInstance(server: server, store: store, relay: relay, queries: queries)
    }

    /// Stops the relay and closes the pool.
    public func stop() async {
        await relay.stop()
        await store.close()
    }
}
