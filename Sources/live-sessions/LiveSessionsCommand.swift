import Foundation

/// What `live-sessions` was asked to do, parsed from its arguments.
enum LiveSessionsCommand: Equatable {
    /// Serve the demo.
    case serve(ServeOptions)
    /// Show a session's participants live in the terminal.
    case watch(baseURL: URL, sessionCode: String)
    /// Print the usage.
    case help

    /// The options of `serve`.
    struct ServeOptions: Equatable {
        var host = "127.0.0.1"
        var port = 8080
        var dataDirectory = "./data"
        /// A `postgres://` URL: serve from PostgreSQL (through `live-sessions-postgres`) instead of
        /// the embedded SQLite database in ``dataDirectory``.
        var databaseURL: String?
        var simulate = false
        /// How many participants `--seed-large` creates, or `nil` without the flag.
        var seedLargeCount: Int?
    }

    /// A command line that cannot be understood; the message says why.
    struct UsageError: Error, Equatable {
        var message: String
    }

    static let usage = """
        usage: live-sessions [serve] [--host HOST] [--port PORT] [--data DIR] [--simulate] [--seed-large [COUNT]]
               live-sessions [serve] --database postgres://USER@HOST:PORT/DB [--host HOST] [--port PORT] [--simulate]
               live-sessions watch URL SESSION_CODE

          --host HOST          address to bind (default 127.0.0.1)
          --port PORT          port to bind, 0 for any free port (default 8080)
          --data DIR           directory of the SQLite database (default ./data)
          --database URL       use PostgreSQL instead; runs live-sessions-postgres, built with
                               `swift build --package-path Postgres` (see docs/DEPLOY.md)
          --simulate           simulated participants join, change status and leave
          --seed-large [COUNT] create a session with COUNT participants (default 100000) first
        """

    static let defaultSeedCount = 100_000

    static func parse(_ arguments: [String]) throws(UsageError) -> LiveSessionsCommand {
        var remaining = arguments[...]
        if remaining.first == "watch" {
            remaining = remaining.dropFirst()
            guard remaining.count == 2, let url = URL(string: remaining[remaining.startIndex]),
                let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
            else {
                throw UsageError(message: "watch needs a server URL (http://HOST:PORT) and a session code")
            }
            return .watch(baseURL: url, sessionCode: remaining[remaining.startIndex + 1])
        }
        if remaining.first == "serve" { remaining = remaining.dropFirst() }
        var options = ServeOptions()
        while let argument = remaining.popFirst() {
            let (flag, inlineValue) = split(argument)
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(message: "\(flag) needs a value") }
                return next
            }
            switch flag {
            case "-h", "--help":
                return .help
            case "--host":
                options.host = try value()
            case "--port":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw UsageError(message: "--port must be a number from 0 to 65535, not '\(text)'")
                }
                options.port = port
            case "--data":
                options.dataDirectory = try value()
            case "--database":
                let url = try value()
                guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                    throw UsageError(message: "--database takes a postgres:// URL; the SQLite default uses --data DIR")
                }
                options.databaseURL = url
            case "--simulate":
                options.simulate = true
            case "--seed-large":
                var count = defaultSeedCount
                if let inlineValue {
                    guard let parsed = Int(inlineValue), parsed > 0 else {
                        throw UsageError(message: "--seed-large takes a positive count")
                    }
                    count = parsed
                } else if let next = remaining.first, let parsed = Int(next) {
                    guard parsed > 0 else { throw UsageError(message: "--seed-large takes a positive count") }
                    count = parsed
                    remaining = remaining.dropFirst()
                }
                options.seedLargeCount = count
            default:
                throw UsageError(message: "unknown argument '\(argument)'")
            }
        }
        return .serve(options)
    }

    private static func split(_ argument: String) -> (flag: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
