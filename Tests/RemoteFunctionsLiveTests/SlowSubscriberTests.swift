import RemoteFunctions
import RemoteFunctionsServer
import Testing

@testable import RemoteFunctionsLive

@Suite("Slow subscribers and overflow policies")
struct SlowSubscriberTests {
    let feed = ChangeFeed()
    let metrics = LiveMetrics()
    let source = Source()
    let key = LiveQueryKey(function: "entities.watch", arguments: #"{"entityId":42}"#)

    func subscribe(_ queries: LiveQueries, overflow: StreamOverflowPolicy) -> LiveSubscription<Int> {
        let source = source
        return queries.subscribe(
            key, topics: ["entity:42"], overflow: overflow, cursor: { "\($0)" },
            evaluate: { await source.read() })
    }

    func change(to value: Int, seenBy arrivals: Arrivals, subscribers: Int = 1) async throws {
        source.set(value)
        feed.publish(["entity:42"], version: Int64(value))
        try await withTimeout("value \(value) at the fast subscriber") {
            await arrivals.wait(until: .subscribers(subscribers, at: value))
        }
    }

    @Test(".latest: a subscriber that never reads holds one value and counts skips; a fast one gets every value")
    func latestKeepsOneValue() async throws {
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let arrivals = Arrivals()
        let slow = subscribe(queries, overflow: .latest)
        let fast = consume(subscribe(queries, overflow: .latest), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        for value in 1...100 {
            try await change(to: value, seenBy: arrivals)
            #expect(slow.lifetime.buffer.count == 1)
        }
        #expect(await arrivals.values(of: 0) == Array(0...100))
        #expect(metrics.skippedCount == 100)
        #expect(metrics.boundedEndedCount == 0)
        var iterator = slow.makeAsyncIterator()
        #expect(try await iterator.next() == StreamItem(100, cursor: "100"))
        #expect(slow.lifetime.buffer.count == 0)
        fast.cancel()
    }

    @Test(".bounded(n): a subscriber that never reads ends with the retryable error; a fast one gets every value")
    func boundedEndsTheSlowSubscriber() async throws {
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let arrivals = Arrivals()
        let slow = subscribe(queries, overflow: .bounded(8))
        let fast = consume(subscribe(queries, overflow: .bounded(8)), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        for value in 1...7 {
            try await change(to: value, seenBy: arrivals)
        }
        #expect(slow.lifetime.buffer.count == 8)
        #expect(metrics.subscriberCount == 2)
        for value in 8...20 {
            try await change(to: value, seenBy: arrivals)
            #expect(slow.lifetime.buffer.count == 0, "the overflowed buffer is released at once")
        }
        #expect(metrics.boundedEndedCount == 1)
        #expect(metrics.subscriberCount == 1, "the ended subscriber's slot is freed")
        #expect(await arrivals.values(of: 0) == Array(0...20))

        var iterator = slow.makeAsyncIterator()
        let error = await #expect(throws: RemoteError.self) { _ = try await iterator.next() }
        #expect(error == .fellBehind)
        #expect(error?.isRetryable == true)
        #expect(try await iterator.next() == nil)
        fast.cancel()
    }

    @Test("a thousand subscribers that never read do not hold back a reading one")
    func manySlowSubscribers() async throws {
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let arrivals = Arrivals()
        let slow = (0..<1_000).map { _ in subscribe(queries, overflow: .latest) }
        let fast = consume(subscribe(queries, overflow: .latest), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        for value in 1...20 {
            try await change(to: value, seenBy: arrivals)
        }
        #expect(await arrivals.values(of: 0) == Array(0...20))
        #expect(slow.allSatisfy { $0.lifetime.buffer.count <= 1 })
        #expect(metrics.evaluationCount == 21)
        fast.cancel()
    }
}
