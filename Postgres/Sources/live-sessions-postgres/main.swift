// The LiveSessions demo server on PostgreSQL: the same functions and web app as
// `live-sessions serve --data DIR`, with the storage in PostgreSQL and the change feed carried
// between instances by LISTEN/NOTIFY, so several instances can run behind nginx
// (deploy/nginx.conf, docs/DEPLOY.md).
//
//   live-sessions-postgres --database postgres://user@host/db [--host 127.0.0.1] [--port 8080]
//                          [--simulate] [--pool-size 8] [--channel remote_changes]
//
// It lives in the nested Postgres package because it links libpq, which the root package's default
// build must not need: `swift build --package-path Postgres` builds it.
import Foundation
import LiveSessionsPostgres
import LiveSessionsServer
import RemoteFunctionsHTTPTransport
import RemoteFunctionsLive
import RemoteFunctionsPostgres
import RemoteFunctionsPostgresLive
import RemoteFunctionsServer

let usage = """
    usage: live-sessions-postgres --database postgres://… [--host HOST] [--port PORT] [--simulate]
                                  [--pool-size N] [--channel NAME]
    """

var host = "127.0.0.1"
var port = 8080
var database = ""
var simulate = false
var poolSize = 8
var channel = PostgresChange.defaultChannel
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": host = arguments.next() ?? host
    case "--port": port = Int(arguments.next() ?? "") ?? -1
    case "--database": database = arguments.next() ?? ""
    case "--simulate": simulate = true
    case "--pool-size": poolSize = Int(arguments.next() ?? "") ?? -1
    case "--channel": channel = arguments.next() ?? channel
    case "--help", "-h":
        print(usage)
        exit(0)
    default:
        FileHandle.standardError.write(Data("live-sessions-postgres: unknown argument \(argument)\n\(usage)\n".utf8))
        exit(2)
    }
}
guard database.hasPrefix("postgres://") || database.hasPrefix("postgresql://"), (0...65535).contains(port),
    poolSize >= 1
else {
    FileHandle.standardError.write(Data("live-sessions-postgres: invalid arguments\n\(usage)\n".utf8))
    exit(2)
}

@Sendable func printFlushed(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let feed = ChangeFeed()
let store: PostgresLiveSessionsStore
do {
    store = try await PostgresLiveSessionsStore.open(url: database, maximumConnections: poolSize, channel: channel)
} catch {
    FileHandle.standardError.write(Data("live-sessions-postgres: \(error)\n".utf8))
    exit(1)
}
let relay = try PostgresChangeRelay(feed: feed, options: PostgresConnectionOptions(url: database), channel: channel)
relay.start()
let queries = LiveQueries(feed: feed)

let server = RemoteServer(configuration: .init(logger: .standardError(minimumLevel: .warning)))
// participants.stream and entities.watch are the change-driven live queries; participants.streamPolling
// stays the seed's polling loop.
LiveSessionsApp(store: store, liveQueries: queries).register(on: server)

var simulation: Task<Void, Never>?
if simulate {
    let simulator = LiveSessionsSimulator(store: store)
    let session = try await simulator.prepareSession()
    printFlushed("simulating participants in session \(session.code) (\(session.name))")
    simulation = Task { await simulator.run() }
}

let transport = HTTPServerTransport(
    host: host, port: port, staticFilesDirectory: LiveSessionsResources.publicDirectory?.path
) { address in
    printFlushed("listening on \(address.host):\(address.port)")
}
try await server.run(on: transport)
simulation?.cancel()
await relay.stop()
await store.close()
