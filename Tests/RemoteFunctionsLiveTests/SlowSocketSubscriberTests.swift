import Foundation
import RemoteFunctions
import RemoteFunctionsHTTP
import RemoteFunctionsHTTPTransport
import RemoteFunctionsLive
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A live stream served over real HTTP, with one subscriber that is a raw socket that never reads.
@Suite("A slow subscriber over real HTTP")
struct SlowSocketSubscriberTests {
    /// A large value, so that a socket that never reads fills its buffers within a few changes.
    struct Payload: Codable, Equatable, Sendable {
        var n: Int
        var padding: String
    }

    static let padding = String(repeating: "x", count: 128 * 1024)

    /// A server whose stream `test.live` is a shared live query of `source` on topic `t`.
    struct Harness {
        let feed = ChangeFeed()
        let metrics = LiveMetrics()
        let source = Source()
        let server = RemoteServer()

        init(overflow: StreamOverflowPolicy) {
            let queries = LiveQueries(feed: feed, metrics: metrics)
            let source = source
            let stream = RemoteStream<Empty, Payload>("test.live", overflow: overflow)
            server.register(stream) { _, _ in
                queries.subscribe(
                    LiveQueryKey(function: stream.id, arguments: "null"), topics: ["t"], overflow: stream.overflow,
                    cursor: { String($0.n) },
                    evaluate: { Payload(n: await source.read(), padding: SlowSocketSubscriberTests.padding) })
            }
        }

        func change(to value: Int) {
            source.set(value)
            feed.publish(["t"])
        }
    }

    /// Waits until `condition` holds. Used only where no signal exists (a count that the server
    /// changes on its own threads).
    static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Reads `next` frames from a real HTTP client in its own task, recording each value.
    static func readFast(_ url: URL, client: HTTPClient, into arrivals: Arrivals) async throws -> Task<Void, Never> {
        let response = try await client.execute(
            url: "\(url.absoluteString)/_remote/test.live", headers: ["accept": "text/event-stream"])
        #expect(response.status == 200)
        return Task {
            var parser = ServerSentEventParser()
            do {
                for try await chunk in response.body {
                    for event in try parser.feed(chunk) where event.event == "next" {
                        let payload = try RemoteJSON.decode(Payload.self, from: Data(event.data.utf8))
                        await arrivals.record(subscriber: 0, value: payload.n)
                    }
                }
                await arrivals.recordEnd(subscriber: 0, error: nil)
            } catch {
                await arrivals.recordEnd(subscriber: 0, error: error)
            }
        }
    }

    @Test(".latest: a raw socket that never reads keeps skipping to the newest value while a reader gets every one")
    func latest() async throws {
        let harness = Harness(overflow: .latest)
        let client = HTTPClient()
        try await withRemoteServer(harness.server) { url in
            let slow = try RawSocketSubscriber(url: url, path: "/_remote/test.live")
            defer { slow.close() }
            try await Self.waitUntil("the slow subscriber to subscribe") { harness.metrics.subscriberCount == 1 }
            let arrivals = Arrivals()
            let fast = try await Self.readFast(url, client: client, into: arrivals)
            try await withTimeout("the first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
            let changes = 60
            for value in 1...changes {
                harness.change(to: value)
                try await withTimeout("value \(value) at the reader") {
                    await arrivals.wait(until: .subscribers(1, at: value))
                }
            }
            #expect(await arrivals.values(of: 0) == Array(0...changes))
            // The socket's buffers filled after a few 128 KiB values; from then on its one-value
            // buffer was overwritten at each change.
            #expect(harness.metrics.skippedCount > 0)
            #expect(harness.metrics.subscriberCount == 2, "the slow subscriber is still subscribed")
            #expect(harness.metrics.boundedEndedCount == 0)
            #expect(harness.metrics.evaluationCount == 1 + changes)
            fast.cancel()
        }
        await client.shutdown()
    }

    @Test(".bounded(n): a raw socket that never reads is ended and unsubscribed while a reader gets every value")
    func bounded() async throws {
        let harness = Harness(overflow: .bounded(4))
        let client = HTTPClient()
        try await withRemoteServer(harness.server) { url in
            let slow = try RawSocketSubscriber(url: url, path: "/_remote/test.live")
            defer { slow.close() }
            try await Self.waitUntil("the slow subscriber to subscribe") { harness.metrics.subscriberCount == 1 }
            let arrivals = Arrivals()
            let fast = try await Self.readFast(url, client: client, into: arrivals)
            try await withTimeout("the first value") { await arrivals.wait(until: .subscribers(1, at: 0)) }
            let changes = 60
            for value in 1...changes {
                harness.change(to: value)
                try await withTimeout("value \(value) at the reader") {
                    await arrivals.wait(until: .subscribers(1, at: value))
                }
            }
            #expect(await arrivals.values(of: 0) == Array(0...changes))
            #expect(harness.metrics.boundedEndedCount == 1)
            #expect(harness.metrics.subscriberCount == 1, "the slow subscriber's slot is freed")
            fast.cancel()
        }
        await client.shutdown()
    }
}

/// A subscriber that sends its request on a plain socket with a small receive buffer and never
/// reads the response.
final class RawSocketSubscriber: Sendable {
    let descriptor: Int32

    struct Failure: Error {
        var what: String
    }

    init(url: URL, path: String) throws {
        guard let port = url.port else { throw Failure(what: "no port in \(url)") }
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(what: "socket") }
        var size: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw Failure(what: "connect")
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else {
            Glibc.close(descriptor)
            throw Failure(what: "send")
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}
