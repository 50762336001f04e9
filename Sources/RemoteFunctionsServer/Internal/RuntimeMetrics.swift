import Synchronization

/// The runtime's own counters: requests by function and code, and a latency histogram per
/// function, rendered in Prometheus text format.
final class RuntimeMetrics: Sendable {
    /// One function's counters. `ok` has a field of its own so the common case hashes nothing
    /// but the function's name.
    private struct FunctionCounters {
        var ok = 0
        var otherCodes: [String: Int] = [:]
        var latency: LatencyHistogram?

        mutating func record(code: String, latency duration: Duration?) {
            if code == "ok" { ok += 1 } else { otherCodes[code, default: 0] += 1 }
            if let duration {
                if latency == nil { latency = LatencyHistogram() }
                latency?.record(duration)
            }
        }
    }

    private struct State {
        var functions: [String: FunctionCounters] = [:]
    }

    private let state = Mutex(State())

    /// Counts one finished request, and for unary calls records its latency.
    func record(function: String, code: String, latency: Duration?) {
        state.withLock { state in
            // Mutated in place: copying the counters out and back would copy their buckets on
            // every request.
            state.functions[function, default: FunctionCounters()].record(code: code, latency: latency)
        }
    }

    /// The counters in Prometheus text format, with `openStreams` as a gauge.
    func prometheusText(openStreams: Int) -> String {
        let functions = state.withLock { $0.functions }
        var requests: [(function: String, code: String, count: Int)] = []
        var latencies: [(key: String, value: LatencyHistogram)] = []
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
            text += histogram.prometheusSamples(
                name: "remote_request_duration_seconds", labels: "function=\"\(function)\"")
        }
        return text
    }
}
