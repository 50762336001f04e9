import Foundation
import RemoteFunctions
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// The `remote` executable (built next to the test bundle by `swift build --build-tests`) against a
/// real server on port 0.
@Suite("remote CLI")
struct RemoteCommandLineToolTests {
    struct Echo: Codable, Sendable {
        var n: Int
    }

    struct Tick: Codable, Sendable {
        var i: Int
    }

    struct TickArguments: Codable, Sendable {
        var count: Int
    }

    static let echo = RemoteQuery<Echo, Echo>("cli.echo")
    static let ticks = RemoteStream<TickArguments, Tick>("cli.ticks")

    /// What a run of the tool printed and how it exited.
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
    }

    static var executable: URL {
        get throws {
            let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for candidate in [directory, directory.deletingLastPathComponent()] {
                let url = candidate.appendingPathComponent("remote")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw TestFailure(description: "the remote executable is not next to the tests (swift build --build-tests)")
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `remote` with `arguments` and waits for it to exit.
    static func run(_ arguments: [String]) async throws -> Run {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            exited.continuation.yield(process.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        // Read both pipes to the end (on their own threads) so a full pipe never blocks the tool.
        async let stdout = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let stderr = Task.detached { error.fileHandleForReading.readDataToEndOfFile() }.value
        var statuses = exited.stream.makeAsyncIterator()
        let status = await statuses.next() ?? -1
        return Run(
            status: status, standardOutput: String(decoding: await stdout, as: UTF8.self),
            standardError: String(decoding: await stderr, as: UTF8.self))
    }

    static func server() -> RemoteServer {
        let server = RemoteServer(configuration: .init(logger: .disabled))
        server.register(echo) { arguments, _ in arguments }
        server.register(ticks) { arguments, context, yield in
            let first = context.lastEventID.flatMap(Int.init).map { $0 + 1 } ?? 0
            for i in first..<max(first, arguments.count) {
                try await yield(Tick(i: i), cursor: String(i))
            }
        }
        return server
    }

    @Test("call prints the output as one JSON line and exits 0")
    func call() async throws {
        try await withRemoteServer(Self.server()) { url in
            let run = try await Self.run(["call", url.absoluteString, "cli.echo", #"{"n":42}"#])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.lines == [#"{"n":42}"#])
        }
    }

    @Test("stream prints one line per value, resumes after --last-event-id, and exits 0 at the end")
    func stream() async throws {
        try await withRemoteServer(Self.server()) { url in
            let all = try await Self.run(["stream", url.absoluteString, "cli.ticks", #"{"count":3}"#])
            #expect(all.status == 0, "\(all.standardError)")
            #expect(all.lines == [#"{"i":0}"#, #"{"i":1}"#, #"{"i":2}"#])
            let resumed = try await Self.run([
                "stream", url.absoluteString, "cli.ticks", #"{"count":4}"#, "--last-event-id", "1",
            ])
            #expect(resumed.status == 0, "\(resumed.standardError)")
            #expect(resumed.lines == [#"{"i":2}"#, #"{"i":3}"#])
        }
    }

    @Test("a remote error exits 1 with its code on stderr; bad arguments name the field")
    func remoteErrors() async throws {
        try await withRemoteServer(Self.server()) { url in
            let unknown = try await Self.run(["call", url.absoluteString, "cli.missing"])
            #expect(unknown.status == 1)
            #expect(unknown.standardError.contains("not_found"))
            #expect(unknown.standardOutput.isEmpty)
            let invalid = try await Self.run(["call", url.absoluteString, "cli.echo", #"{"n":"x"}"#])
            #expect(invalid.status == 1)
            #expect(invalid.standardError.contains("invalid_argument"))
            #expect(invalid.standardError.contains("'n'"))
        }
    }

    @Test("a usage error exits 2 with the usage on stderr")
    func usage() async throws {
        let run = try await Self.run(["call"])
        #expect(run.status == 2)
        #expect(run.standardError.contains("usage: remote call URL ID"))
        let badOption = try await Self.run(["stream", "http://127.0.0.1:1", "x", "--max-attempts", "many"])
        #expect(badOption.status == 2)
        #expect(badOption.standardError.contains("--max-attempts takes a whole number"))
    }
}
