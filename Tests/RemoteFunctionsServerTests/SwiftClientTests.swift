import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// A client for `url` over URLSession (the default transport) that reconnects without delay.
func makeClient(_ url: URL) -> RemoteClient {
    RemoteClient(baseURL: url, configuration: .init(sleep: { _ in }))
}

@Suite("Swift client against the server over real sockets")
struct SwiftClientTests {
    @Test("unary calls return outputs and typed errors")
    func unary() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let client = makeClient(url)
            #expect(try await client.call(TestFunctions.echo, EchoArguments(n: 41)) == EchoOutput(n: 41, ok: true))
            #expect(try await client.call(TestFunctions.increment, EchoArguments(n: 1)) == EchoOutput(n: 2, ok: true))
            do {
                _ = try await client.call(TestFunctions.fail, CodeArguments(code: "already_exists"))
                Issue.record("the call did not fail")
            } catch let error as RemoteError {
                #expect(error.code == .alreadyExists)
                #expect(error.message == "failed with already_exists")
            }
        }
    }

    @Test("a stream yields every value and ends; an error mid-stream ends the loop with it")
    func streams() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let client = makeClient(url)
            var values: [Int] = []
            for try await tick in client.stream(TestFunctions.ticks, CountArguments(count: 200)) {
                values.append(tick.i)
            }
            #expect(values == Array(0..<200))
            var seen = 0
            do {
                for try await _ in client.stream(TestFunctions.failingStream, CountArguments(count: 3)) { seen += 1 }
                Issue.record("the stream did not fail")
            } catch let error as RemoteError {
                #expect(error.code == .aborted)
            }
            #expect(seen == 3)
        }
    }

    /// The 100 ms bound of issue 3, through URLSession. Like every test whose name ends in
    /// `Latency`, it runs in a separate, serial pass (`scripts/test-all.sh`), because on a 2-core
    /// machine the parallel suite's own load delays thread wake-ups by more than the bound
    /// (measured under 1 ms alone, up to ~170 ms inside the parallel run).
    @Test("leaving the loop stops the server handler promptly")
    func leavingTheLoopLatency() async throws {
        let ended = Signal()
        let server = makeTestServer(onForeverEnd: ended)
        try await withRemoteServer(server) { url in
            let client = makeClient(url)
            // Warm the connection pool and both sides' code paths so the timing measures cleanup only.
            _ = try await client.call(TestFunctions.echo, EchoArguments(n: 0))
            for try await tick in client.stream(TestFunctions.forever) {
                #expect(tick.i == 0)
                break
            }
            let elapsed = try await ended.wait()
            print("Swift client: server handler cleanup \(elapsed) after leaving the loop")
            #expect(elapsed < .milliseconds(100))
        }
        #expect(server.openStreamCount == 0)
    }

    @Test("after cut connections the client resumes and receives every element exactly once")
    func resumeAfterCuts() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let client = makeClient(url)
            var values: [Int] = []
            for try await tick in client.stream(TestFunctions.cutTicks, CountArguments(count: 100)) {
                values.append(tick.i)
            }
            #expect(values == Array(0..<100))
        }
    }

    @Test("a graceful shutdown reaches the Swift client as a resumable ending")
    func shutdown() async throws {
        let started = Signal()
        let server = makeTestServer(onForeverStart: started)
        let transport = HTTPServerTransport()
        let running = Task { try await server.run(on: transport) }
        let address = try #require(await transport.listeningAddress())
        let client = RemoteClient(
            baseURL: try #require(URL(string: "http://\(address)")),
            configuration: .init(streamReconnect: .never))
        let reader = Task { () -> RemoteError? in
            do {
                for try await _ in client.stream(TestFunctions.forever) {}
                return nil
            } catch {
                return error as? RemoteError
            }
        }
        try await started.wait()
        server.beginGracefulShutdown()
        let error = await reader.value
        #expect(error?.code == .unavailable)
        try await running.value
    }
}
