import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// A failure of a test's wait.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with ``TimedOut`` after `seconds`. The timeout is only a safety net for a
/// broken implementation; the waits themselves are on signals.
func withTimeout<T: Sendable>(
    _ what: String, seconds: Double = 60, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(what: what) }
        return value
    }
}

/// The "database" of a test: a value that writers change, and counters of how it is read.
final class Source: Sendable {
    private let value = Mutex(0)
    private let reads = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    private let maxInFlight = Atomic<Int>(0)

    var current: Int { value.withLock { $0 } }
    var readCount: Int { reads.load(ordering: .relaxed) }
    var maximumConcurrentReads: Int { maxInFlight.load(ordering: .relaxed) }

    func set(_ newValue: Int) { value.withLock { $0 = newValue } }

    /// Reads the value, counting the read and how many reads overlap. `during` runs inside the
    /// read (to hold it open in coalescing tests).
    func read(during: @Sendable () async -> Void = {}) async -> Int {
        reads.add(1, ordering: .relaxed)
        let now = inFlight.add(1, ordering: .relaxed).newValue
        var seen = maxInFlight.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = maxInFlight.compareExchange(
                expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
        await during()
        let result = current
        inFlight.subtract(1, ordering: .relaxed)
        return result
    }
}

/// Records what each subscriber received and lets a test wait for a condition on it.
actor Arrivals {
    enum Condition {
        /// `count` subscribers have `value` as their last value.
        case subscribers(Int, at: Int)
        /// `count` subscribers have ended.
        case ended(Int)
    }

    private var last: [Int: Int] = [:]
    private var subscribersAt: [Int: Int] = [:]
    private var ended: [Int: RemoteError?] = [:]
    private var values: [Int: [Int]] = [:]
    private var waiters: [UInt64: (condition: Condition, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiter: UInt64 = 0

    func record(subscriber: Int, value: Int) {
        if let previous = last[subscriber] { subscribersAt[previous, default: 0] -= 1 }
        last[subscriber] = value
        subscribersAt[value, default: 0] += 1
        values[subscriber, default: []].append(value)
        check()
    }

    func recordEnd(subscriber: Int, error: (any Error)?) {
        ended[subscriber] = error.map { ($0 as? RemoteError) ?? RemoteError(.unknown, "\($0)") }
        check()
    }

    func lastValue(of subscriber: Int) -> Int? { last[subscriber] }
    func values(of subscriber: Int) -> [Int] { values[subscriber] ?? [] }
    func lastValues() -> [Int: Int] { last }
    func endedCount() -> Int { ended.count }
    func endError(of subscriber: Int) -> RemoteError? { ended[subscriber] ?? nil }

    /// Waits until `condition` holds, or the task is cancelled (by ``withTimeout(_:seconds:_:)``).
    func wait(until condition: Condition) async {
        if isMet(condition) { return }
        nextWaiter += 1
        let id = nextWaiter
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = (condition, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }

    private func isMet(_ condition: Condition) -> Bool {
        switch condition {
        case .subscribers(let count, let value): subscribersAt[value, default: 0] >= count
        case .ended(let count): ended.count >= count
        }
    }

    private func check() {
        for (id, waiter) in waiters where isMet(waiter.condition) {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }
}

/// A one-shot signal a test can wait on.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { state.withLock { $0.open } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if isOpen { continuation.resume() }
        }
    }
}

/// Reads a subscription in its own task, recording every value and the end.
@discardableResult
func consume<S: AsyncSequence & Sendable>(
    _ subscription: S, as subscriber: Int, into arrivals: Arrivals
) -> Task<Void, Never> where S.Element == StreamItem<Int> {
    Task {
        do {
            for try await item in subscription {
                await arrivals.record(subscriber: subscriber, value: item.element)
            }
            await arrivals.recordEnd(subscriber: subscriber, error: nil)
        } catch {
            await arrivals.recordEnd(subscriber: subscriber, error: error)
        }
    }
}
