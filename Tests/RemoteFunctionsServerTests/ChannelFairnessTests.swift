import Foundation
import Testing

@testable import RemoteFunctionsServer

/// The channel writer's turn-taking, driven directly: frames are pushed into subscription buffers
/// and taken by the writer, with no socket in between, so the order is exact.
@Suite("Channel fairness")
struct ChannelFairnessTests {
    /// The subscription name in a frame written by `frame(_:index:)`.
    private static func owner(_ frame: [UInt8]) -> String {
        String(decoding: frame.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }

    private static func frame(_ name: String, index: Int) -> [UInt8] {
        Array("\(name):\(index)\n".utf8)
    }

    /// The frames of one writer turn, split back into frames.
    private static func frames(_ work: RemoteChannel.Work) -> [String] {
        guard case .frames(let bytes) = work else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(
        "a frame that is ready waits behind at most one frame of each other subscription, even when their buffers are full"
    )
    func stalledNeighboursDoNotDelay() async throws {
        // maxWriteBytes 1: every writer turn hands out exactly one frame.
        let channel = RemoteChannel(id: "c", owner: "", maxSubscriptions: 10, maxWriteBytes: 1)
        let floods = ["a", "b", "c"]
        var tokens: [String: Int] = [:]
        for name in floods { tokens[name] = try channel.add(name: name, policy: .bounded(8)) }
        // Fill every flood buffer to its bound, and leave one producer per flood waiting for room.
        for name in floods {
            for index in 0..<8 {
                try await channel.push(Self.frame(name, index: index), token: tokens[name] ?? 0, final: false)
            }
        }
        let producers = floods.map { name in
            let token = tokens[name] ?? 0
            return Task { try await channel.push(Self.frame(name, index: 8), token: token, final: false) }
        }
        // Some turns go to the floods before the neighbour has anything.
        for _ in 0..<5 { _ = await channel.nextWork() }

        let neighbour = try channel.add(name: "n", policy: .bounded(8))
        try await channel.push(Self.frame("n", index: 0), token: neighbour, final: false)
        var before = 0
        while true {
            let frames = Self.frames(await channel.nextWork())
            #expect(frames.count == 1)
            if frames.contains(where: { Self.owner(Array($0.utf8)) == "n" }) { break }
            before += 1
            #expect(before <= floods.count, "the neighbour waited behind more than one frame per other subscription")
            if before > floods.count { break }
        }
        #expect(before <= floods.count)
        channel.close()
        for producer in producers { _ = await producer.result }
    }

    @Test("with .latest a subscription keeps only its newest unread value")
    func latestKeepsNewest() async throws {
        let channel = RemoteChannel(id: "c", owner: "", maxSubscriptions: 10, maxWriteBytes: 1 << 20)
        let token = try channel.add(name: "s", policy: .latest)
        for index in 0..<100 {
            try await channel.push(Self.frame("s", index: index), token: token, final: false)
        }
        #expect(Self.frames(await channel.nextWork()) == ["s:99"])
        channel.close()
    }

    @Test("a turn gathers frames round-robin across subscriptions")
    func roundRobinOrder() async throws {
        let channel = RemoteChannel(id: "c", owner: "", maxSubscriptions: 10, maxWriteBytes: 1 << 20)
        let a = try channel.add(name: "a", policy: .bounded(8))
        let b = try channel.add(name: "b", policy: .bounded(8))
        for index in 0..<3 { try await channel.push(Self.frame("a", index: index), token: a, final: false) }
        try await channel.push(Self.frame("b", index: 0), token: b, final: false)
        #expect(Self.frames(await channel.nextWork()) == ["a:0", "b:0", "a:1", "a:2"])
        channel.close()
    }
}
