public import RemoteFunctionsServer
import Synchronization

/// Counters of live queries, exposed on `/metrics` in Prometheus text format.
///
/// All counters are atomics, updated without locks on hot paths (the per-function evaluation
/// counter is looked up once, when a query starts). The read accessors are for tests and
/// benchmarks.
public final class LiveMetrics: MetricsSource {
    private let evaluationCounters = Mutex<[String: AtomicCounter]>([:])
    private let activeQueries = Atomic<Int>(0)
    private let activeSubscribers = Atomic<Int>(0)
    private let invalidations = Atomic<Int>(0)
    private let delivered = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)
    private let boundedEnded = Atomic<Int>(0)

    /// Creates counters at zero.
    public init() {}

    /// Evaluations of live queries, all functions together.
    public var evaluationCount: Int {
        evaluationCounters.withLock { $0.values.reduce(0) { $0 + $1.value } }
    }

    /// Evaluations of the live queries of one function.
    public func evaluationCount(function: String) -> Int {
        evaluationCounters.withLock { $0[function]?.value ?? 0 }
    }

    /// Live queries running now (each shared by all its subscribers).
    public var activeQueryCount: Int { activeQueries.load(ordering: .relaxed) }

    /// Subscribers attached to live queries now.
    public var subscriberCount: Int { activeSubscribers.load(ordering: .relaxed) }

    /// Changes (and invalidations) that reached a live query. Several arriving during one
    /// evaluation lead to a single follow-up evaluation.
    public var invalidationCount: Int { invalidations.load(ordering: .relaxed) }

    /// Values handed to subscribers' readers.
    public var deliveredCount: Int { delivered.load(ordering: .relaxed) }

    /// Values a slow `.latest` subscriber never saw because a newer one replaced them.
    public var skippedCount: Int { skipped.load(ordering: .relaxed) }

    /// Streams ended because their `.bounded` buffer was full.
    public var boundedEndedCount: Int { boundedEnded.load(ordering: .relaxed) }

    // MARK: - Recording (internal)

    func evaluationCounter(function: String) -> AtomicCounter {
        evaluationCounters.withLock { counters in
            if let counter = counters[function] { return counter }
            let counter = AtomicCounter()
            counters[function] = counter
            return counter
        }
    }

    func queryStarted() { activeQueries.add(1, ordering: .relaxed) }
    func queryStopped() { activeQueries.subtract(1, ordering: .relaxed) }
    func subscribersAdded(_ count: Int) { activeSubscribers.add(count, ordering: .relaxed) }
    func subscribersRemoved(_ count: Int) { activeSubscribers.subtract(count, ordering: .relaxed) }
    func invalidated() { invalidations.add(1, ordering: .relaxed) }
    func deliveredOne() { delivered.add(1, ordering: .relaxed) }
    func skipped(_ count: Int) { if count > 0 { skipped.add(count, ordering: .relaxed) } }
    func endedByBound(_ count: Int) { if count > 0 { boundedEnded.add(count, ordering: .relaxed) } }

    // MARK: - Exposition

    /// The counters in Prometheus text format.
    public func prometheusText() -> String {
        var text = """
            # HELP remote_live_evaluations_total Evaluations of shared live queries (one per change, whatever the number of subscribers).
            # TYPE remote_live_evaluations_total counter

            """
        let counters = evaluationCounters.withLock { $0.map { ($0.key, $0.value.value) } }
        for (function, value) in counters.sorted(by: { $0.0 < $1.0 }) {
            text += "remote_live_evaluations_total{function=\"\(Self.escapeLabel(function))\"} \(value)\n"
        }
        func add(_ name: String, _ type: String, _ help: String, _ value: Int) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        add("remote_live_queries", "gauge", "Live queries running now.", activeQueryCount)
        add("remote_live_subscribers", "gauge", "Subscribers attached to live queries now.", subscriberCount)
        add("remote_live_invalidations_total", "counter", "Changes that reached a live query.", invalidationCount)
        add(
            "remote_live_events_delivered_total", "counter", "Live query values delivered to subscribers.",
            deliveredCount)
        add(
            "remote_live_skipped_total", "counter", "Values skipped by slow subscribers of .latest streams.",
            skippedCount)
        add(
            "remote_live_bounded_ended_total", "counter", "Streams ended because their .bounded buffer was full.",
            boundedEndedCount)
        return text
    }

    private static func escapeLabel(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
