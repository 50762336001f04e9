import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the demo from PostgreSQL by replacing this process with `live-sessions-postgres`.
///
/// The default build never links libpq, so the PostgreSQL build of the same server lives in the
/// nested package `Postgres/`. `live-sessions --database postgres://…` finds that executable and
/// `exec`s it with the same arguments, so one command line serves either database.
struct PostgresHandOff {
    /// Thrown when the PostgreSQL build cannot be found or started; the message says what to do.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Where to look, in order: `$LIVE_SESSIONS_POSTGRES`, next to this executable, then the
    /// nested package's release and debug build folders under the current directory.
    func candidates() -> [String] {
        var paths: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["LIVE_SESSIONS_POSTGRES"], !explicit.isEmpty {
            paths.append(explicit)
        }
        let ownDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        paths.append(ownDirectory.appendingPathComponent("live-sessions-postgres").path)
        paths.append("Postgres/.build/release/live-sessions-postgres")
        paths.append("Postgres/.build/debug/live-sessions-postgres")
        return paths
    }

    /// Replaces this process with `live-sessions-postgres`; returns only by throwing.
    func run(arguments: [String]) throws(Unavailable) -> Never {
        let passed = arguments.first == "serve" ? Array(arguments.dropFirst()) : arguments
        guard let executable = candidates().first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Unavailable(
                description: """
                    --database needs the PostgreSQL build of the server, which the default build leaves out.
                    Build it with `swift build --package-path Postgres` (needs libpq-dev), or set
                    LIVE_SESSIONS_POSTGRES to its path. See docs/DEPLOY.md.
                    """)
        }
        let argv = ([executable] + passed).map { strdup($0) } + [nil]
        execv(executable, argv)
        let reason = String(cString: strerror(errno))
        throw Unavailable(description: "could not start \(executable): \(reason)")
    }
}
