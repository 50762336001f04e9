import Foundation
import RemoteFunctions
import RemoteFunctionsHTTP
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

/// Records the instant a handler's cleanup ran.
final class InstantRecorder: Sendable {
    private let value = Mutex<ContinuousClock.Instant?>(nil)
    let signal = Signal()
    func record() {
        value.withLock { $0 = .now }
        signal.raise()
    }
    var instant: ContinuousClock.Instant? { value.withLock { $0 } }
}

enum ChannelFunctions {
    static let paced = RemoteStream<CountArguments, Tick>("channel.paced")
    static let forever = RemoteStream<Empty, Tick>("channel.forever")
}

/// The test server plus two channel streams: `channel.paced` (cursor ticks with a short pause
/// between them, resumable) and `channel.forever` (one value, then waits for cancellation).
func makeChannelServer(
    configuration: RemoteServer.Configuration = .init(logger: .disabled), started: Signal = Signal(),
    ended: InstantRecorder = InstantRecorder()
) -> RemoteServer {
    let server = makeTestServer(configuration: configuration)
    server.register(ChannelFunctions.paced) { arguments, context, yield in
        let first = context.lastEventID.flatMap(Int.init).map { $0 + 1 } ?? 0
        for i in first..<max(first, arguments.count) {
            try await yield(Tick(i: i), cursor: String(i))
            try await Task.sleep(for: .milliseconds(3))
        }
    }
    server.register(ChannelFunctions.forever) { _, _, yield in
        defer { ended.record() }
        try await yield(Tick(i: 0))
        started.raise()
        let (stream, _) = AsyncStream<Void>.makeStream()
        for await _ in stream {}
    }
    return server
}

@Suite("Multiplexed channel")
struct ChannelTests {
    let client = HTTPClient()

