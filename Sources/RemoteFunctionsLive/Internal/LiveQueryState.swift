import RemoteFunctionsServer

/// The state of one shared live query: its subscribers, its last value, and whether an
/// evaluation is running. Pure transitions; the ``LiveQuery`` acts on their results after
/// unlocking.
struct LiveQueryState<Value: Equatable & Sendable>: ~Copyable {
    enum Phase {
        /// No evaluation running; the value is up to date with the last change seen.
        case idle
        /// An evaluation (and its fan-out) is running; `rerun` records that a change arrived
        /// meanwhile, so exactly one more evaluation follows.
        case evaluating(rerun: Bool)
        /// The query has no subscribers or failed; it is out of the registry.
        case stopped
    }

    private(set) var subscribers = SubscriberSet()
    private var nextSubscriberID: UInt64 = 1
    /// Created evaluating: the first evaluation starts with the query.
    private(set) var phase = Phase.evaluating(rerun: false)
    /// The last value, compared with each new one.
    private var latestValue: Value?
    /// The last value as delivered, given at once to new subscribers.
    private(set) var latest: LiveItem?
    /// The running evaluation, cancelled when the query stops.
    var task: Task<Void, Never>?

    var isStopped: Bool {
        if case .stopped = phase { return true }
        return false
    }

    mutating func makeSubscriberID() -> UInt64 {
        defer { nextSubscriberID += 1 }
        return nextSubscriberID
    }

    /// Adds a subscriber; `false` when the query has stopped.
    mutating func add(_ subscriber: LiveSubscriber, id: UInt64) -> Bool {
        guard !isStopped else { return false }
        subscribers.insert(subscriber, id: id)
        return true
    }

    /// Removes a subscriber. Returns whether it was there, and whether the query is now empty
    /// (and still running, so somebody must stop it).
    mutating func remove(id: UInt64) -> (removed: Bool, nowEmpty: Bool) {
        guard subscribers.remove(id: id) else { return (false, false) }
        return (true, subscribers.isEmpty && !isStopped)
    }

    /// Whether `value` differs from the last value delivered (so it is worth encoding).
    func isNew(_ value: Value) -> Bool {
        latestValue != value
    }

    /// A change reached the query. Returns whether an evaluation must start now.
    mutating func invalidate() -> Bool {
        switch phase {
        case .idle:
            phase = .evaluating(rerun: false)
            return true
        case .evaluating:
            phase = .evaluating(rerun: true)
            return false
        case .stopped:
            return false
        }
    }

    /// An evaluation produced `value`. Returns the item and the subscribers to push it to when it
    /// differs from the last one, `nil` when nothing changed or the query stopped.
    mutating func evaluated(
        _ value: Value, cursor: String?, encoded: EncodedJSON<Value>?
    ) -> (item: LiveItem, targets: [LiveSubscriber])? {
        guard !isStopped, latestValue != value else { return nil }
        let item = LiveItem(value, cursor: cursor, encoded: encoded)
        latestValue = value
        latest = item
        return (item, subscribers.snapshot())
    }

    /// The evaluation and its fan-out are done. Returns whether to evaluate again (a change
    /// arrived meanwhile); otherwise the query goes idle.
    mutating func evaluationEnded() -> Bool {
        switch phase {
        case .evaluating(rerun: true):
            phase = .evaluating(rerun: false)
            return true
        case .evaluating(rerun: false), .idle:
            phase = .idle
            task = nil
            return false
        case .stopped:
            return false
        }
    }

    /// The evaluation failed: the query stops. Returns the subscribers to end, or `nil` when it
    /// had already stopped.
    mutating func fail() -> [LiveSubscriber]? {
        guard !isStopped else { return nil }
        phase = .stopped
        task = nil
        return subscribers.removeAll()
    }

    /// Stops the query if it has no subscribers. Returns the running evaluation to cancel
    /// (`.some(nil)` when none runs), or `nil` when the query keeps running or already stopped.
    mutating func stopIfEmpty() -> Task<Void, Never>?? {
        guard subscribers.isEmpty, !isStopped else { return nil }
        phase = .stopped
        defer { task = nil }
        return .some(task)
    }
}
