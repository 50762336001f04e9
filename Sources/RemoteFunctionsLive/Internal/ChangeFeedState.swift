/// The state of a ``ChangeFeed``: listeners by topic, and changes waiting to be delivered by the
/// one thread that drains at a time.
struct ChangeFeedState: ~Copyable {
    /// One event with the listeners it goes to, captured when it was published.
    struct Delivery {
        var event: ChangeFeed.Event
        var listeners: [any ChangeListener]
    }

    private var listenersByTopic: [String: [UInt64: any ChangeListener]] = [:]
    private var topicsByListener: [UInt64: (listener: any ChangeListener, topics: [String])] = [:]
    private var pending: [Delivery] = []
    private var draining = false
    private var nextListenerID: UInt64 = 1
    private(set) var lastSequence: UInt64 = 0

    var listenerCount: Int { topicsByListener.count }

    mutating func makeListenerID() -> UInt64 {
        defer { nextListenerID += 1 }
        return nextListenerID
    }

    mutating func add(_ listener: any ChangeListener, id: UInt64, topics: [String]) {
        let unique = Array(Set(topics))
        topicsByListener[id] = (listener, unique)
        for topic in unique {
            listenersByTopic[topic, default: [:]][id] = listener
        }
    }

    mutating func remove(id: UInt64) {
        guard let entry = topicsByListener.removeValue(forKey: id) else { return }
        for topic in entry.topics {
            listenersByTopic[topic]?[id] = nil
            if listenersByTopic[topic]?.isEmpty == true {
                listenersByTopic[topic] = nil
            }
        }
    }

    /// Numbers the changes and queues them for their listeners. Returns whether the caller must
    /// drain (nobody else is draining and something is pending).
    mutating func enqueue(_ topics: [String], version: Int64?) -> Bool {
        for topic in topics {
            lastSequence += 1
            guard let listeners = listenersByTopic[topic] else { continue }
            let change = ChangeFeed.Change(topic: topic, version: version, sequence: lastSequence)
            pending.append(Delivery(event: .changed(change), listeners: Array(listeners.values)))
        }
        return claimDrain()
    }

    mutating func enqueueInvalidation() -> Bool {
        if !topicsByListener.isEmpty {
            pending.append(Delivery(event: .invalidatedAll, listeners: topicsByListener.values.map(\.listener)))
        }
        return claimDrain()
    }

    /// The next batch for the drainer, or `nil` (and the drainer role released) when none is left.
    mutating func takePending() -> [Delivery]? {
        if pending.isEmpty {
            draining = false
            return nil
        }
        defer { pending = [] }
        return pending
    }

    private mutating func claimDrain() -> Bool {
        guard !pending.isEmpty, !draining else { return false }
        draining = true
        return true
    }
}
