public import RemoteFunctionsLive
public import RemoteFunctionsPostgres

/// Connects an instance's in-process ``ChangeFeed`` to PostgreSQL `LISTEN/NOTIFY`, so that live
/// queries on every instance re-evaluate on commits made through any instance.
///
/// Writers publish their topics with `pg_notify` inside their transaction (the PostgreSQL
/// LiveSessions store does). The relay's ``PostgresChangeListener`` receives each notification
/// once the transaction commits, from every instance including this one, in commit order, and
/// injects it into the feed (``ChangeFeed/inject(_:version:)``). Local writes therefore take the
/// same path as remote ones: one ordering, no double delivery, and no need to tell them apart.
///
/// Each time the listener (re)starts listening, which includes every reconnection after a
/// dropped connection or a PostgreSQL restart, the relay calls ``ChangeFeed/invalidateAll()``:
/// every live query re-evaluates, so a notification missed while the connection was down is
/// never a missed update.
public final class PostgresChangeRelay: Sendable {
    /// The feed changes are injected into.
    public let feed: ChangeFeed
    /// The listening connection.
    public let listener: PostgresChangeListener

    /// Creates a relay that listens on `channel` (the one the writers notify on).
    public init(
        feed: ChangeFeed, options: PostgresConnectionOptions, channel: String = PostgresChange.defaultChannel,
        configuration: PostgresChangeListener.Configuration = PostgresChangeListener.Configuration()
    ) throws(PostgresError) {
        self.feed = feed
        var configuration = configuration
        configuration.channels = [channel]
        listener = try PostgresChangeListener(
            options: options, configuration: configuration,
            onChange: { change in feed.inject(change.topics, version: change.version) },
            onResync: { feed.invalidateAll() })
    }

    /// Starts listening (on the listener's own thread).
    public func start() {
        listener.start()
    }

    /// Stops listening and returns once the listener's thread has exited.
    public func stop() async {
        await listener.stop()
    }
}
