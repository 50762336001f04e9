import Foundation
import RemoteFunctions
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// Runs an executable to completion and returns its exit status and standard output.
func runProcess(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let finished = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in finished.continuation.finish() }
    try process.run()
    // Read until EOF on a background thread so a full pipe never blocks the child.
    let output = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
        DispatchQueue.global().async {
            continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile())
        }
    }
    for await _ in finished.stream {}
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// The path of `name` on the PATH, or `nil`.
func executablePath(_ name: String) -> String? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite("Third-party clients")
struct ThirdPartyClientTests {
    @Test(
        "curl calls a query and follows a stream with -N",
        .enabled(if: executablePath("curl") != nil, "curl is not installed"))
    func curl() async throws {
        let curl = try #require(executablePath("curl"))
        try await withRemoteServer(makeTestServer()) { url in
            let unary = try await runProcess(
                curl,
                [
                    "-s", "-X", "POST", "\(url)/_remote/test.echo", "-H", "Content-Type: application/json", "-d",
                    #"{"n":41}"#,
                ])
            #expect(unary.status == 0)
            #expect(unary.output == #"{"n":41,"ok":true}"#)

            let stream = try await runProcess(
                curl,
                [
                    "-N", "-s", "-G", "\(url)/_remote/test.ticks", "-H", "Accept: text/event-stream",
                    "-H", "Last-Event-ID: 1", "--data-urlencode", #"args={"count":4}"#,
                ])
            #expect(stream.status == 0)
            #expect(
                stream.output
                    == "retry: 250\n\nevent: next\nid: 2\ndata: {\"i\":2}\n\nevent: next\nid: 3\ndata: {\"i\":3}\n\nevent: end\ndata: null\n\n"
            )

            let error = try await runProcess(curl, ["-s", "-i", "\(url)/_remote/no.such"])
            #expect(error.output.hasPrefix("HTTP/1.1 404"))
            #expect(error.output.contains(#"{"error":{"code":"not_found","#))
        }
    }

    @Test(
        "a Python client written from PROTOCOL.md passes its checks",
        .enabled(if: executablePath("python3") != nil, "python3 is not installed")
    )
    func python() async throws {
        let python = try #require(executablePath("python3"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appending(path: "python/remote_client.py").path
        try await withRemoteServer(makeTestServer()) { url in
            let result = try await runProcess(python, [script, url.absoluteString])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("python client: 0 failures"))
        }
    }
}
