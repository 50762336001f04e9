/// Durations counted into fixed buckets, rendered as a Prometheus histogram.
///
/// A value type: the owner keeps it under its own lock. The buckets are the same for every
/// histogram of the project (0.5 ms to 10 s), so dashboards can compare them.
///
/// ```swift
/// var histogram = LatencyHistogram()
/// histogram.record(.milliseconds(3))
/// let text = histogram.prometheusSamples(name: "app_job_duration_seconds", labels: "job=\"sync\"")
/// ```
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in seconds.
    public static let bucketBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// For each bound of ``bucketBounds``, how many durations were at most that long.
    public private(set) var bucketCounts = Array(repeating: 0, count: LatencyHistogram.bucketBounds.count)
    /// How many durations were recorded.
    public private(set) var count = 0
    /// The sum of the recorded durations, in seconds.
    public private(set) var sum = 0.0

    /// An empty histogram.
    public init() {}

    /// Counts one duration.
    public mutating func record(_ duration: Duration) {
        let components = duration.components
        record(seconds: Double(components.seconds) + Double(components.attoseconds) * 1e-18)
    }

    /// Counts one duration given in seconds.
    public mutating func record(seconds: Double) {
        for (index, bound) in Self.bucketBounds.enumerated() where seconds <= bound {
            bucketCounts[index] += 1
        }
        count += 1
        sum += seconds
    }

    /// The histogram's `_bucket`, `_sum` and `_count` samples (no `# HELP` or `# TYPE` lines), each
    /// ending with `\n`. `labels` is the inside of the braces (`function="x"`), or empty.
    public func prometheusSamples(name: String, labels: String = "") -> String {
        let prefix = labels.isEmpty ? "" : labels + ","
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        var text = ""
        for (index, bound) in Self.bucketBounds.enumerated() {
            text += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(bucketCounts[index])\n"
        }
        text += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(count)\n"
        text += "\(name)_sum\(braces) \(sum)\n"
        text += "\(name)_count\(braces) \(count)\n"
        return text
    }
}
