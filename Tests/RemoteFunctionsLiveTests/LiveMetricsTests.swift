import RemoteFunctions
import RemoteFunctionsLive
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
        #expect(text.hasSuffix("\n"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").count == 2, "sample line: \(line)")
        }
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
