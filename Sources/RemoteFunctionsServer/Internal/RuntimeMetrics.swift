import Synchronization

/// The runtime's own counters: requests by function and code, and a latency histogram per
/// function, rendered in Prometheus text format.
final class RuntimeMetrics: Sendable {
    /// One function's counters. `ok` has a field of its own so the common case hashes nothing
    /// but the function's name.
    private struct FunctionCounters {
        var ok = 0
        var otherCodes: [String: Int] = [:]
        var latency: Histogram?

        mutating func record(code: String, seconds: Double?) {
            if code == "ok" { ok += 1 } else { otherCodes[code, default: 0] += 1 }
            if let seconds {
                if latency == nil { latency = Histogram(bucketCounts: RuntimeMetrics.emptyBuckets) }
                latency?.record(seconds)
            }
        }
    }

    private struct Histogram {
        var bucketCounts: [Int]
        var count = 0
        var sum = 0.0

        mutating func record(_ seconds: Double) {
            for (index, bound) in RuntimeMetrics.bucketBounds.enumerated() where seconds <= bound {
                bucketCounts[index] += 1
            }
            count += 1
            sum += seconds
        }
    }

    private struct State {
        var functions: [String: FunctionCounters] = [:]
    }

    /// Upper bounds of the latency buckets, in seconds.
    static let bucketBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    private static let emptyBuckets = Array(repeating: 0, count: bucketBounds.count)

    private let state = Mutex(State())

    /// Counts one finished request, and for unary calls records its latency.
    func record(function: String, code: String, latency: Duration?) {
        let seconds = latency.map { Double($0.components.seconds) + Double($0.components.attoseconds) * 1e-18 }
        state.withLock { state in
            // Mutated in place: copying the counters out and back would copy their buckets on
            // every request.
            state.functions[function, default: FunctionCounters()].record(code: code, seconds: seconds)
        }
    }

    /// The counters in Prometheus text format, with `openStreams` as a gauge.
    func prometheusText(openStreams: Int) -> String {
        let functions = state.withLock { $0.functions }
        var requests: [(function: String, code: String, count: Int)] = []
        var latencies: [(key: String, value: Histogram)] = []
        for (function, counters) in functions {
            if counters.ok > 0 { requests.append((function, "ok", counters.ok)) }
            for (code, count) in counters.otherCodes { requests.append((function, code, count)) }
            if let latency = counters.latency { latencies.append((function, latency)) }
        }
        var text = """
            # HELP remote_open_streams Streams currently open.
            # TYPE remote_open_streams gauge
            remote_open_streams \(openStreams)
            # HELP remote_requests_total Finished remote function calls by function and code (streams count once, when they end).
            # TYPE remote_requests_total counter

            """
        for request in requests.sorted(by: { ($0.function, $0.code) < ($1.function, $1.code) }) {
            text +=
                "remote_requests_total{function=\"\(request.function)\",code=\"\(request.code)\"} \(request.count)\n"
        }
        text += """
            # HELP remote_request_duration_seconds Latency of queries and commands by function.
            # TYPE remote_request_duration_seconds histogram

            """
        for (function, histogram) in latencies.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.bucketBounds.enumerated() {
                text +=
                    "remote_request_duration_seconds_bucket{function=\"\(function)\",le=\"\(bound)\"} \(histogram.bucketCounts[index])\n"
            }
            text += "remote_request_duration_seconds_bucket{function=\"\(function)\",le=\"+Inf\"} \(histogram.count)\n"
            text += "remote_request_duration_seconds_sum{function=\"\(function)\"} \(histogram.sum)\n"
            text += "remote_request_duration_seconds_count{function=\"\(function)\"} \(histogram.count)\n"
        }
        return text
    }
}
