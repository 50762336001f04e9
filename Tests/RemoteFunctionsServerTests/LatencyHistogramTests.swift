import RemoteFunctionsServer
import Testing

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    @Test("buckets are cumulative, +Inf counts everything, the sum is in seconds")
    func buckets() {
        var histogram = LatencyHistogram()
        histogram.record(.microseconds(300))
        histogram.record(.milliseconds(3))
        histogram.record(seconds: 20)
        #expect(histogram.count == 3)
        #expect(abs(histogram.sum - 20.0033) < 1e-9)
        let expected = LatencyHistogram.bucketBounds.map { bound in
            [0.0003, 0.003, 20].filter { $0 <= bound }.count
        }
        #expect(histogram.bucketCounts == expected)
        #expect(histogram.bucketCounts.first == 1)
        #expect(histogram.bucketCounts.last == 2)
    }

    @Test("the Prometheus samples name every bucket, then +Inf, sum and count, with the labels")
    func prometheusSamples() {
        var histogram = LatencyHistogram()
        histogram.record(.milliseconds(7))
        let text = histogram.prometheusSamples(name: "x_seconds", labels: #"function="f""#)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == LatencyHistogram.bucketBounds.count + 4)  // + Inf, sum, count, and the final ""
        #expect(lines.first == #"x_seconds_bucket{function="f",le="0.0005"} 0"#)
        #expect(text.contains(#"x_seconds_bucket{function="f",le="0.01"} 1"#))
        #expect(text.contains(#"x_seconds_bucket{function="f",le="+Inf"} 1"#))
        #expect(text.contains(#"x_seconds_sum{function="f"} 0.007"#))
        #expect(text.hasSuffix("x_seconds_count{function=\"f\"} 1\n"))
        let unlabelled = histogram.prometheusSamples(name: "y")
        #expect(unlabelled.hasPrefix(#"y_bucket{le="0.0005"} 0"#))
        #expect(unlabelled.hasSuffix("y_sum 0.007\ny_count 1\n"))
    }
}
