import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

/// The functions of the end-to-end suite.
enum EndToEnd {
    struct CountArguments: Codable, Sendable {
        var count: Int
        /// The first connection (without a cursor) fails with `unavailable` after this element.
        var failAt: Int?
        /// After this element, the stream ends with `permission_denied`.
        var denyAfter: Int?
    }

    static let echo = RemoteQuery<EchoArguments, EchoOutput>("e2e.echo")
    static let create = RemoteCommand<EchoArguments, EchoOutput>("e2e.create")
    static let missing = RemoteQuery<Empty, Empty>("e2e.missing")
    static let conflict = RemoteCommand<Empty, Empty>("e2e.conflict")
    static let crash = RemoteQuery<Empty, Empty>("e2e.crash")
    static let count = RemoteStream<CountArguments, Tick>("e2e.count")
    static let forever = RemoteStream<Empty, Tick>("e2e.forever")

    /// Signals of the `forever` handler: it yields one value, waits, and reports when its
    /// `defer` runs.
    final class Probe: Sendable {
        let ended: AsyncStream<ContinuousClock.Instant>
        private let endedContinuation: AsyncStream<ContinuousClock.Instant>.Continuation
        private let cursors = Mutex<[String?]>([])

        init() { (ended, endedContinuation) = AsyncStream.makeStream() }

        var resumeCursors: [String?] { cursors.withLock { $0 } }
        func record(cursor: String?) { cursors.withLock { $0.append(cursor) } }
        func handlerEnded() { endedContinuation.yield(.now) }
    }

    struct Crash: Error {}

    static func makeServer(probe: Probe) -> RemoteServer {
        let server = RemoteServer(configuration: .init(logger: .disabled))
        server.register(echo) { arguments, _ in EchoOutput(n: arguments.n, ok: true) }
        server.register(create) { arguments, _ in EchoOutput(n: arguments.n + 1, ok: true) }
        server.register(conflict) { _, _ -> Empty in
            throw RemoteError(.aborted, "version conflict", details: .object(["version": .number(3)]))
        }
        server.register(crash) { _, _ -> Empty in throw Crash() }
        server.register(count) { arguments, context, yield in
            probe.record(cursor: context.lastEventID)
            let start = context.lastEventID.flatMap { Int($0) }.map { $0 + 1 } ?? 1
            guard start <= arguments.count else { return }
            for index in start...arguments.count {
                try await yield(Tick(i: index), cursor: "\(index)")
                if context.lastEventID == nil && index == arguments.failAt {
                    throw RemoteError(.unavailable, "try again")
                }
                if index == arguments.denyAfter {
                    throw RemoteError(.permissionDenied, "you left the session")
                }
            }
        }
        server.register(forever) { _, _, yield in
            defer { probe.handlerEnded() }
            try await yield(Tick(i: 1), cursor: "1")
            await waitUntilCancelled()
        }
        return server
    }
}

