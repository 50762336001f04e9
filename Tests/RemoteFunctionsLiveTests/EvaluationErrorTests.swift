import RemoteFunctions
import RemoteFunctionsLive
import RemoteFunctionsServer
import Synchronization
import Testing

@Suite("Errors thrown by a live query's evaluation")
struct EvaluationErrorTests {
    struct DatabaseFailure: Error {
        var secret = "connection string with a password"
    }

    final class FailingSource: Sendable {
        let failure = Mutex<(any Error)?>(nil)
        let value = Mutex(0)

        func read() throws -> Int {
            if let failure = failure.withLock({ $0 }) { throw failure }
            return value.withLock { $0 }
        }
    }

    func run(failingWith error: any Error) async throws -> (errors: [RemoteError?], queries: LiveQueries) {
        let feed = ChangeFeed()
        let metrics = LiveMetrics()
        let queries = LiveQueries(feed: feed, metrics: metrics)
        let source = FailingSource()
        let key = LiveQueryKey(function: "participants.stream", arguments: "{}")
        let arrivals = Arrivals()
        var tasks: [Task<Void, Never>] = []
        for index in 0..<3 {
            let subscription = queries.subscribe(key, topics: ["t"], overflow: .latest) { try source.read() }
            tasks.append(consume(subscription, as: index, into: arrivals))
        }
        try await withTimeout("first values") { await arrivals.wait(until: .subscribers(3, at: 0)) }
        source.failure.withLock { $0 = error }
        feed.publish(["t"])
        try await withTimeout("every stream to end") { await arrivals.wait(until: .ended(3)) }
        for task in tasks { await task.value }
        #expect(queries.count == 0)
        #expect(metrics.activeQueryCount == 0)
        #expect(metrics.subscriberCount == 0)
        #expect(feed.listenerCount == 0)

        // A later subscriber starts afresh.
        source.failure.withLock { $0 = nil }
        source.value.withLock { $0 = 1 }
        let again = queries.subscribe(key, topics: ["t"], overflow: .latest) { try source.read() }
        var iterator = again.makeAsyncIterator()
        #expect(try await iterator.next()?.element == 1)
        var errors: [RemoteError?] = []
        for index in 0..<3 { errors.append(await arrivals.endError(of: index)) }
        return (errors, queries)
    }

    @Test("a RemoteError ends every subscriber's stream with that error, and the query leaves the registry")
    func remoteErrorPassesThrough() async throws {
        let failure = RemoteError(.notFound, "no such session")
        let (errors, _) = try await run(failingWith: failure)
        #expect(errors == [failure, failure, failure])
    }

    @Test("any other error reaches subscribers as internal, without its detail")
    func otherErrorsBecomeInternal() async throws {
        let (errors, _) = try await run(failingWith: DatabaseFailure())
        for error in errors {
            #expect(error?.code == .internal)
            #expect(error?.message.contains("password") == false)
        }
    }
}
