import Synchronization

/// An in-process feed of changes to topics such as `session:ABC` or `entity:42`.
///
/// Writers call ``publish(_:version:)`` after their transaction commits. An external source, such
/// as a PostgreSQL `LISTEN` connection that reports other instances' commits, calls
/// ``inject(_:version:)``, and ``invalidateAll()`` after it may have missed some (a reconnect).
///
/// Guarantees: every listener of a topic receives each change of that topic exactly once, and in
/// publish order (changes are numbered under one lock and delivered by one drainer at a time,
/// outside the lock, so a listener never runs under the feed's lock). Publishing to a topic
/// nobody listens to costs one dictionary lookup under the lock and nothing else. `publish` never
/// suspends and never waits for a listener: listeners only record the change.
public final class ChangeFeed: Sendable {
    private let state = Mutex(ChangeFeedState())
    private let onPublish: (@Sendable (_ topics: [String], _ version: Int64?) -> Void)?

    /// Creates a feed.
    ///
    /// - Parameter onPublish: Called after each local ``publish(_:version:)`` (not for
    ///   ``inject(_:version:)``), for example to forward local commits to other instances.
    public init(onPublish: (@Sendable (_ topics: [String], _ version: Int64?) -> Void)? = nil) {
        self.onPublish = onPublish
    }

    /// Announces that `topics` changed in a transaction that has committed. Call it after the
    /// commit, never before: a listener re-reads as soon as it is told.
    ///
    /// - Parameters:
    ///   - topics: The topics the transaction touched.
    ///   - version: The version the change produced, when the data has one (it travels with the
    ///     change to listeners).
    public func publish(_ topics: [String], version: Int64? = nil) {
        deliver(topics, version: version)
        onPublish?(topics, version)
    }

    /// Delivers a change reported by an external source (another instance, through PostgreSQL
    /// `LISTEN/NOTIFY`) exactly as a local publish, without calling `onPublish`.
    public func inject(_ topics: [String], version: Int64? = nil) {
        deliver(topics, version: version)
    }

    /// Tells every listener that something may have changed without being reported (for example
    /// after a change listener reconnected): every live query re-evaluates.
    public func invalidateAll() {
        let mustDrain = state.withLock { $0.enqueueInvalidation() }
        if mustDrain { drain() }
    }

    /// The number of listeners registered (live queries and change streams).
    public var listenerCount: Int { state.withLock { $0.listenerCount } }

    /// The number of changes published or injected so far, including those nobody listened to.
    public var changeCount: UInt64 { state.withLock { $0.lastSequence } }

    // MARK: - Listeners (internal)

    func makeListenerID() -> UInt64 {
        state.withLock { $0.makeListenerID() }
    }

    func addListener(_ listener: any ChangeListener, id: UInt64, topics: [String]) {
        state.withLock { $0.add(listener, id: id, topics: topics) }
    }

    func removeListener(id: UInt64) {
        state.withLock { $0.remove(id: id) }
    }

    // MARK: - Delivery

    private func deliver(_ topics: [String], version: Int64?) {
        let mustDrain = state.withLock { $0.enqueue(topics, version: version) }
        if mustDrain { drain() }
    }

    /// Delivers pending changes in order, outside the lock, until none are left. Only one thread
    /// drains at a time; a publisher that finds a drainer at work leaves its changes to it.
    private func drain() {
        while let batch = state.withLock({ $0.takePending() }) {
            for delivery in batch {
                for listener in delivery.listeners {
                    listener.receive(delivery.event)
                }
            }
        }
    }
}
