/// A min-heap of one-shot timers ordered by deadline, owned by one event loop.
struct TimerHeap {
    struct Entry {
        var deadline: ContinuousClock.Instant
        var sequence: UInt64
        var action: @Sendable () -> Void
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }
    /// The earliest deadline, if any.
    var nextDeadline: ContinuousClock.Instant? { entries.first?.deadline }

    mutating func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        nextSequence &+= 1
        entries.append(Entry(deadline: deadline, sequence: nextSequence, action: action))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if Self.precedes(entries[child], entries[parent]) {
                entries.swapAt(child, parent)
                child = parent
            } else {
                break
            }
        }
    }

    /// Removes and returns every timer whose deadline is at or before `now`, earliest first.
    mutating func popExpired(now: ContinuousClock.Instant) -> [@Sendable () -> Void] {
        var expired: [@Sendable () -> Void] = []
        while let first = entries.first, first.deadline <= now {
            expired.append(first.action)
            removeFirst()
        }
        return expired
    }

    private mutating func removeFirst() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && Self.precedes(entries[left], entries[smallest]) { smallest = left }
            if right < entries.count && Self.precedes(entries[right], entries[smallest]) { smallest = right }
            if smallest == parent { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private static func precedes(_ lhs: Entry, _ rhs: Entry) -> Bool {
        lhs.deadline < rhs.deadline || (lhs.deadline == rhs.deadline && lhs.sequence < rhs.sequence)
    }
}
