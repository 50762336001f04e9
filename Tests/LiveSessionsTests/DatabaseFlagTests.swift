import Foundation
import Testing

@Suite("live-sessions --database")
struct DatabaseFlagTests {
    /// Runs the real binary with `arguments` in an empty directory, returning its exit status and
    /// standard error (or standard output).
    func run(
        _ binary: URL, _ arguments: [String], environment: [String: String], readOutput: Bool = false
    ) throws -> (Int32, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let errors = Pipe()
        if readOutput {
            process.standardOutput = errors
            process.standardError = FileHandle.nullDevice
        } else {
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
        }
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(
        "without the PostgreSQL build, --database fails with a message saying how to build it",
        .enabled(if: ServerProcess.binary != nil, "build the live-sessions executable first (swift build)"))
    func missingPostgresBuild() throws {
        let binary = try #require(ServerProcess.binary)
        let sibling = binary.deletingLastPathComponent().appendingPathComponent("live-sessions-postgres")
        try #require(
            !FileManager.default.fileExists(atPath: sibling.path), "a PostgreSQL build sits next to the binary")
        let (status, errors) = try run(
            binary, ["--database", "postgres://nobody@127.0.0.1:1/none", "--port", "0"],
            environment: ["LIVE_SESSIONS_POSTGRES": "/nonexistent/live-sessions-postgres"])
        #expect(status == 1)
        #expect(errors.contains("swift build --package-path Postgres"))
    }

    @Test(
        "--database takes only a postgres:// URL",
        .enabled(if: ServerProcess.binary != nil, "build the live-sessions executable first (swift build)"))
    func onlyPostgresURLs() throws {
        let binary = try #require(ServerProcess.binary)
        let (status, errors) = try run(binary, ["--database", "mysql://x/y"], environment: [:])
        #expect(status == 2)
        #expect(errors.contains("postgres://"))
    }

    @Test(
        "--database hands the same arguments to the PostgreSQL build",
        .enabled(if: ServerProcess.binary != nil, "build the live-sessions executable first (swift build)"))
    func handsOver() throws {
        let binary = try #require(ServerProcess.binary)
        // /bin/echo stands in for live-sessions-postgres and prints the arguments it was given. (A
        // script written by the test could hit ETXTBSY while other tests spawn processes.)
        let (status, output) = try run(
            binary, ["serve", "--database", "postgres://a@b/c", "--port", "0"],
            environment: ["LIVE_SESSIONS_POSTGRES": "/bin/echo"], readOutput: true)
        #expect(status == 0)
        #expect(output == "--database postgres://a@b/c --port 0\n")
    }
}
