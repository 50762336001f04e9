public import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// The registry of shared live queries: every subscriber of the same ``LiveQueryKey`` shares
/// one evaluation, re-run when one of its topics changes on the ``ChangeFeed``.
///
/// Guarantees:
/// - One change leads to one `evaluate()` call, whatever the number of subscribers. Changes
///   arriving during an evaluation lead to exactly one follow-up evaluation, so the final state
///   is never missed, and two evaluations of one query never run at once.
/// - A value is delivered only when it differs from the previous one (`Equatable`).
/// - A new subscriber gets the current value at once (the cached one, or the first evaluation's).
/// - Each subscriber has its own buffer with the stream's overflow policy; the fan-out never
///   waits for a subscriber, so a slow one never slows the others.
/// - When the last subscriber leaves, the query stops evaluating and leaves the registry; a later
///   subscriber starts it afresh.
/// - When `evaluate` throws, every subscriber's stream ends with that error (a ``RemoteError``
///   as is; any other error as `internal`, its detail withheld) and the query leaves the
///   registry. It is not retried: a client that reconnects (retryable codes such as
///   `unavailable`) starts a fresh evaluation, which keeps failures visible and bounded.
public final class LiveQueries: Sendable {
    /// The feed whose changes drive the queries.
    public let feed: ChangeFeed
    /// The counters of these queries.
    public let metrics: LiveMetrics

    private struct RegistryKey: Hashable {
        var key: LiveQueryKey
        var valueType: ObjectIdentifier
    }

    private let queries = Mutex<[RegistryKey: any LiveQueryEntry]>([:])

    /// Creates an empty registry driven by `feed`.
    public init(feed: ChangeFeed, metrics: LiveMetrics = LiveMetrics()) {
        self.feed = feed
        self.metrics = metrics
    }

    /// Subscribes to the live query `key`, starting it if it is not running.
    ///
    /// The first subscriber's `topics`, `cursor` and `evaluate` define the query; later
    /// subscribers of the same key (and value type) share it, so the key must determine them.
    ///
    /// - Parameters:
    ///   - key: The function and its canonical arguments.
    ///   - topics: The feed topics whose changes make the value stale.
    ///   - overflow: This subscriber's policy when it reads more slowly than values change.
    ///   - cursor: The cursor of a value (sent as the SSE id), such as its version.
    ///   - filter: This subscriber only receives values for which it returns `true`; for resume,
    ///     such as `{ $0.version > lastEventID }`.
    ///   - evaluate: Reads the value. Called once per change for all subscribers together.
    /// - Returns: The subscriber's values, current value first.
    public func subscribe<Value: Equatable & Sendable>(
        _ key: LiveQueryKey,
        topics: [String],
        overflow: StreamOverflowPolicy,
        cursor: (@Sendable (Value) -> String?)? = nil,
        filter: (@Sendable (Value) -> Bool)? = nil,
        evaluate: @escaping @Sendable () async throws -> Value
    ) -> LiveSubscription<Value> {
        let registryKey = RegistryKey(key: key, valueType: ObjectIdentifier(Value.self))
        let buffer = queries.withLock { queries -> SubscriberBuffer<LiveItem> in
            if let existing = queries[registryKey] as? LiveQuery<Value>,
                let buffer = existing.addSubscriber(overflow: overflow, filter: filter)
            {
                return buffer
            }
            let query = LiveQuery(
                key: key, feed: feed, metrics: metrics, cursor: cursor, evaluate: evaluate,
                becameEmpty: { [weak self] query in self?.release(query, key: registryKey) },
                failed: { [weak self] query in self?.forget(query, key: registryKey) })
            queries[registryKey] = query
            feed.addListener(query, id: query.listenerID, topics: topics)
            metrics.queryStarted()
            let buffer = query.addSubscriber(overflow: overflow, filter: filter)
            query.start()
            if let buffer { return buffer }
            // Unreachable: a query that has not started cannot have stopped.
            let ended = SubscriberBuffer<LiveItem>(policy: overflow)
            ended.finish(throwing: RemoteError(.internal, "internal error"))
            return ended
        }
        return LiveSubscription(lifetime: ConsumerLifetime(buffer: buffer), metrics: metrics)
    }

    /// The number of live queries running.
    public var count: Int { queries.withLock { $0.count } }

    /// Whether a live query with this key is running.
    public func isRunning(_ key: LiveQueryKey) -> Bool {
        queries.withLock { $0.keys.contains { $0.key == key } }
    }

    /// The last subscriber of `query` left: stop it unless someone subscribed meanwhile.
    private func release(_ query: any LiveQueryEntry, key: RegistryKey) {
        queries.withLock { queries in
            guard let current = queries[key], current === query, query.stopIfEmpty() else { return }
            queries[key] = nil
        }
    }

    /// `query` failed and stopped itself.
    private func forget(_ query: any LiveQueryEntry, key: RegistryKey) {
        queries.withLock { queries in
            if let current = queries[key], current === query {
                queries[key] = nil
            }
        }
    }
}
