import RemoteFunctions

/// The pure state machine behind ``SubscriberBuffer``: a small queue, at most one waiting
/// consumer, and the phase of the stream. Every event returns what the buffer must do once it has
/// released its lock (resume the consumer, run the termination callback), so that no continuation
/// is ever resumed under the lock.
struct SubscriberBufferState<Element: Sendable>: ~Copyable {
    /// Where the stream is in its life.
    enum Phase {
        /// Values are accepted.
        case open
        /// The producer finished: buffered values are still delivered, then the stream ends
        /// (with `error` when there is one).
        case finishing(error: (any Error)?)
        /// The consumer has seen the end, or it is gone: nothing is delivered any more.
        case ended
    }

    /// What a consumer's request for the next element leads to.
    enum TakeAction {
        case element(Element)
        case end
        case fail(any Error)
        /// Nothing yet: the continuation was stored.
        case suspended
        /// Nothing yet, and no continuation was offered (a poll).
        case empty
    }

    /// What a push asks the buffer to do after unlocking.
    struct PushAction {
        var result: SubscriberBuffer<Element>.PushResult
        /// A waiting consumer to hand `element` to.
        var resume: CheckedContinuation<Element?, any Error>?
        /// Whether the termination callback must run now.
        var terminated: Bool
        /// The readable handler to call: the buffer went from nothing to read to a value with no
        /// reader waiting. (An overflow needs a full buffer, which was readable already.)
        var readable: (@Sendable () -> Void)?
    }

    /// What ending the stream asks the buffer to do after unlocking.
    struct EndAction {
        var waiter: CheckedContinuation<Element?, any Error>?
        var error: (any Error)?
        var terminated: Bool
        /// The readable handler to call: the end became readable with no reader waiting.
        var readable: (@Sendable () -> Void)?
    }

    /// `.latest`: the single unread value, kept inline (no array to allocate or to reach through
    /// another pointer on every push and take).
    private var slot: Element?
    /// `.bounded`: buffered values, oldest first, from `head` on. Slots before `head` are spent and
    /// reclaimed in bulk.
    private var storage: [Element] = []
    private var head = 0
    private(set) var phase = Phase.open
    private var waiter: CheckedContinuation<Element?, any Error>?
    /// Called when the buffer becomes readable with no reader waiting (see
    /// ``SubscriberBuffer/setReadableHandler(_:)``); dropped when the consumer cancels.
    var readableHandler: (@Sendable () -> Void)?
    /// The most values kept (1 for `.latest`).
    let capacity: Int
    /// Whether a new value replaces the newest unread one when the buffer is full (`.latest`)
    /// instead of ending the stream (`.bounded`).
    let replacesWhenFull: Bool

    init(policy: StreamOverflowPolicy) {
        switch policy {
        case .latest:
            capacity = 1
            replacesWhenFull = true
        case .bounded(let limit):
            capacity = max(1, limit)
            replacesWhenFull = false
        }
    }

    /// The number of unread values.
    var count: Int {
        if replacesWhenFull { return slot == nil ? 0 : 1 }
        return storage.count - head
    }

    var isOpen: Bool {
        if case .open = phase { return true }
        return false
    }

    /// Whether a take would return something now: a value, the end or an error.
    var isReadable: Bool {
        if count > 0 { return true }
        if case .open = phase { return false }
        return true
    }

    mutating func push(_ element: Element, overflowError: @autoclosure () -> any Error) -> PushAction {
        guard isOpen else { return PushAction(result: .dropped, terminated: false) }
        if let waiter = waiter.take() {
            return PushAction(result: .delivered, resume: waiter, terminated: false)
        }
        if replacesWhenFull {
            // `.latest`: capacity is 1, so a value already there is the one replaced.
            let replaced = slot != nil
            slot = element
            if replaced { return PushAction(result: .replaced, terminated: false) }
            return PushAction(result: .buffered, terminated: false, readable: readableHandler)
        }
        if count < capacity {
            storage.append(element)
            return PushAction(result: .buffered, terminated: false, readable: count == 1 ? readableHandler : nil)
        }
        // `.bounded`: the stream ends now and its memory is released at once; the client resumes
        // from the last cursor it received.
        removeAll()
        phase = .finishing(error: overflowError())
        return PushAction(result: .overflowed, terminated: true)
    }

    mutating func take(isCancelled: Bool, waiter newWaiter: CheckedContinuation<Element?, any Error>?) -> TakeAction {
        if let element = slot.take() {
            return .element(element)
        }
        if count > 0 {
            let element = storage[head]
            head += 1
            if head == storage.count {
                storage.removeAll(keepingCapacity: storage.count <= 8)
                head = 0
            } else if head >= 32, head * 2 >= storage.count {
                storage.removeFirst(head)
                head = 0
            }
            return .element(element)
        }
        switch phase {
        case .ended:
            return .end
        case .finishing(let error):
            phase = .ended
            if let error { return .fail(error) }
            return .end
        case .open:
            guard let newWaiter else { return .empty }
            if isCancelled || waiter != nil {
                // A cancelled consumer, or a second concurrent consumer (a misuse), ends here.
                return .end
            }
            waiter = newWaiter
            return .suspended
        }
    }

    /// The producer is done. Buffered values are still delivered.
    mutating func finish(error: (any Error)?) -> EndAction {
        guard isOpen else { return EndAction(terminated: false) }
        if let waiter = waiter.take() {
            phase = .ended
            return EndAction(waiter: waiter, error: error, terminated: true)
        }
        let wasEmpty = count == 0
        phase = .finishing(error: error)
        return EndAction(terminated: true, readable: wasEmpty ? readableHandler : nil)
    }

    /// The consumer is gone: drop everything.
    mutating func cancel() -> EndAction {
        let wasOpen = isOpen
        readableHandler = nil
        removeAll()
        phase = .ended
        return EndAction(waiter: waiter.take(), terminated: wasOpen)
    }

    private mutating func removeAll() {
        slot = nil
        storage = []
        head = 0
    }
}
