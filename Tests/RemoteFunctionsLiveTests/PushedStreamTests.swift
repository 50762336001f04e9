import Foundation
import RemoteFunctions
import RemoteFunctionsHTTP
import RemoteFunctionsHTTPTransport
import RemoteFunctionsLive
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

/// Streams from a pollable source (a ``Broadcast``) over real HTTP, which the server serves
/// without a task per stream.
@Suite("Pushed streams over HTTP")
struct PushedStreamTests {
    struct Event: Codable, Equatable, Sendable {
        var n: Int
    }

    static let events = RemoteStream<Empty, Event>("test.events", overflow: .bounded(64))

    /// Resolves once: a value set from any thread, awaited by one test.
    final class Signal: Sendable {
        private let state = Mutex<(fired: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func fire() {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.fired = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        func wait() async {
            await withCheckedContinuation { continuation in
                let fired = state.withLock { state -> Bool in
                    if state.fired { return true }
                    state.waiter = continuation
                    return false
                }
                if fired { continuation.resume() }
            }
        }
    }

    /// Opens `test.events` with a raw HTTP client and returns a task that collects the SSE frames
    /// (event name, data, id) until the response ends.
    static func open(
        _ url: URL, client: HTTPClient, received: @escaping @Sendable (ServerSentEvent) -> Void
    ) async throws -> Task<[ServerSentEvent], any Error> {
        let response = try await client.execute(
            url: "\(url.absoluteString)/_remote/test.events", headers: ["accept": "text/event-stream"])
        #expect(response.status == 200)
        return Task {
            var parser = ServerSentEventParser()
            var frames: [ServerSentEvent] = []
            for try await chunk in response.body {
                for event in try parser.feed(chunk) {
                    frames.append(event)
                    received(event)
                }
            }
            return frames
        }
    }

    @Test("the request's task ends once the stream is attached: a middleware's next returns while values still flow")
    func noTaskPerStream() async throws {
        let broadcast = Broadcast<Event>(overflow: .bounded(64))
        let server = RemoteServer()
        let nextReturned = Signal()
        server.use(
            ClosureMiddleware { call, context, next in
                try await next(context)
                if call.functionID == Self.events.id { nextReturned.fire() }
            })
        server.register(Self.events) { _, _ in broadcast.subscribe() }
        let client = HTTPClient()
        try await withRemoteServer(server) { url in
            let firstValue = Signal()
            let reader = try await Self.open(url, client: client) { event in
                if event.event == "next" { firstValue.fire() }
            }
            try await withTimeout("the handler's task to return") { await nextReturned.wait() }
            #expect(broadcast.subscriberCount == 1, "the subscription outlives the request's task")
            #expect(server.openStreamCount == 1)
            #expect(try broadcast.publish(Event(n: 1), cursor: "1") == 1)
            try await withTimeout("the value") { await firstValue.wait() }
            reader.cancel()
            try await SlowSocketSubscriberTests.waitUntil("the subscriber to leave") {
                broadcast.subscriberCount == 0 && server.openStreamCount == 0
            }
        }
        await client.shutdown()
    }

    @Test("values arrive in order with their cursors, and a client leaving unsubscribes at once")
    func valuesAndLeaving() async throws {
        let events = RemoteStream<Empty, Event>("test.events", overflow: .bounded(1000))
        let broadcast = Broadcast<Event>(overflow: events.overflow)
        let server = RemoteServer()
        server.register(events) { _, _ in broadcast.subscribe() }
        let client = HTTPClient()
        try await withRemoteServer(server) { url in
            let received = Mutex<[ServerSentEvent]>([])
            let allArrived = Signal()
            let reader = try await Self.open(url, client: client) { event in
                guard event.event == "next" else { return }
                let count = received.withLock { frames in
                    frames.append(event)
                    return frames.count
                }
                if count == 500 { allArrived.fire() }
            }
            try await SlowSocketSubscriberTests.waitUntil("the subscriber") { broadcast.subscriberCount == 1 }
            for n in 0..<500 {
                try broadcast.publish(Event(n: n), cursor: String(n))
            }
            try await withTimeout("500 values") { await allArrived.wait() }
            let frames = received.withLock { $0 }
            #expect(frames.map(\.data) == (0..<500).map { #"{"n":\#($0)}"# })
            #expect(frames.map(\.id) == (0..<500).map { String($0) })
            reader.cancel()
            try await SlowSocketSubscriberTests.waitUntil("the subscriber to leave") {
                broadcast.subscriberCount == 0 && server.openStreamCount == 0
            }
        }
        await client.shutdown()
    }

    @Test("an idle pushed stream gets heartbeat comments at the configured interval")
    func heartbeats() async throws {
        let broadcast = Broadcast<Event>(overflow: .bounded(64))
        let server = RemoteServer(configuration: .init(heartbeatInterval: .milliseconds(50), logger: .disabled))
        server.register(Self.events) { _, _ in broadcast.subscribe() }
        let client = HTTPClient()
        try await withRemoteServer(server) { url in
            let response = try await client.execute(
                url: "\(url.absoluteString)/_remote/test.events", headers: ["accept": "text/event-stream"])
            var text = ""
            for try await chunk in response.body {
                text += String(decoding: chunk, as: UTF8.self)
                if text.components(separatedBy: "\n:\n").count > 3 { break }
            }
            #expect(text.hasPrefix("retry: "))
            #expect(text.components(separatedBy: "\n:\n").count > 3, "three heartbeats arrived")
        }
        await client.shutdown()
    }

    @Test("a graceful shutdown ends a pushed stream with the resumable unavailable error, then closes it")
    func shutdown() async throws {
        let broadcast = Broadcast<Event>(overflow: .bounded(64))
        let server = RemoteServer(configuration: .init(logger: .disabled))
        server.register(Self.events) { _, _ in broadcast.subscribe() }
        let client = HTTPClient()
        try await withRemoteServer(server) { url in
            let attached = Signal()
            let reader = try await Self.open(url, client: client) { event in
                if event.event == "next" { attached.fire() }
            }
            try await SlowSocketSubscriberTests.waitUntil("the subscriber") { broadcast.subscriberCount == 1 }
            try broadcast.publish(Event(n: 1))
            try await withTimeout("the first value") { await attached.wait() }
            server.beginGracefulShutdown()
            let frames = try await withTimeout("the end of the stream") { try await reader.value }
            let last = try #require(frames.last)
            #expect(last.event == "error")
            let error = try RemoteJSON.decode(RemoteError.self, from: Data(last.data.utf8))
            #expect(error.code == .unavailable)
            #expect(broadcast.subscriberCount == 0, "the subscription was released")
        }
        await client.shutdown()
    }

    /// A pollable source with one value, which records when the server cancels it.
    final class RecordingSource: PollableStreamSource, AsyncSequence, Sendable {
        typealias Element = StreamItem<Event>
        let cancelled = Signal()
        private let state = Mutex<(sent: Bool, cancelledAt: ContinuousClock.Instant?)>((false, nil))

        var cancelledAt: ContinuousClock.Instant? { state.withLock { $0.cancelledAt } }

        func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
            handler()
        }

        func poll() throws -> StreamPoll<Event> {
            state.withLock { state in
                if state.sent || state.cancelledAt != nil { return .empty }
                state.sent = true
                return .item(StreamItem(Event(n: 1)))
            }
        }

        func cancel() {
            state.withLock { $0.cancelledAt = .now }
            cancelled.fire()
        }

        struct AsyncIterator: AsyncIteratorProtocol {
            mutating func next() async throws -> StreamItem<Event>? { nil }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
    }

    @Test("a client hanging up a pushed stream has its source cancelled within 100 ms")
    func hangUpCancelsSourceLatency() async throws {
        let source = RecordingSource()
        let server = RemoteServer()
        server.register(Self.events) { _, _ in source }
        let client = HTTPClient()
        try await withRemoteServer(server) { url in
            let firstValue = Signal()
            let reader = try await Self.open(url, client: client) { event in
                if event.event == "next" { firstValue.fire() }
            }
            try await withTimeout("the value") { await firstValue.wait() }
            let leftAt = ContinuousClock.now
            reader.cancel()
            try await withTimeout("the source to be cancelled") { await source.cancelled.wait() }
            let cancelledAt = try #require(source.cancelledAt)
            #expect(cancelledAt - leftAt < .milliseconds(100), "cleanup took \(cancelledAt - leftAt)")
        }
        await client.shutdown()
    }

    @Test("a client that stops reading a pushed stream is cut at the write timeout and its subscription released")
    func stalledClientIsCut() async throws {
        struct Large: Codable, Sendable {
            var n: Int
            var padding: String
        }
        let stream = RemoteStream<Empty, Large>("test.large", overflow: .latest)
        let broadcast = Broadcast<Large>(overflow: .latest)
        let server = RemoteServer(configuration: .init(logger: .disabled))
        server.register(stream) { _, _ in broadcast.subscribe() }
        let transport = HTTPServerTransport(
            configuration: HTTPServerConfiguration(writeTimeout: .milliseconds(300)))
        try await withRemoteServer(server, transport: transport) { url in
            let slow = try RawSocketSubscriber(url: url, path: "/_remote/test.large")
            defer { slow.close() }
            try await SlowSocketSubscriberTests.waitUntil("the subscriber") { broadcast.subscriberCount == 1 }
            // 256 KiB values fill the never-reading socket's buffers and then the server's outbound
            // buffer; from then on nothing moves, and the write timeout closes the connection.
            let padding = String(repeating: "x", count: 256 * 1024)
            var n = 0
            try await SlowSocketSubscriberTests.waitUntil("the stalled connection to be cut") {
                n += 1
                _ = try? broadcast.publish(Large(n: n, padding: padding))
                return broadcast.subscriberCount == 0
            }
            #expect(server.openStreamCount == 0)
            #expect(broadcast.metrics.skippedCount > 0, "the stalled subscriber skipped values first")
        }
    }
}
