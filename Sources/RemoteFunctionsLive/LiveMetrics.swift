public import RemoteFunctionsServer
import Synchronization

/// Counters of live queries, exposed on `/metrics` in Prometheus text format.
///
/// All counters are atomics, updated without locks on hot paths (the per-function evaluation
/// counter is looked up once, when a query starts); the two histograms take a lock once per
/// evaluation or fan-out, never per subscriber. The read accessors are for tests and benchmarks.
public final class LiveMetrics: MetricsSource {
    private let evaluationCounters = Mutex<[String: AtomicCounter]>([:])
    private let activeQueries = Atomic<Int>(0)
    private let activeSubscribers = Atomic<Int>(0)
    private let invalidations = Atomic<Int>(0)
    private let delivered = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)
    private let boundedEnded = Atomic<Int>(0)
    private let durations = Mutex<(evaluations: LatencyHistogram, fanOuts: LatencyHistogram)>((.init(), .init()))

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

    /// How long evaluations took (the read of a live query, from start to value).
    public var evaluationDurations: LatencyHistogram { durations.withLock { $0.evaluations } }

    /// How long fan-outs took: from a new value to the moment it is in every subscriber's buffer.
    /// Streams served without a task have written it to their sockets by then, so this is the
    /// server's share of the change-to-receive latency of the last subscriber.
    public var fanOutDurations: LatencyHistogram { durations.withLock { $0.fanOuts } }

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
    func evaluated(in duration: Duration) { durations.withLock { $0.evaluations.record(duration) } }
    func fannedOut(in duration: Duration) { durations.withLock { $0.fanOuts.record(duration) } }

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
        let (evaluations, fanOuts) = durations.withLock { $0 }
        text += """
            # HELP remote_live_evaluation_duration_seconds Time to evaluate a live query once (its read).
            # TYPE remote_live_evaluation_duration_seconds histogram

            """
        text += evaluations.prometheusSamples(name: "remote_live_evaluation_duration_seconds")
        text += """
            # HELP remote_live_fanout_duration_seconds Time from a new value to its last subscriber (buffered, or written to the socket).
            # TYPE remote_live_fanout_duration_seconds histogram

            """
        text += fanOuts.prometheusSamples(name: "remote_live_fanout_duration_seconds")
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
