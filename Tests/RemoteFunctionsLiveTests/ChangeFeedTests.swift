import RemoteFunctions
import RemoteFunctionsLive
import Testing

@Suite("ChangeFeed")
struct ChangeFeedTests {
    @Test("each listener gets every change of its topics once, in publish order per topic")
    func orderPerTopic() async throws {
        let feed = ChangeFeed()
        let topics = ["session:A", "session:B", "entity:1", "entity:2"]
        let stream = feed.changes(topics: topics, bufferLimit: 100_000)
        let perTopic = 2_000
        // One concurrent writer per topic.
        await withTaskGroup(of: Void.self) { group in
            for topic in topics {
                group.addTask {
                    for version in 1...perTopic { feed.publish([topic], version: Int64(version)) }
                }
            }
        }
        feed.publish(["unrelated"])
        var versions: [String: [Int64]] = [:]
        var sequences: [UInt64] = []
        var iterator = stream.makeAsyncIterator()
        for _ in 0..<(perTopic * topics.count) {
            guard case .changed(let change) = try await iterator.next() else {
                Issue.record("expected a change")
                return
            }
            versions[change.topic, default: []].append(change.version ?? -1)
            sequences.append(change.sequence)
        }
        for topic in topics {
            #expect(versions[topic] == (1...perTopic).map(Int64.init))
        }
        #expect(sequences == sequences.sorted(), "delivered in the feed's global order")
        #expect(feed.changeCount == UInt64(perTopic * topics.count + 1))
    }

    @Test("a listener does not see other topics, and invalidateAll reaches every listener")
    func topicsAndInvalidation() async throws {
        let feed = ChangeFeed()
        let stream = feed.changes(topics: ["a"])
        feed.publish(["b"])
        feed.publish(["a"], version: 3)
        feed.invalidateAll()
        var iterator = stream.makeAsyncIterator()
        guard case .changed(let change) = try await iterator.next() else {
            Issue.record("expected a change")
            return
        }
        #expect(change.topic == "a")
        #expect(change.version == 3)
        #expect(try await iterator.next() == .invalidatedAll)
    }

    @Test("publish forwards to onPublish, inject does not")
    func injectIsNotForwarded() async throws {
        let forwarded = AsyncStream<[String]>.makeStream()
        let feed = ChangeFeed { topics, _ in forwarded.continuation.yield(topics) }
        let stream = feed.changes(topics: ["x", "y"])
        feed.inject(["x"])
        feed.publish(["y"])
        forwarded.continuation.finish()
        var all: [[String]] = []
        for await topics in forwarded.stream { all.append(topics) }
        #expect(all == [["y"]])
        var iterator = stream.makeAsyncIterator()
        guard case .changed(let first) = try await iterator.next(),
            case .changed(let second) = try await iterator.next()
        else {
            Issue.record("expected two changes")
            return
        }
        #expect([first.topic, second.topic] == ["x", "y"])
    }

    @Test("a reader that falls behind its bound ends with the retryable error and is unregistered")
    func boundedReader() async throws {
        let feed = ChangeFeed()
        let stream = feed.changes(topics: ["a"], bufferLimit: 4)
        for _ in 0..<5 { feed.publish(["a"]) }
        #expect(feed.listenerCount == 0)
        var iterator = stream.makeAsyncIterator()
        await #expect(throws: RemoteError.fellBehind) { _ = try await iterator.next() }
    }

    @Test("dropping a change stream unregisters it")
    func droppingUnregisters() {
        let feed = ChangeFeed()
        do {
            let stream = feed.changes(topics: ["a"])
            #expect(feed.listenerCount == 1)
            _ = stream
        }
        #expect(feed.listenerCount == 0)
    }
}