@Suite(.timeLimit(.minutes(1))) struct RemoteClientEndToEndTests {
    @Test("queries and commands return their typed outputs over HTTP")
    func unary() async throws {
        let probe = EndToEnd.Probe()
        try await withRemoteServer(EndToEnd.makeServer(probe: probe)) { url in
            let client = RemoteClient(baseURL: url)
            let echoed = try await client.call(EndToEnd.echo, EchoArguments(n: 41))
            #expect(echoed == EchoOutput(n: 41, ok: true))
            let created = try await client.call(EndToEnd.create, EchoArguments(n: 1))
            #expect(created == EchoOutput(n: 2, ok: true))
        }
    }

    @Test("the server's typed errors reach the caller with code, message and details")
    func typedErrors() async throws {
        let probe = EndToEnd.Probe()
        try await withRemoteServer(EndToEnd.makeServer(probe: probe)) { url in
            let client = RemoteClient(baseURL: url)
            let conflict = await #expect(throws: RemoteError.self) { try await client.call(EndToEnd.conflict) }
            #expect(conflict == RemoteError(.aborted, "version conflict", details: .object(["version": .number(3)])))
            let missing = await #expect(throws: RemoteError.self) {
                try await client.call(RemoteQuery<Empty, Empty>("e2e.nothing"))
            }
            #expect(missing?.code == .notFound)
            let crash = await #expect(throws: RemoteError.self) { try await client.call(EndToEnd.crash) }
            #expect(crash?.code == .internal)
            #expect(crash?.message.contains("Crash") == false)
        }
    }

    @Test("a stream delivers its values and ends")
    func streamEnds() async throws {
        let probe = EndToEnd.Probe()
        try await withRemoteServer(EndToEnd.makeServer(probe: probe)) { url in
            let client = RemoteClient(baseURL: url)
            let stream = client.stream(EndToEnd.count, .init(count: 20))
            var values: [Tick] = []
            for try await tick in stream { values.append(tick) }
            #expect(values == (1...20).map { Tick(i: $0) })
            #expect(stream.state == .closed)
            #expect(stream.lastEventID == "20")
        }
    }

    @Test("an error in the middle of a stream ends the loop with the typed error")
    func streamError() async throws {
        let probe = EndToEnd.Probe()
        try await withRemoteServer(EndToEnd.makeServer(probe: probe)) { url in
            let client = RemoteClient(baseURL: url)
            let stream = client.stream(EndToEnd.count, .init(count: 20, denyAfter: 3))
            let (values, error) = await readAll(stream)
            #expect(values == (1...3).map { Tick(i: $0) })
            #expect(error == RemoteError(.permissionDenied, "you left the session"))
            #expect(probe.resumeCursors == [nil])
        }
    }

    @Test("a retryable error mid-stream reconnects with Last-Event-ID; every value arrives once")
    func streamResumes() async throws {
        let probe = EndToEnd.Probe()
        try await withRemoteServer(EndToEnd.makeServer(probe: probe)) { url in
            let client = RemoteClient(baseURL: url)
            let (values, error) = await readAll(client.stream(EndToEnd.count, .init(count: 30, failAt: 12)))
            #expect(error == nil)
            #expect(values == (1...30).map { Tick(i: $0) })
            #expect(probe.resumeCursors == [nil, "12"])
        }
    }

    @Test("leaving the loop runs the server handler's cleanup within 100 ms")
    func breakCancelsHandlerLatency() async throws {
        let probe = EndToEnd.Probe()
        let server = EndToEnd.makeServer(probe: probe)
        try await withRemoteServer(server) { url in
            let client = RemoteClient(baseURL: url)
            var left = ContinuousClock.now
            for try await _ in client.stream(EndToEnd.forever) {
                left = .now
                break
            }
            var ended = probe.ended.makeAsyncIterator()
            let end = try #require(await ended.next())
            #expect(end - left < .milliseconds(100))
        }
        #expect(server.openStreamCount == 0)
    }

    @Test("a graceful server shutdown is a resumable error, not the end of the stream")
    func shutdownIsRetryable() async throws {
        let probe = EndToEnd.Probe()
        let server = EndToEnd.makeServer(probe: probe)
        let (states, statesContinuation) = AsyncStream<RemoteConnectionState>.makeStream()
        try await withRemoteServer(server) { url in
            var configuration = RemoteClient.Configuration()
            configuration.streamReconnect.maximumAttempts = 1
            let client = RemoteClient(baseURL: url, configuration: configuration)
            let stream = client.stream(EndToEnd.forever)
            let reader = Task { await readAll(stream) }
            let listener = Task {
                for await state in stream.states { statesContinuation.yield(state) }
                statesContinuation.finish()
            }
            var ended = probe.ended.makeAsyncIterator()
            var iterator = states.makeAsyncIterator()
            while let state = await iterator.next(), state != .open {}
            server.beginGracefulShutdown()
            _ = await ended.next()
            let (values, error) = await reader.value
            #expect(values == [Tick(i: 1)])
            // With one attempt allowed, the client reports the server's retryable error.
            #expect(error?.code == .unavailable)
            #expect(error?.isRetryable == true)
            listener.cancel()
        }
    }
}
