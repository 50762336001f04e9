import RemoteFunctionsHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `http-bench`: a tiny server with three routes, for measuring the HTTP core.
///
///     http-bench [--host 127.0.0.1] [--port 8080] [--loops N] [--event-queue epoll|poll]
///
/// Prints `listening on HOST:PORT` once bound. SIGINT/SIGTERM shut it down gracefully.

var configuration = HTTPServerConfiguration(port: 8080)
var arguments = CommandLine.arguments.dropFirst()
func fail(_ message: String) -> Never {
    FileHandleOutput.standardError("http-bench: \(message)\n")
    exit(2)
}
while let argument = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("missing value for \(argument)") }
    switch argument {
    case "--host": configuration.host = value
    case "--port":
        guard let port = Int(value), (0...65535).contains(port) else { fail("invalid port \(value)") }
        configuration.port = port
    case "--loops":
        guard let loops = Int(value), loops > 0 else { fail("invalid loop count \(value)") }
        configuration.loopCount = loops
    case "--event-queue":
        guard let kind = EventQueueKind(rawValue: value) else { fail("unknown event queue \(value) (epoll or poll)") }
        configuration.eventQueue = kind
    default: fail("unknown option \(argument)")
    }
}

let server = HTTPServer(configuration: configuration) { request, writer in
    try await BenchRoutes.handle(request, writer)
}

let signalSources = ShutdownSignals.install(for: server)

do {
    try await server.run { address in
        FileHandleOutput.standardOutput("listening on \(address.host):\(address.port)\n")
    }
} catch {
    fail("\(error)")
}
_ = signalSources
