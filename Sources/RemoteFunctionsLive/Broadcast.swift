public import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// Delivers every published value to every current subscriber: an event log or a notification
/// channel, where each value matters (unlike a ``LiveQueries`` state, where only the newest does).
///
/// Each value is encoded to JSON once for all subscribers. Every subscriber has its own
/// ``SubscriberBuffer`` with the broadcast's overflow policy, and ``publish(_:cursor:)`` never
/// waits for anyone: with `.bounded(n)` a subscriber `n` values behind ends with the resumable
/// ``RemoteError/fellBehind``, with `.latest` it skips to the newest value. A subscription is a
/// ``LiveSubscription``, so the server serves it without a task per subscriber.
///
/// ```swift
/// let events = Broadcast<ChatMessage>(overflow: .bounded(256))
/// server.register(Chat.messages) { _, _ in events.subscribe() }
/// server.register(Chat.send) { message, _ in events.publish(message) }
/// ```
public final class Broadcast<Value: Encodable & Sendable>: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var subscribers = SubscriberSet()
    }

    /// The policy of every subscriber's buffer.
    public let overflow: StreamOverflowPolicy
    /// Counts subscribers, deliveries, skipped values and streams ended by the bound.
    public let metrics: LiveMetrics
    private let state = Mutex(State())

    /// Creates a broadcast with no subscribers.
    public init(overflow: StreamOverflowPolicy, metrics: LiveMetrics = LiveMetrics()) {
        self.overflow = overflow
        self.metrics = metrics
    }

    /// A new subscriber, which receives every value published from now on. It leaves when its
    /// reader goes away (or ``LiveSubscription/cancel()`` is called).
    public func subscribe() -> LiveSubscription<Value> {
        let buffer = state.withLock { state -> SubscriberBuffer<LiveItem> in
            state.nextID += 1
            let id = state.nextID
            let buffer = SubscriberBuffer<LiveItem>(policy: overflow) { [weak self] in
                self?.remove(id)
            }
            state.subscribers.insert(LiveSubscriber(buffer: buffer), id: id)
            return buffer
        }
        metrics.subscribersAdded(1)
        return LiveSubscription(lifetime: ConsumerLifetime(buffer: buffer), metrics: metrics)
    }

    /// Delivers `value` (with an optional cursor, the SSE `id:`) to every current subscriber and
    /// returns how many there were. Throws `internal` when the value cannot be encoded.
    ///
    /// It returns once the value is in every subscriber's buffer; streams served without a task
    /// have written it to their sockets by then (non-blocking writes, spread over the cores), so
    /// publishing to many subscribers takes CPU time in proportion, but never waits for a reader.
    @discardableResult
    public func publish(_ value: Value, cursor: String? = nil) throws(RemoteError) -> Int {
        let encoded: EncodedJSON<Value>
        do {
            encoded = try EncodedJSON(value)
        } catch {
            throw RemoteError(.internal, "internal error")
        }
        let item = LiveItem(value, cursor: cursor, encoded: encoded)
        let subscribers = state.withLock { $0.subscribers.snapshot() }
        let started = ContinuousClock.now
        LiveSubscriber.deliver(item, to: subscribers, metrics: metrics)
        metrics.fannedOut(in: .now - started)
        return subscribers.count
    }

    /// The number of subscribers now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    private func remove(_ id: UInt64) {
        let removed = state.withLock { $0.subscribers.remove(id: id) }
        if removed { metrics.subscribersRemoved(1) }
    }
}
