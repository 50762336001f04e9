// In-process benchmark of shared live queries: N subscribers on one query, M changes.
// Measures evaluations per change, change→receive latency (p50/p99), memory per subscriber and
// CPU per delivered event, with and without one subscriber that never reads.
// Usage: live-inprocess-bench [subscribers] [changes] [slow]
import Foundation
import RemoteFunctionsLive
import Synchronization

let arguments = CommandLine.arguments
let subscriberCount = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let changeCount = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50

/// What a query returns: a payload shaped like a participants update (100 rows).
struct Snapshot: Equatable, Sendable {
    var change: Int
    var publishedAt: ContinuousClock.Instant
    var rows: [String]
}

final class Database: Sendable {
    let change = Mutex((0, ContinuousClock.now))
    let reads = Atomic<Int>(0)
    let rows = (0..<100).map { "participant \($0) active" }

    func read() -> Snapshot {
        reads.add(1, ordering: .relaxed)
        let (change, publishedAt) = change.withLock { $0 }
        return Snapshot(change: change, publishedAt: publishedAt, rows: rows)
    }
}

/// Counts deliveries down to zero and wakes the publisher.
final class Countdown: Sendable {
    let remaining = Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))

    func expect(_ count: Int) {
        remaining.withLock { $0.count = count }
    }

    func waitForAll() async {
        await withCheckedContinuation { continuation in
            let done = remaining.withLock { state -> Bool in
                if state.count <= 0 { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    func received() {
        let waiter = remaining.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count -= 1
            if state.count == 0 { return state.waiter.take() }
            return nil
        }
        waiter?.resume()
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

struct Result {
    var evaluationsPerChange: Double
    var p50: Double
    var p99: Double
    var kibPerSubscriberHeld: Double
    var kibPerSubscriberReading: Double
    var cpuMicrosecondsPerEvent: Double
}

func run(withSlowSubscriber: Bool) async -> Result {
    let feed = ChangeFeed()
    let metrics = LiveMetrics()
    let queries = LiveQueries(feed: feed, metrics: metrics)
    let database = Database()
    let countdown = Countdown()
    let key = LiveQueryKey(function: "participants.stream", arguments: #"{"sessionCode":"BENCH"}"#)
    func subscribe() -> LiveSubscription<Snapshot> {
        queries.subscribe(key, topics: ["session:BENCH"], overflow: .latest, evaluate: { database.read() })
    }

    // Memory of held subscriptions (the registry's and buffers' share only).
    let before = residentKiB()
    var held: [LiveSubscription<Snapshot>] = []
    held.reserveCapacity(subscriberCount)
    for _ in 0..<subscriberCount { held.append(subscribe()) }
    let afterHeld = residentKiB()

    // Readers: one task per subscriber, as a stream handler would be.
    countdown.expect(subscriberCount)
    var readers: [Task<[Double], Never>] = []
    for subscription in held {
        readers.append(
            Task {
                var latencies: [Double] = []
                latencies.reserveCapacity(changeCount)
                do {
                    for try await item in subscription {
                        if item.element.change > 0 {
                            latencies.append(milliseconds(ContinuousClock.now - item.element.publishedAt))
                        }
                        countdown.received()
                    }
                } catch {}
                return latencies
            })
    }
    held.removeAll()
    await countdown.waitForAll()
    let afterReading = residentKiB()

    let slow = withSlowSubscriber ? subscribe() : nil

    let cpuBefore = cpuSeconds()
    let deliveredBefore = metrics.deliveredCount
    let evaluationsBefore = metrics.evaluationCount
    for change in 1...changeCount {
        countdown.expect(subscriberCount)
        database.change.withLock { $0 = (change, .now) }
        feed.publish(["session:BENCH"])
        await countdown.waitForAll()
    }
    let cpu = cpuSeconds() - cpuBefore
    let delivered = metrics.deliveredCount - deliveredBefore
    let evaluations = metrics.evaluationCount - evaluationsBefore

    for reader in readers { reader.cancel() }
    var latencies: [Double] = []
    for reader in readers { latencies += await reader.value }
    latencies.sort()
    _ = slow
    return Result(
        evaluationsPerChange: Double(evaluations) / Double(changeCount),
        p50: percentile(latencies, 0.50), p99: percentile(latencies, 0.99),
        kibPerSubscriberHeld: Double(afterHeld - before) / Double(subscriberCount),
        kibPerSubscriberReading: Double(afterReading - before) / Double(subscriberCount),
        cpuMicrosecondsPerEvent: cpu * 1e6 / Double(max(delivered, 1)))
}

func show(_ label: String, _ result: Result) {
    print(
        String(
            format: "%@: evaluations/change %.2f, change→receive p50 %.2f ms p99 %.2f ms, "
                + "memory/subscriber %.2f KiB held (%.2f KiB with a reading task), CPU/event %.2f µs",
            label, result.evaluationsPerChange, result.p50, result.p99, result.kibPerSubscriberHeld,
            result.kibPerSubscriberReading, result.cpuMicrosecondsPerEvent))
}

// One scenario per process, so that memory figures start from a fresh heap.
let slow = arguments.count > 3 && arguments[3] == "slow"
let result = await run(withSlowSubscriber: slow)
show("in-process, \(subscriberCount) subscribers, \(changeCount) changes\(slow ? ", one slow subscriber" : "")", result)
print(String(format: "p99_ms=%.3f", result.p99))
