import RemoteFunctions
import RemoteFunctionsServer
import Testing

@testable import RemoteFunctionsLive

@Suite("Shared live queries")
struct LiveQueriesTests {
    let feed = ChangeFeed()
    let metrics = LiveMetrics()
    let source = Source()
    let key = LiveQueryKey(function: "participants.stream", arguments: #"{"sessionCode":"ABC"}"#)

    var queries: LiveQueries { LiveQueries(feed: feed, metrics: metrics) }

    func subscribe(
        _ queries: LiveQueries, overflow: StreamOverflowPolicy = .latest,
        filter: (@Sendable (Int) -> Bool)? = nil
    ) -> LiveSubscription<Int> {
        let source = source
        return queries.subscribe(
            key, topics: ["session:ABC"], overflow: overflow, cursor: { "\($0)" }, filter: filter,
            evaluate: { await source.read() })
    }

    @Test("one change leads to exactly one evaluation, whatever the number of subscribers (1 000)")
    func oneEvaluationPerChange() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let subscribers = 1_000
        var tasks: [Task<Void, Never>] = []
        for index in 0..<subscribers {
            tasks.append(consume(subscribe(queries), as: index, into: arrivals))
        }
        try await withTimeout("every subscriber's first value") {
            await arrivals.wait(until: .subscribers(subscribers, at: 0))
        }
        #expect(metrics.evaluationCount == 1)
        #expect(queries.count == 1)
        #expect(metrics.subscriberCount == subscribers)

        let changes = 10
        for change in 1...changes {
            source.set(change)
            feed.publish(["session:ABC"])
            try await withTimeout("change \(change) at every subscriber") {
                await arrivals.wait(until: .subscribers(subscribers, at: change))
            }
        }
        #expect(metrics.evaluationCount == 1 + changes)
        #expect(metrics.evaluationCount(function: "participants.stream") == 1 + changes)
        #expect(source.readCount == 1 + changes)
        #expect(metrics.deliveredCount == subscribers * (1 + changes))
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        #expect(queries.count == 0)
        #expect(metrics.subscriberCount == 0)
    }

    @Test("every subscriber receives the same bytes, encoded once per change rather than once per subscriber")
    func encodedOncePerChange() async throws {
        let queries = queries
        source.set(41)
        var first = subscribe(queries).makeAsyncIterator()
        var second = subscribe(queries).makeAsyncIterator()
        let a = try #require(try await first.next())
        let b = try #require(try await second.next())
        #expect(a.encoded?.bytes == Array("41".utf8))
        #expect(a.encoded == b.encoded)
        #expect(a.cursor == "41")
    }