    @Test("a cut channel resumes every subscription from its own cursor: nothing lost, nothing twice")
    func cutAndResume() async throws {
        let server = makeChannelServer()
        try await withRemoteServer(server) { url in
            let count = 120
            let subs = (0..<8).map { "s\($0)" }
            var received: [String: [Int]] = [:]
            var cursors: [String: String] = [:]
            var ended: Set<String> = []

            let first = try await ChannelProbe.open(client, url: url)
            for sub in subs {
                let answer = try await first.subscribe(sub, id: "channel.paced", args: #"{"count":\#(count)}"#)
                #expect(answer.status == 204)
            }
            // Read until every subscription has delivered at least 10 values, then cut.
            for await event in first.events {
                guard let frame = ChannelFrame(event) else { continue }
                if event.event == "next", case .object(let object)? = frame.value, case .number(let i)? = object["i"] {
                    received[frame.sub, default: []].append(Int(i))
                    cursors[frame.sub] = frame.cursor
                } else if event.event == "end" {
                    ended.insert(frame.sub)
                }
                if subs.allSatisfy({ (received[$0]?.count ?? 0) >= 10 }) { break }
            }
            first.cut()
            #expect(ended.count < subs.count, "the cut came mid-stream")

            let second = try await ChannelProbe.open(client, url: url)
            for sub in subs where !ended.contains(sub) {
                let answer = try await second.subscribe(
                    sub, id: "channel.paced", args: #"{"count":\#(count)}"#, lastEventID: cursors[sub])
                #expect(answer.status == 204)
            }
            for await event in second.events {
                guard let frame = ChannelFrame(event) else { continue }
                if event.event == "next", case .object(let object)? = frame.value, case .number(let i)? = object["i"] {
                    received[frame.sub, default: []].append(Int(i))
                } else if event.event == "end" {
                    ended.insert(frame.sub)
                }
                if ended.count == subs.count { break }
            }
            second.cut()
            for sub in subs {
                #expect(received[sub] == Array(0..<count), "subscription \(sub)")
            }
            // The first channel's handlers were cancelled with it.
            try await waitUntil { server.openChannelCount == 0 }
        }
        await client.shutdown()
    }

    @Test("unsubscribe cancels the server handler within 100 ms")
    func unsubscribeStopsHandlerLatency() async throws {
        let started = Signal()
        let ended = InstantRecorder()
        let server = makeChannelServer(started: started, ended: ended)
        try await withRemoteServer(server) { url in
            let channel = try await ChannelProbe.open(client, url: url)
            #expect(try await channel.subscribe("f", id: "channel.forever").status == 204)
            try await started.wait()
            let sent = ContinuousClock.now
            #expect(try await channel.unsubscribe("f") == 204)
            try await ended.signal.wait()
            let stopped = try #require(ended.instant)
            #expect(stopped - sent < .milliseconds(100))
            channel.cut()
        }
        await client.shutdown()
    }

    @Test("the channel's connection dropping cancels every subscription's handler")
    func dropCancelsHandlers() async throws {
        let started = Signal()
        let ended = InstantRecorder()
        let server = makeChannelServer(started: started, ended: ended)
        try await withRemoteServer(server) { url in
            let channel = try await ChannelProbe.open(client, url: url)
            #expect(try await channel.subscribe("f", id: "channel.forever").status == 204)
            try await started.wait()
            channel.cut()
            try await ended.signal.wait()
            try await waitUntil { server.openChannelCount == 0 }
        }
        await client.shutdown()
    }

    @Test("another identity, or an unknown channel id, is refused with 403")
    func foreignChannelIsRefused() async throws {
        try await withRemoteServer(makeChannelServer()) { url in
            let channel = try await ChannelProbe.open(client, url: url, headers: ["Cookie": "session=alice"])
            let mallory = try await channel.subscribe(
                "a", id: "channel.paced", args: #"{"count":1}"#, headers: ["Cookie": "session=mallory"])
            #expect(mallory.status == 403)
            #expect(jsonError(mallory.body)?.code == .permissionDenied)
            let bearer = try await channel.subscribe(
                "a", id: "channel.paced", args: #"{"count":1}"#,
                headers: ["Cookie": "session=alice", "Authorization": "Bearer other"])
            #expect(bearer.status == 403)
            let unknown = try await channel.subscribe(
                "a", id: "channel.paced", args: #"{"count":1}"#, channelID: String(repeating: "0", count: 32))
            #expect(unknown.status == 403)
            #expect(jsonError(unknown.body)?.code == .permissionDenied)
            let alice = try await channel.subscribe("a", id: "channel.paced", args: #"{"count":1}"#)
            #expect(alice.status == 204)
            channel.cut()
        }
        await client.shutdown()
    }

    @Test("early errors of a subscribe are its HTTP errors, exactly as for a direct call")
    func earlyErrors() async throws {
        try await withRemoteServer(makeChannelServer()) { url in
            let channel = try await ChannelProbe.open(client, url: url)
            let unknown = try await channel.subscribe("a", id: "no.such")
            #expect(unknown.status == 404)
            let badArguments = try await channel.subscribe("a", id: "channel.paced", args: #"{"count":"x"}"#)
            #expect(badArguments.status == 400)
            #expect(jsonError(badArguments.body)?.message == "invalid argument at 'count': expected Int")
            let guarded = try await channel.subscribe("a", id: "test.guarded")
            let direct = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.guarded", headers: ["Accept": "text/event-stream"])
            _ = try await direct.text
            #expect(guarded.status == direct.status)
            #expect(guarded.status != 204)
            let query = try await channel.subscribe("a", id: "test.echo", args: #"{"n":1}"#)
            #expect(query.status == 400)
            // After all these failures the name is free again.
            #expect(try await channel.subscribe("a", id: "channel.paced", args: #"{"count":1}"#).status == 204)
            channel.cut()
        }
        await client.shutdown()
    }

    @Test("past the subscription limit the answer is resource_exhausted")
    func subscriptionLimit() async throws {
        var configuration = RemoteServer.Configuration(logger: .disabled)
        configuration.channel.maxSubscriptions = 3
        try await withRemoteServer(makeChannelServer(configuration: configuration)) { url in
            let channel = try await ChannelProbe.open(client, url: url)
            for index in 0..<3 {
                #expect(try await channel.subscribe("f\(index)", id: "channel.forever").status == 204)
            }
            let refused = try await channel.subscribe("f3", id: "channel.forever")
            #expect(refused.status == 429)
            #expect(jsonError(refused.body)?.code == .resourceExhausted)
            #expect(try await channel.unsubscribe("f0") == 204)
            #expect(try await channel.subscribe("f3", id: "channel.forever").status == 204)
            channel.cut()
        }
        await client.shutdown()
    }

    @Test("/metrics counts open channels and their subscriptions")
    func metrics() async throws {
        let server = makeChannelServer()
        try await withRemoteServer(server) { url in
            let channel = try await ChannelProbe.open(client, url: url)
            #expect(try await channel.subscribe("f", id: "channel.forever").status == 204)
            let text = try await client.execute(url: "\(url)/metrics").text
            #expect(text.contains("remote_open_channels 1\n"))
            #expect(text.contains("remote_channel_subscriptions 1\n"))
            channel.cut()
        }
        await client.shutdown()
    }
}

/// Polls `condition` until it holds, failing after `timeout` (for states that raise no signal).
func waitUntil(timeout: Duration = .seconds(20), _ condition: @escaping @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut() }
        try await Task.sleep(for: .milliseconds(10))
    }
}
