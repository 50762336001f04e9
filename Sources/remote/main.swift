import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport

/// Writes one line to a file handle at once (unbuffered, so a pipe sees each value promptly).
func writeLine(_ text: String, to handle: FileHandle) {
    handle.write(Data((text + "\n").utf8))
}

/// A JSON value as one compact line.
func jsonLine(_ value: JSONValue) -> String {
    guard let data = try? RemoteJSON.encode(value) else { return "null" }
    return String(decoding: data, as: UTF8.self)
}

let commandLine: RemoteCommandLine
do {
    commandLine = try RemoteCommandLine(Array(CommandLine.arguments.dropFirst()))
} catch {
    if !error.message.isEmpty { writeLine("remote: \(error.message)", to: .standardError) }
    writeLine(RemoteCommandLine.usage, to: .standardError)
    exit(2)
}

var configuration = RemoteClient.Configuration(headers: commandLine.headers)
configuration.streamReconnect.maximumAttempts = commandLine.maximumAttempts
// Plain-HTTP URLs go through the project's own HTTP client: on Linux, URLSession keeps a CPU busy
// while a stream is open (docs/ARCHITECTURE.md). HTTPS needs URLSession.
let transport: any ClientTransport =
    commandLine.baseURL.scheme?.lowercased() == "http" ? HTTPClientTransport() : URLSessionClientTransport()
let client = RemoteClient(baseURL: commandLine.baseURL, transport: transport, configuration: configuration)

do {
    switch commandLine.mode {
    case .call:
        // The CLI cannot know whether the function is a query, so it never retries.
        let command = RemoteCommand<JSONValue, JSONValue>(commandLine.id)
        writeLine(jsonLine(try await client.call(command, commandLine.arguments)), to: .standardOutput)
    case .stream:
        let descriptor = RemoteStream<JSONValue, JSONValue>(commandLine.id)
        let stream = client.stream(descriptor, commandLine.arguments, lastEventID: commandLine.lastEventID)
        let stateReporter =
            commandLine.verbose
            ? Task {
                for await state in stream.states {
                    writeLine("remote: \(state)", to: .standardError)
                }
            } : nil
        defer { stateReporter?.cancel() }
        for try await value in stream {
            writeLine(jsonLine(value), to: .standardOutput)
        }
    }
    exit(0)
} catch {
    writeLine("remote: \(error.code): \(error.message)", to: .standardError)
    exit(1)
}
