import RemoteFunctions
import RemoteFunctionsLive
import RemoteFunctionsServer
import Synchronization
import Testing

@Suite("LiveMetrics")
struct LiveMetricsTests {
    @Test("the Prometheus text has HELP and TYPE lines and the counted values")
    func prometheusText() async throws {
        let feed = ChangeFeed()
        let metrics = LiveMetrics()
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let subscription = queries.subscribe(
            LiveQueryKey(function: "participants.stream", arguments: "{}"), topics: ["t"], overflow: .latest
        ) { 1 }
        var iterator = subscription.makeAsyncIterator()
        _ = try await iterator.next()
        let text = metrics.prometheusText()
        #expect(text.contains("# TYPE remote_live_evaluations_total counter\n"))
        #expect(text.contains("remote_live_evaluations_total{function=\"participants.stream\"} 1\n"))
        #expect(text.contains("# HELP remote_live_queries "))
        #expect(text.contains("remote_live_queries 1\n"))
        #expect(text.contains("remote_live_subscribers 1\n"))
        #expect(text.contains("remote_live_events_delivered_total 1\n"))
        #expect(text.contains("# TYPE remote_live_skipped_total counter\n"))
        #expect(text.contains("# TYPE remote_live_bounded_ended_total counter\n"))
        #expect(text.contains("# TYPE remote_live_evaluation_duration_seconds histogram\n"))
        #expect(text.contains("remote_live_evaluation_duration_seconds_count 1\n"))
        #expect(text.contains("# TYPE remote_live_fanout_duration_seconds histogram\n"))
        // Recorded once the fan-out returns, which may be just after this reader got its value.
        #expect(text.contains("remote_live_fanout_duration_seconds_bucket{le=\"+Inf\"} "))
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").count == 2, "sample line: \(line)")
        }
    }

    @Test("evaluations and fan-outs are timed, one sample each per evaluation")
    func durations() async throws {
        let feed = ChangeFeed()
        let metrics = LiveMetrics()
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let version = Counter()
        // The scenario: a read that takes at least 30 ms.
        let subscription = queries.subscribe(
            LiveQueryKey(function: "slow.read", arguments: "{}"), topics: ["t"], overflow: .latest
        ) {
            try await Task.sleep(for: .milliseconds(30))
            return version.value
        }
        var iterator = subscription.makeAsyncIterator()
        #expect(try await iterator.next()?.element == 0)
        for expected in 1...2 {
            version.increment()
            feed.publish(["t"])
            #expect(try await iterator.next()?.element == expected)
        }

        // An evaluation is timed before its value goes out; evaluations never overlap, so the
        // fan-outs of the first two values have been timed by the time the third arrives.
        let evaluations = metrics.evaluationDurations
        #expect(evaluations.count == 3)
        #expect(evaluations.sum >= 0.09)
        let index = try #require(LatencyHistogram.bucketBounds.firstIndex(of: 0.025))
        #expect(evaluations.bucketCounts[index] == 0)
        #expect((2...3).contains(metrics.fanOutDurations.count))
    }

    final class Counter: Sendable {
        private let storage = Atomic(0)
        var value: Int { storage.load(ordering: .relaxed) }
        func increment() { storage.add(1, ordering: .relaxed) }
    }

    @Test("a key from Encodable arguments is canonical (sorted keys)")
    func canonicalKey() throws {
        struct Arguments: Encodable {
            var sessionCode: String
            var pageSize: Int
        }
        let key = try LiveQueryKey(function: "participants.page", arguments: Arguments(sessionCode: "ABC", pageSize: 5))
        #expect(key.arguments == #"{"pageSize":5,"sessionCode":"ABC"}"#)
    }
}
