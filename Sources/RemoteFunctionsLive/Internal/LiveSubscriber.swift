import RemoteFunctions

/// One subscriber of a fan-out (a live query or a broadcast): its buffer and its optional filter.
struct LiveSubscriber: Sendable {
    var buffer: SubscriberBuffer<LiveItem>
    /// Whether this subscriber receives an item (resume: only items after its cursor).
    var filter: (@Sendable (LiveItem) -> Bool)?

    /// Makes a type-erased filter from one on values.
    static func filter<Value: Sendable>(_ filter: (@Sendable (Value) -> Bool)?) -> (@Sendable (LiveItem) -> Bool)? {
        guard let filter else { return nil }
        return { item in (item.value as? Value).map(filter) ?? false }
    }

    /// Pushes `item` into every subscriber's buffer (those whose filter accepts it), without
    /// waiting for any, and counts what the overflow policies did.
    static func deliver(_ item: LiveItem, to subscribers: [LiveSubscriber], metrics: LiveMetrics) {
        var skipped = 0
        var overflowed = 0
        for subscriber in subscribers {
            if let filter = subscriber.filter, !filter(item) { continue }
            switch subscriber.buffer.push(item) {
            case .replaced: skipped += 1
            case .overflowed: overflowed += 1
            case .delivered, .buffered, .dropped: break
            }
        }
        metrics.skipped(skipped)
        metrics.endedByBound(overflowed)
    }
}
