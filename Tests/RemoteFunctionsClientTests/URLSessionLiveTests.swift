import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTP
import Synchronization
import Testing

/// A tiny protocol-v1 server on the HTTP core, bound to port 0, for testing the URLSession
/// transport over real sockets. It serves:
/// - `echo`: returns its JSON body;
/// - `missing`: a 404 error envelope;
/// - `ticks` `{count, stallAt?}`: `{i}` with cursor `i`, resuming after `Last-Event-ID`; the
///   first connection (no cursor) goes silent after the element `stallAt`;
/// - `forever`: one value, then waits until the client leaves and reports it on `handlerEnded`.
final class LiveTestServer: Sendable {
    struct TickArguments: Codable {
        var count: Int
        var stallAt: Int?
    }

    let handlerEnded: AsyncStream<ContinuousClock.Instant>
    private let handlerEndedContinuation: AsyncStream<ContinuousClock.Instant>.Continuation
    private let cursors = Mutex<[String?]>([])

    init() {
        (handlerEnded, handlerEndedContinuation) = AsyncStream.makeStream()
    }

    /// The `Last-Event-ID` of every `ticks` request, in order.
    var ticksCursors: [String?] { cursors.withLock { $0 } }

    func handle(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let body = try await request.body.collect(upTo: 1 << 20)
        let id = request.path.replacingOccurrences(of: RemoteWire.pathPrefix, with: "")
        let eventStream: HTTPHeaders = [
            "Content-Type": "text/event-stream", "Cache-Control": "no-store, no-transform",
        ]
        switch id {
        case "echo":
            try await writer.respond(status: 200, headers: ["Content-Type": "application/json"], body: body)
        case "ticks":
            let arguments = try JSONDecoder().decode(TickArguments.self, from: Data(body))
            let cursor = request.headers["Last-Event-ID"]
            cursors.withLock { $0.append(cursor) }
            try await writer.writeHead(status: 200, headers: eventStream)
            try await writer.write(Array("retry: 10\n\n".utf8))
            let start = (cursor.flatMap { Int($0) } ?? 0) + 1
            if start <= arguments.count {
                for index in start...arguments.count {
                    try await writer.write(
                        ServerSentEvent(event: "next", data: #"{"i":\#(index)}"#, id: "\(index)").encoded())
                    if cursor == nil && index == arguments.stallAt {
                        // Goes silent (no heartbeat) until the client gives up on this connection.
                        await waitUntilCancelled()
                        handlerEndedContinuation.yield(.now)
                        return
                    }
                }
            }
            try await writer.write(ServerSentEvent(event: "end", data: "null").encoded())
            try await writer.finish()
        case "forever":
            try await writer.writeHead(status: 200, headers: eventStream)
            try await writer.write(ServerSentEvent(event: "next", data: #"{"i":1}"#, id: "1").encoded())
            // The server cancels this task as soon as the client hangs up.
            await waitUntilCancelled()
            handlerEndedContinuation.yield(.now)
        default:
            try await writer.respond(
                status: 404, headers: ["Content-Type": "application/json"],
                body: Array(#"{"error":{"code":"not_found","message":"no function 'missing'"}}"#.utf8))
        }
    }
}

/// Returns once the current task is cancelled.
func waitUntilCancelled() async {
    let waiter = Mutex<(continuation: CheckedContinuation<Void, Never>?, cancelled: Bool)>((nil, false))
    await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let cancelled = waiter.withLock { state -> Bool in
                if !state.cancelled { state.continuation = continuation }
                return state.cancelled
            }
            if cancelled { continuation.resume() }
        }
    } onCancel: {
        let continuation = waiter.withLock { state -> CheckedContinuation<Void, Never>? in
            state.cancelled = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}

/// Runs `body` with the base URL of a ``LiveTestServer`` on port 0, then shuts the server down.
func withLiveServer(_ body: (URL, LiveTestServer) async throws -> Void) async throws {
    let handler = LiveTestServer()
    let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, loopCount: 1)) { request, writer in
        try await handler.handle(request, writer)
    }
    let (addresses, addressContinuation) = AsyncStream<HTTPServerAddress>.makeStream()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            try await server.run { addressContinuation.yield($0) }
        }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        do {
            try await body(try #require(URL(string: "http://127.0.0.1:\(address.port)")), handler)
        } catch {
            server.beginGracefulShutdown(deadline: .zero)
            throw error
        }
        server.beginGracefulShutdown(deadline: .zero)
        try await group.waitForAll()
    }
}

struct LiveTick: Codable, Sendable, Equatable { var i: Int }

@Suite(.timeLimit(.minutes(1))) struct URLSessionLiveTests {
    static let ticks = RemoteStream<LiveTestServer.TickArguments, LiveTick>("ticks")
    static let forever = RemoteStream<Empty, LiveTick>("forever")

    @Test("a unary call round-trips over a real socket")
    func unaryCall() async throws {
        try await withLiveServer { url, _ in
            let client = RemoteClient(baseURL: url)
            let echo = RemoteQuery<JSONValue, JSONValue>("echo")
            let output = try await client.call(echo, .object(["n": .number(7)]))
            #expect(output == .object(["n": .number(7)]))
            let error = await #expect(throws: RemoteError.self) {
                try await client.call(RemoteQuery<Empty, JSONValue>("missing"))
            }
            #expect(error?.code == .notFound)
            #expect(error?.message == "no function 'missing'")
        }
    }

    @Test("a stream delivers its values as they come, and its end")
    func streams() async throws {
        try await withLiveServer { url, _ in
            let client = RemoteClient(baseURL: url)
            var values: [LiveTick] = []
            for try await tick in client.stream(Self.ticks, .init(count: 50)) { values.append(tick) }
            #expect(values == (1...50).map { LiveTick(i: $0) })
        }
    }

    @Test("a connection that goes silent is cut by the watchdog and resumed from Last-Event-ID, each value once")
    func resumesAfterCut() async throws {
        try await withLiveServer { url, server in
            var configuration = RemoteClient.Configuration()
            configuration.streamIdleTimeout = .milliseconds(300)
            let client = RemoteClient(baseURL: url, configuration: configuration)
            let stream = client.stream(Self.ticks, .init(count: 10, stallAt: 4))
            var values: [LiveTick] = []
            for try await tick in stream { values.append(tick) }
            #expect(values == (1...10).map { LiveTick(i: $0) })
            // The first connection went silent after 4 (or earlier, if a loaded machine paused it for
            // longer than the watchdog): every later connection resumed after the last value received.
            let cursors = server.ticksCursors
            #expect(cursors.count >= 2 && cursors.first == .some(nil))
            let resumed = cursors.dropFirst().map { $0.flatMap { Int($0) } ?? -1 }
            #expect(resumed == resumed.sorted() && resumed.allSatisfy { (1...4).contains($0) }, "\(cursors)")
            var ended = server.handlerEnded.makeAsyncIterator()
            _ = try #require(await ended.next())
        }
    }

    @Test("breaking out of the loop makes the server's handler see the hang-up promptly")
    func breakCancelsServerHandler() async throws {
        try await withLiveServer { url, server in
            let client = RemoteClient(baseURL: url)
            var left = ContinuousClock.now
            for try await _ in client.stream(Self.forever) {
                left = .now
                break
            }
            var ended = server.handlerEnded.makeAsyncIterator()
            let handlerEnd = try #require(await ended.next())
            let latency = handlerEnd - left
            print("server handler saw the hang-up \(latency) after the loop was left")
            #expect(latency < .milliseconds(100))
        }
    }

    @Test("cancelling the reading task makes the server's handler see the hang-up")
    func taskCancellationCancelsServerHandler() async throws {
        try await withLiveServer { url, server in
            let client = RemoteClient(baseURL: url)
            let (first, firstContinuation) = AsyncStream<Void>.makeStream()
            let reader = Task {
                for try await _ in client.stream(Self.forever) { firstContinuation.yield() }
            }
            var firstIterator = first.makeAsyncIterator()
            await firstIterator.next()
            reader.cancel()
            var ended = server.handlerEnded.makeAsyncIterator()
            _ = try #require(await ended.next())
            let error = await #expect(throws: RemoteError.self) { try await reader.value }
            #expect(error?.code == .cancelled)
        }
    }

    @Test("more streams than a browser's six per host stay open at once")
    func manyConcurrentStreams() async throws {
        try await withLiveServer { url, server in
            let client = RemoteClient(baseURL: url)
            let (firsts, firstContinuation) = AsyncStream<Void>.makeStream()
            let readers = (0..<12).map { _ in
                Task {
                    for try await _ in client.stream(Self.forever) { firstContinuation.yield() }
                }
            }
            var iterator = firsts.makeAsyncIterator()
            for _ in 0..<12 { await iterator.next() }
            for reader in readers { reader.cancel() }
            var ended = server.handlerEnded.makeAsyncIterator()
            for _ in 0..<12 { _ = try #require(await ended.next()) }
        }
    }
}
