import Foundation
import RemoteFunctions
import RemoteFunctionsHTTPTransport
import RemoteFunctionsLive
import RemoteFunctionsServer

// remote-bench-server --host 127.0.0.1 --port 0
// Serves bench.echo, bench.ticks, bench.fanout and bench.publish (issue 3) and prints
// "listening on HOST:PORT" once bound.

var host = "127.0.0.1"
var port = 0
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    switch option {
    case "--host":
        host = arguments.popFirst() ?? host
    case "--port":
        guard let value = arguments.popFirst().flatMap(Int.init) else {
            FileHandle.standardError.write(Data("--port needs a number\n".utf8))
            exit(2)
        }
        port = value
    default:
        FileHandle.standardError.write(Data("usage: remote-bench-server [--host HOST] [--port PORT]\n".utf8))
        exit(2)
    }
}

let server = RemoteServer(configuration: .init(logger: .standardError(minimumLevel: .warning)))
// Every published object reaches every subscriber, encoded once; a subscriber more than 1 024
// objects behind ends with the resumable `unavailable` and resumes.
let broadcast = Broadcast<JSONValue>(overflow: BenchFunctions.fanout.overflow)

server.register(BenchFunctions.echo) { arguments, _ in
    EchoOutput(n: arguments.n, ok: true)
}

server.register(BenchFunctions.ticks) { arguments, context, yield in
    let first = context.lastEventID.flatMap(Int.init).map { $0 + 1 } ?? 0
    let interval = Duration.milliseconds(max(0, arguments.intervalMs ?? 0))
    var i = first
    while i < arguments.count {
        if interval > .zero { try await Task.sleep(for: interval) }
        try await yield(Tick(i: i), cursor: String(i))
        i += 1
    }
}

server.register(BenchFunctions.fanout) { _, _ in
    broadcast.subscribe()
}

server.register(BenchFunctions.publish) { value, _ in
    guard value.objectValue != nil else {
        throw RemoteError(.invalidArgument, "invalid argument at '(root)': expected an object")
    }
    return Delivery(delivered: try broadcast.publish(value))
}

let transport = HTTPServerTransport(host: host, port: port) { address in
    // Written straight to the file descriptor so it is never held in a buffer.
    FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
}
try await server.run(on: transport)
