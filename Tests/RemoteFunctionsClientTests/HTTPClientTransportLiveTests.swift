import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The same real-socket scenarios as ``URLSessionLiveTests``, through ``HTTPClientTransport``.
@Suite(.timeLimit(.minutes(1))) struct HTTPClientTransportLiveTests {
    @Test("a unary call round-trips, and an error envelope keeps its code and message")
    func unaryCall() async throws {
        try await withLiveServer { url, _ in
            let transport = HTTPClientTransport()
            let client = RemoteClient(baseURL: url, transport: transport)
            let echo = RemoteQuery<JSONValue, JSONValue>("echo")
            for n in 0..<3 {
                // The second and third calls reuse the first call's connection.
                let output = try await client.call(echo, .object(["n": .number(Double(n))]))
                #expect(output == .object(["n": .number(Double(n))]))
            }
            let error = await #expect(throws: RemoteError.self) {
                try await client.call(RemoteQuery<Empty, JSONValue>("missing"))
            }
            #expect(error?.code == .notFound)
            #expect(error?.message == "no function 'missing'")
            await transport.shutdown()
        }
    }

    @Test("a stream delivers its values and its end")
    func streams() async throws {
        try await withLiveServer { url, _ in
            let client = RemoteClient(baseURL: url, transport: HTTPClientTransport())
            var values: [LiveTick] = []
            for try await tick in client.stream(URLSessionLiveTests.ticks, .init(count: 50)) { values.append(tick) }
            #expect(values == (1...50).map { LiveTick(i: $0) })
        }
    }

    @Test("a connection that goes silent is cut by the watchdog and resumed from Last-Event-ID")
    func resumesAfterCut() async throws {
        try await withLiveServer { url, server in
            var configuration = RemoteClient.Configuration()
            configuration.streamIdleTimeout = .milliseconds(300)
            let client = RemoteClient(baseURL: url, transport: HTTPClientTransport(), configuration: configuration)
            var values: [LiveTick] = []
            for try await tick in client.stream(URLSessionLiveTests.ticks, .init(count: 10, stallAt: 4)) {
                values.append(tick)
            }
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

    @Test("breaking out of the loop, or cancelling the reader, hangs up: the server's handlers end")
    func leavingHangsUp() async throws {
        try await withLiveServer { url, server in
            let client = RemoteClient(baseURL: url, transport: HTTPClientTransport())
            for try await _ in client.stream(URLSessionLiveTests.forever) { break }
            var ended = server.handlerEnded.makeAsyncIterator()
            _ = try #require(await ended.next())

            let (first, firstContinuation) = AsyncStream<Void>.makeStream()
            let reader = Task {
                for try await _ in client.stream(URLSessionLiveTests.forever) { firstContinuation.yield() }
            }
            var firstIterator = first.makeAsyncIterator()
            await firstIterator.next()
            reader.cancel()
            _ = try #require(await ended.next())
            let error = await #expect(throws: RemoteError.self) { try await reader.value }
            #expect(error?.code == .cancelled)
        }
    }

    @Test("many streams stay open at once on one transport")
    func manyConcurrentStreams() async throws {
        try await withLiveServer { url, server in
            let client = RemoteClient(baseURL: url, transport: HTTPClientTransport())
            let (firsts, firstContinuation) = AsyncStream<Void>.makeStream()
            let readers = (0..<50).map { _ in
                Task {
                    for try await _ in client.stream(URLSessionLiveTests.forever) { firstContinuation.yield() }
                }
            }
            var iterator = firsts.makeAsyncIterator()
            for _ in 0..<50 { await iterator.next() }
            for reader in readers { reader.cancel() }
            var ended = server.handlerEnded.makeAsyncIterator()
            for _ in 0..<50 { _ = try #require(await ended.next()) }
        }
    }

    @Test("an https URL is refused as invalid_argument, without retries")
    func refusesHTTPS() async throws {
        let client = RemoteClient(
            baseURL: try #require(URL(string: "https://127.0.0.1:1")), transport: HTTPClientTransport())
        let error = await #expect(throws: RemoteError.self) {
            try await client.call(RemoteQuery<Empty, JSONValue>("echo"))
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test("a request whose response head never comes fails after requestTimeout")
    func requestTimeout() async throws {
        // A listening socket that never accepts: the kernel completes the connection and buffers
        // the request, and no answer ever comes.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0 && listen(fd, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))

        let transport = HTTPClientTransport(requestTimeout: .milliseconds(200))
        let request = ClientRequest(
            method: "POST", url: try #require(URL(string: "http://127.0.0.1:\(port)/_remote/echo")),
            headers: [(name: "Content-Type", value: "application/json")], body: Data("{}".utf8))
        await #expect(throws: HTTPClientTransport.Timeout.self) { try await transport.send(request) }
        await transport.shutdown()
    }
}
