import Foundation
import RemoteFunctions
import RemoteFunctionsServer

struct EchoArguments: Codable, Sendable, Equatable { var n: Int }
struct EchoOutput: Codable, Sendable, Equatable {
    var n: Int
    var ok: Bool
}
struct Nested: Codable, Sendable { var inner: Inner }
struct Inner: Codable, Sendable { var values: [Int] }
struct CountArguments: Codable, Sendable { var count: Int }
struct Tick: Codable, Sendable, Equatable { var i: Int }
struct CodeArguments: Codable, Sendable { var code: String }

enum TestFunctions {
    static let echo = RemoteQuery<EchoArguments, EchoOutput>("test.echo")
    static let nested = RemoteQuery<Nested, Int>("test.nested")
    static let fail = RemoteQuery<CodeArguments, Empty>("test.fail")
    static let crash = RemoteQuery<Empty, Empty>("test.crash")
    static let increment = RemoteCommand<EchoArguments, EchoOutput>("test.increment")
    static let whoAmI = RemoteQuery<Empty, String>("test.whoami")
    static let ticks = RemoteStream<CountArguments, Tick>("test.ticks")
    static let sequenceTicks = RemoteStream<CountArguments, Tick>("test.sequenceTicks")
    static let failingStream = RemoteStream<CountArguments, Tick>("test.failingStream")
    static let crashingStream = RemoteStream<Empty, Tick>("test.crashingStream")
    static let forever = RemoteStream<Empty, Tick>("test.forever")
    static let guarded = RemoteStream<Empty, Tick>("test.guarded")
    static let resumeCursor = RemoteStream<Empty, String>("test.resumeCursor")
    static let shared = RemoteStream<Empty, Tick>("test.shared")
    static let cutTicks = RemoteStream<CountArguments, Tick>("test.cutTicks")
}

struct CrashError: Error {
    var secret = "database password is hunter2"
}

extension RequestContext.Key where Value == String {
    static let user = RequestContext.Key<String>("user")
}

/// A server with the test functions. `onForeverEnd` is raised from the `defer` of the endless
/// stream's handler, so tests can observe its cleanup.
func makeTestServer(
    configuration: RemoteServer.Configuration = .init(logger: .disabled), onForeverStart: Signal = Signal(),
    onForeverEnd: Signal = Signal()
) -> RemoteServer {
    let server = RemoteServer(configuration: configuration)
    server.register(TestFunctions.echo) { arguments, _ in EchoOutput(n: arguments.n, ok: true) }
    server.register(TestFunctions.nested) { arguments, _ in arguments.inner.values.reduce(0, +) }
    server.register(TestFunctions.fail) { arguments, _ in
        let code = RemoteError.Code(wireName: arguments.code) ?? .unknown
        throw RemoteError(code, "failed with \(code)", details: .object(["hint": .string("test")]))
    }
    server.register(TestFunctions.crash) { _, _ in throw CrashError() }
    server.register(TestFunctions.increment) { arguments, _ in EchoOutput(n: arguments.n + 1, ok: true) }
    server.register(TestFunctions.whoAmI) { _, context in context[.user] ?? "anonymous" }
    server.register(TestFunctions.ticks) { arguments, context, yield in
        let first = context.lastEventID.flatMap(Int.init).map { $0 + 1 } ?? 0
        for i in first..<max(first, arguments.count) { try await yield(Tick(i: i), cursor: String(i)) }
    }
    server.register(TestFunctions.sequenceTicks) { arguments, _ in
        AsyncStream<StreamItem<Tick>> { continuation in
            for i in 0..<arguments.count { continuation.yield(StreamItem(Tick(i: i), cursor: String(i))) }
            continuation.finish()
        }
    }
    server.register(TestFunctions.failingStream) { arguments, _, yield in
        for i in 0..<arguments.count { try await yield(Tick(i: i)) }
        throw RemoteError(.aborted, "stopped after \(arguments.count)")
    }
    server.register(TestFunctions.crashingStream) { _, _, yield in
        try await yield(Tick(i: 0))
        throw CrashError()
    }
    server.register(TestFunctions.forever) { _, _, yield in
        defer { onForeverEnd.raise() }
        try await yield(Tick(i: 0))
        onForeverStart.raise()
        // Waits for cancellation without producing anything.
        let (stream, _) = AsyncStream<Void>.makeStream()
        for await _ in stream {}
    }
    server.register(TestFunctions.guarded, guard: .requires(.user)) { _, context, yield in
        try await yield(Tick(i: 1))
    }
    server.register(TestFunctions.resumeCursor) { _, context, yield in
        try await yield(context.lastEventID ?? "none")
    }
    // Drops the connection (no final frame) after every 15th element, like a network cut; a
    // client that resumes with its last cursor still gets every element exactly once.
    server.register(TestFunctions.cutTicks) { arguments, context, yield in
        let first = context.lastEventID.flatMap(Int.init).map { $0 + 1 } ?? 0
        for i in first..<max(first, arguments.count) {
            try await yield(Tick(i: i), cursor: String(i))
            if i % 15 == 14 && i + 1 < arguments.count { throw CancellationError() }
        }
    }
    server.register(TestFunctions.shared) { _, _ in
        let tick = Tick(i: 7)
        let encoded = try EncodedJSON(tick)
        return AsyncStream<StreamItem<Tick>> { continuation in
            continuation.yield(StreamItem(tick, encoded: encoded, cursor: "c\nid: forged"))
            continuation.finish()
        }
    }
    return server
}
