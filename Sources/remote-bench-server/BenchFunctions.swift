import RemoteFunctions

/// `bench.echo` arguments.
struct EchoArguments: Codable, Sendable {
    var n: Int
}

/// `bench.echo` output.
struct EchoOutput: Codable, Sendable {
    var n: Int
    var ok: Bool
}

/// `bench.ticks` arguments; `intervalMs` defaults to 0.
struct TicksArguments: Codable, Sendable {
    var count: Int
    var intervalMs: Int?
}

/// One `bench.ticks` element.
struct Tick: Codable, Sendable {
    var i: Int
}

/// `bench.publish` output.
struct Delivery: Codable, Sendable {
    var delivered: Int
}

/// The four functions every benchmark peer serves (issue 3).
enum BenchFunctions {
    static let echo = RemoteQuery<EchoArguments, EchoOutput>("bench.echo")
    static let ticks = RemoteStream<TicksArguments, Tick>("bench.ticks")
    static let fanout = RemoteStream<Empty, JSONValue>("bench.fanout", overflow: .bounded(1024))
    static let publish = RemoteCommand<JSONValue, Delivery>("bench.publish")
}
