import Foundation
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
    ///
    /// A reader that serves its subscription without a task (a pushed stream) writes the value in
    /// the push itself, so a large fan-out is spread over the processor's cores: worker threads,
    /// each bound to a core of its own for the fan-out, take chunks of subscribers in turn until
    /// none is left, which keeps them equally busy whatever each subscriber costs. It returns once
    /// every subscriber has been pushed to, so a subscriber receives values in the order they were
    /// delivered.
    static func deliver(_ item: LiveItem, to subscribers: [LiveSubscriber], metrics: LiveMetrics) {
        let chunks = (subscribers.count + chunkSize - 1) / chunkSize
        let workers = min(chunks, workerCount)
        if workers <= 1 {
            push(item, to: subscribers[...], metrics: metrics)
            return
        }
        let claimed = AtomicCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Each worker on a core of its own (see ThreadAffinity), for this fan-out only.
            let affinity = ThreadAffinity.bind(toProcessor: worker)
            defer { affinity?.restore() }
            while true {
                let chunk = claimed.next()
                if chunk >= chunks { return }
                let start = chunk * chunkSize
                push(item, to: subscribers[start..<min(start + chunkSize, subscribers.count)], metrics: metrics)
            }
        }
    }

    /// Subscribers pushed to by one worker at a time.
    private static let chunkSize = 64
    private static let workerCount = ProcessInfo.processInfo.activeProcessorCount

    private static func push(_ item: LiveItem, to subscribers: ArraySlice<LiveSubscriber>, metrics: LiveMetrics) {
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
