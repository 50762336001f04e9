// One LiveSessions instance on PostgreSQL (the multi-instance test fixture), as its own process so
// that a test can kill it with SIGKILL:
//
//   postgres-demo-instance --database postgres://… --channel remote_changes [--host 127.0.0.1] [--port 0]
//
// Prints `listening on HOST:PORT` once it accepts connections.
import Foundation
import PostgresDemoFixture
import RemoteFunctionsHTTPTransport

var host = "127.0.0.1"
var port = 0
var database = ""
var channel = "remote_changes"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": host = arguments.next() ?? host
    case "--port": port = Int(arguments.next() ?? "") ?? port
    case "--database": database = arguments.next() ?? ""
    case "--channel": channel = arguments.next() ?? channel
    default:
        FileHandle.standardError.write(Data("postgres-demo-instance: unknown argument \(argument)\n".utf8))
        exit(2)
    }
}
guard database.hasPrefix("postgres") else {
    FileHandle.standardError.write(Data("postgres-demo-instance: --database postgres://… is required\n".utf8))
    exit(2)
}

let instance = try await PostgresDemoInstance.start(url: database, channel: channel)
let transport = HTTPServerTransport(
    host: host, port: port,
    onListening: { address in
        FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
    })
try await instance.server.run(on: transport)
await instance.stop()
