import Synchronization

/// The runtime's own counters: requests by function and code, and a latency histogram per
/// function, rendered in Prometheus text format.
final class RuntimeMetrics: Sendable {
    private struct RequestKey: Hashable {
        let function: String
        let code: String
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
        var requests: [RequestKey: Int] = [:]
        var latencies: [String: Histogram] = [:]
    }

    /// Upper bounds of the latency buckets, in seconds.
    static let bucketBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    private static let emptyBuckets = Array(repeating: 0, count: bucketBounds.count)

    private let state = Mutex(State())

    /// Counts one finished request, and for unary calls records its latency.
    func record(function: String, code: String, latency: Duration?) {
        state.withLock { state in
            state.requests[RequestKey(function: function, code: code), default: 0] += 1
            guard let latency else { return }
            let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) * 1e-18
            // Mutated in place: copying the histogram out and back would copy its buckets on
            // every request.
            state.latencies[function, default: Histogram(bucketCounts: Self.emptyBuckets)].record(seconds)
        }
    }

    /// The counters in Prometheus text format, with `openStreams` as a gauge.
    func prometheusText(openStreams: Int) -> String {
        let (requests, latencies) = state.withLock { ($0.requests, $0.latencies) }
        var text = """
            # HELP remote_open_streams Streams currently open.
            # TYPE remote_open_streams gauge
            remote_open_streams \(openStreams)
            # HELP remote_requests_total Finished remote function calls by function and code (streams count once, when they end).
            # TYPE remote_requests_total counter

            """
        for (key, value) in requests.sorted(by: { ($0.key.function, $0.key.code) < ($1.key.function, $1.key.code) }) {
            text += "remote_requests_total{function=\"\(key.function)\",code=\"\(key.code)\"} \(value)\n"
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
