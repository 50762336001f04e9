import Dispatch
import RemoteFunctionsHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT and SIGTERM start a graceful shutdown (5 s deadline) instead of killing the process.
enum ShutdownSignals {
    /// Installs the handlers; keep the returned sources alive while serving.
    static func install(for server: HTTPServer) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in server.beginGracefulShutdown(deadline: .seconds(5)) }
            source.resume()
            return source
        }
    }
}
