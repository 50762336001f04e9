import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsTesting
import Synchronization
import Testing

@testable import RemoteFunctionsServer

/// A client whose streams travel on one channel, and that reconnects without delay.
private func makeChannelClient(_ url: URL) -> RemoteClient {
    var configuration = RemoteClient.Configuration(sleep: { _ in })
    configuration.streamsOnChannel = true
    return RemoteClient(baseURL: url, configuration: configuration)
}

/// The most channels and single streams the server had open at the moments they were sampled.
private final class ObservedCounts: Sendable {
    private let counts = Mutex((channels: 0, streams: 0))

    func record(channels: Int, streams: Int) {
        counts.withLock { $0 = (max($0.channels, channels), max($0.streams, streams)) }
    }

    var maximum: (channels: Int, streams: Int) { counts.withLock { $0 } }
}

@Suite("Swift client on the channel")
struct ChannelSwiftClientTests {
    @Test("ten streams share one channel: no stream has its own request, each yields every value")
    func tenStreamsOneChannel() async throws {
        let server = makeChannelServer()
        let observed = ObservedCounts()
        try await withRemoteServer(server) { url in
            let client = makeChannelClient(url)
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for n in 0..<10 {
                    group.addTask {
                        var values: [Int] = []
                        for try await tick in client.stream(ChannelFunctions.paced, CountArguments(count: 40 + n)) {
                            values.append(tick.i)
                            if tick.i == 20 {
                                observed.record(channels: server.openChannelCount, streams: server.openStreamCount)
                            }
                        }
                        return values
                    }
                }
                var all: [[Int]] = []
                for try await values in group { all.append(values) }
                return all
            }
            #expect(results.map(\.count).sorted() == (0..<10).map { 40 + $0 })
            for values in results { #expect(values == Array(0..<values.count)) }
        }
        #expect(observed.maximum.channels == 1)
        #expect(observed.maximum.streams == 0)
    }

    @Test("the channel cut mid-stream: every stream resumes from its own cursor, nothing lost or twice")
    func cutMidStream() async throws {
        let server = makeChannelServer()
        let cut = Signal()
        try await withRemoteServer(server) { url in
            let client = makeChannelClient(url)
            let cutter = Task {
                try await cut.wait()
                let first = server.channels.all
                #expect(first.count == 1)
                for channel in first { channel.close() }
                // The client opens a new channel and subscribes there again.
                let firstIDs = Set(first.map(\.id))
                try await waitUntil { server.channels.all.contains { !firstIDs.contains($0.id) } }
            }
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for n in 0..<6 {
                    group.addTask {
                        var values: [Int] = []
                        for try await tick in client.stream(ChannelFunctions.paced, CountArguments(count: 150)) {
                            values.append(tick.i)
                            if n == 0 && tick.i == 30 { cut.raise() }
                        }
                        return values
                    }
                }
                var all: [[Int]] = []
                for try await values in group { all.append(values) }
                return all
            }
            try await cutter.value
            for values in results { #expect(values == Array(0..<150)) }
        }
    }

    @Test("a server without the channel endpoint: streams fall back to one request each")
    func fallback() async throws {
        var configuration = RemoteServer.Configuration(logger: .disabled)
        configuration.channel.isEnabled = false
        let server = makeChannelServer(configuration: configuration)
        try await withRemoteServer(server) { url in
            let client = makeChannelClient(url)
            for _ in 0..<2 {
                var values: [Int] = []
                for try await tick in client.stream(TestFunctions.ticks, CountArguments(count: 20)) {
                    values.append(tick.i)
                }
                #expect(values == Array(0..<20))
            }
            #expect(server.openChannelCount == 0)
        }
    }

    @Test("a subscribe's early error reaches the loop as the same typed error as a direct call")
    func earlyError() async throws {
        try await withRemoteServer(makeChannelServer()) { url in
            func failure(_ client: RemoteClient) async -> RemoteError? {
                do {
                    for try await _ in client.stream(TestFunctions.guarded) {}
                } catch {
                    return error
                }
                return nil
            }
            let direct = try #require(await failure(makeClient(url)))
            let onChannel = try #require(await failure(makeChannelClient(url)))
            #expect(onChannel.code == direct.code)
            #expect(onChannel.message == direct.message)
        }
    }
}