    @Test("after a burst of 1 000 rapid changes every subscriber's last value is the final state")
    func noMissedFinalState() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let subscribers = 200
        var tasks: [Task<Void, Never>] = []
        for index in 0..<subscribers {
            tasks.append(consume(subscribe(queries), as: index, into: arrivals))
        }
        try await withTimeout("first values") { await arrivals.wait(until: .subscribers(subscribers, at: 0)) }
        let burst = 1_000
        for change in 1...burst {
            source.set(change)
            feed.publish(["session:ABC"])
        }
        try await withTimeout("the final state at every subscriber") {
            await arrivals.wait(until: .subscribers(subscribers, at: burst))
        }
        let last = await arrivals.lastValues()
        #expect(last.count == subscribers)
        #expect(last.values.allSatisfy { $0 == source.current })
        // Coalesced: never more than one evaluation per change, never two at once.
        #expect(metrics.evaluationCount <= 1 + burst)
        #expect(source.maximumConcurrentReads == 1)
        for index in 0..<subscribers {
            let values = await arrivals.values(of: index)
            #expect(values == values.sorted(), "values arrive in commit order")
        }
        for task in tasks { task.cancel() }
    }

    @Test("subscribers joining during a burst of changes all end on the final state, in order")
    func joiningDuringABurst() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let subscribers = 200
        let burst = 1_000
        let feed = feed
        let source = source
        var tasks: [Task<Void, Never>] = []
        for index in 0..<subscribers / 2 {
            tasks.append(consume(subscribe(queries), as: index, into: arrivals))
        }
        try await withTimeout("first values") { await arrivals.wait(until: .subscribers(subscribers / 2, at: 0)) }
        let writer = Task.detached {
            for change in 1...burst {
                source.set(change)
                feed.publish(["session:ABC"])
                if change % 10 == 0 { await Task.yield() }
            }
        }
        for index in subscribers / 2..<subscribers {
            tasks.append(consume(subscribe(queries), as: index, into: arrivals))
            await Task.yield()
        }
        await writer.value
        try await withTimeout("the final state at every subscriber") {
            await arrivals.wait(until: .subscribers(subscribers, at: burst))
        }
        for index in 0..<subscribers {
            let values = await arrivals.values(of: index)
            #expect(values == values.sorted(), "values arrive in commit order")
            #expect(Set(values).count == values.count, "no value twice")
        }
        for task in tasks { task.cancel() }
    }

    @Test("changes during an evaluation cause exactly one follow-up evaluation, never a concurrent one")
    func coalescing() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let started = AsyncStream<Void>.makeStream()
        let release = Gate()
        let holding = Gate()  // opened to make the next evaluation wait on `release`
        let source = source
        let subscription = queries.subscribe(key, topics: ["session:ABC"], overflow: .latest) {
            await source.read {
                if await isArmed(holding) {
                    started.continuation.yield()
                    await release.wait()
                }
            }
        }
        let task = consume(subscription, as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        holding.open()
        source.set(1)
        feed.publish(["session:ABC"])
        var iterator = started.stream.makeAsyncIterator()
        _ = await iterator.next()  // evaluation 2 is running and held
        for change in 2...50 {
            source.set(change)
            feed.publish(["session:ABC"])
        }
        #expect(metrics.evaluationCount == 2)
        release.open()
        try await withTimeout("final value") { await arrivals.wait(until: .subscribers(1, at: 50)) }
        #expect(metrics.evaluationCount == 3)
        #expect(source.readCount == 3)
        #expect(source.maximumConcurrentReads == 1)
        #expect(await arrivals.values(of: 0) == [0, 50])
        #expect(metrics.invalidationCount == 50)
        task.cancel()
    }

    @Test("a value equal to the previous one is not delivered again")
    func onlyChangedValues() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let task = consume(subscribe(queries), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        feed.publish(["session:ABC"])  // nothing really changed
        source.set(7)
        feed.publish(["session:ABC"])
        try await withTimeout("changed value") { await arrivals.wait(until: .subscribers(1, at: 7)) }
        #expect(await arrivals.values(of: 0) == [0, 7])
        #expect(metrics.evaluationCount >= 2)
        task.cancel()
    }

    @Test("a change to another topic does not evaluate the query")
    func otherTopics() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let task = consume(subscribe(queries), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        feed.publish(["session:XYZ", "entity:1"])
        source.set(1)
        feed.publish(["session:ABC"])
        try await withTimeout("changed value") { await arrivals.wait(until: .subscribers(1, at: 1)) }
        #expect(metrics.evaluationCount == 2)
        task.cancel()
    }

    @Test("a late subscriber gets the cached current value without a new evaluation")
    func lateSubscriberGetsCachedValue() async throws {
        let queries = queries
        let arrivals = Arrivals()
        source.set(5)
        let first = consume(subscribe(queries), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 5)) }
        let second = consume(subscribe(queries), as: 1, into: arrivals)
        try await withTimeout("late subscriber's value") { await arrivals.wait(until: .subscribers(2, at: 5)) }
        #expect(metrics.evaluationCount == 1)
        first.cancel()
        second.cancel()
    }

    @Test("the evaluation stops once every subscriber has left, and a later subscriber starts afresh")
    func stopsWhenEveryoneLeft() async throws {
        let queries = queries
        let arrivals = Arrivals()
        var tasks: [Task<Void, Never>] = []
        for index in 0..<10 {
            tasks.append(consume(subscribe(queries), as: index, into: arrivals))
        }
        try await withTimeout("first values") { await arrivals.wait(until: .subscribers(10, at: 0)) }
        #expect(feed.listenerCount == 1)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        #expect(queries.count == 0)
        #expect(!queries.isRunning(key))
        #expect(metrics.activeQueryCount == 0)
        #expect(metrics.subscriberCount == 0)
        #expect(feed.listenerCount == 0)

        let evaluations = metrics.evaluationCount
        source.set(1)
        feed.publish(["session:ABC"])
        feed.invalidateAll()
        #expect(metrics.evaluationCount == evaluations)
        #expect(metrics.invalidationCount == 0)

        let again = consume(subscribe(queries), as: 100, into: arrivals)
        try await withTimeout("fresh value") { await arrivals.wait(until: .subscribers(1, at: 1)) }
        #expect(metrics.evaluationCount == evaluations + 1)
        #expect(queries.count == 1)
        again.cancel()
        await again.value
        #expect(queries.count == 0)
    }

    @Test("dropping a subscription that was never read unsubscribes it")
    func droppingUnsubscribes() async throws {
        let queries = queries
        do {
            let subscription = subscribe(queries)
            #expect(queries.count == 1)
            _ = subscription
        }
        #expect(queries.count == 0)
        #expect(metrics.subscriberCount == 0)
    }

    @Test("cancelling the reading task ends that subscriber promptly and frees its slot")
    func cancellationFreesTheSlot() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let stay = consume(subscribe(queries), as: 0, into: arrivals)
        let leave = consume(subscribe(queries), as: 1, into: arrivals)
        try await withTimeout("first values") { await arrivals.wait(until: .subscribers(2, at: 0)) }
        #expect(metrics.subscriberCount == 2)
        leave.cancel()
        try await withTimeout("the cancelled reader to end") { await leave.value }
        #expect(await arrivals.endError(of: 1) == nil)
        #expect(metrics.subscriberCount == 1)
        #expect(queries.count == 1)
        source.set(3)
        feed.publish(["session:ABC"])
        try await withTimeout("value at the remaining subscriber") {
            await arrivals.wait(until: .subscribers(1, at: 3))
        }
        #expect(await arrivals.values(of: 1) == [0])
        stay.cancel()
    }

    @Test("invalidateAll re-evaluates every live query")
    func invalidateAll() async throws {
        let queries = queries
        let arrivals = Arrivals()
        let task = consume(subscribe(queries), as: 0, into: arrivals)
        try await withTimeout("first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
        source.set(9)  // a change whose notification was missed
        feed.invalidateAll()
        try await withTimeout("caught-up value") { await arrivals.wait(until: .subscribers(1, at: 9)) }
        #expect(metrics.evaluationCount == 2)
        task.cancel()
    }

    @Test("the cursor travels with each value and a resuming subscriber skips what it has seen")
    func cursorAndResumeFilter() async throws {
        let queries = queries
        let arrivals = Arrivals()
        source.set(4)
        let fresh = subscribe(queries)
        var freshIterator = fresh.makeAsyncIterator()
        let first = try await freshIterator.next()
        #expect(first == StreamItem(4, cursor: "4"))
        let resumed = consume(subscribe(queries, filter: { $0 > 5 }), as: 1, into: arrivals)
        source.set(5)
        feed.publish(["session:ABC"])
        #expect(try await freshIterator.next() == StreamItem(5, cursor: "5"))
        source.set(6)
        feed.publish(["session:ABC"])
        try await withTimeout("resumed subscriber's first newer value") {
            await arrivals.wait(until: .subscribers(1, at: 6))
        }
        #expect(await arrivals.values(of: 1) == [6])
        resumed.cancel()
        _ = fresh
    }
}

private func isArmed(_ gate: Gate) async -> Bool {
    gate.isOpen
}
