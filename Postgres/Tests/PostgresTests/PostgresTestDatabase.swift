import Foundation
import RemoteFunctionsPostgres
import Synchronization
import Testing

/// Where the live tests find PostgreSQL.
///
/// The tests that need a server read `REMOTE_FUNCTIONS_POSTGRES_URL`. When it is unset (outside
/// CI) they are skipped with a message that says how to run them:
///
///     export REMOTE_FUNCTIONS_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
///     swift test --package-path Postgres
///     scripts/postgres-test-cluster.sh stop
enum PostgresTestDatabase {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["REMOTE_FUNCTIONS_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static var isAvailable: Bool { url != nil }

    static let skipMessage: Comment = """
        PostgreSQL tests skipped: REMOTE_FUNCTIONS_POSTGRES_URL is not set. Run \
        `export REMOTE_FUNCTIONS_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)` then \
        `swift test --package-path Postgres`.
        """

    /// The cluster script of this repository.
    static let clusterScript: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres-test-cluster.sh")

    /// Whether the server was started by the cluster script, so a test may restart it.
    static var canRestart: Bool {
        guard isAvailable, FileManager.default.isExecutableFile(atPath: clusterScript.path) else { return false }
        return (try? runClusterScript("url").trimmingCharacters(in: .whitespacesAndNewlines)) == url
    }

    static func requireURL() throws -> String {
        try #require(url, "REMOTE_FUNCTIONS_POSTGRES_URL is not set")
    }

    /// Runs `scripts/postgres-test-cluster.sh <command>` and returns its standard output.
    ///
    /// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit()` was
    /// seen to miss the child's exit inside the test runner and hang.
    @discardableResult
    static func runClusterScript(_ command: String) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("postgres-cluster-\(UInt32.random(in: 0...UInt32.max)).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let scriptPath: String = clusterScript.path
        let words: [String] = ["/bin/bash", scriptPath, command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer {
            for argument in arguments { free(argument) }
        }
        var argv = arguments + [nil]
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw PostgresError(kind: .invalidArgument, message: "cannot run the cluster script (error \(spawned))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out: the macros are not imported.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw PostgresError(kind: .invalidArgument, message: "cluster script \(command) failed (status \(status))")
        }
        return output
    }

    /// A name unique to this test run, for tables and channels.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// Collects values delivered by callbacks (on any thread) and lets a test wait, with a deadline,
/// until a given number has arrived. Waiting is signalled, never polled.
final class Recorder<Element: Sendable>: Sendable {
    private struct Waiter {
        let id: Int
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var values: [Element] = []
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    var values: [Element] { state.withLock { $0.values } }

    func append(_ value: Element) {
        let ready = state.withLock { state -> [Waiter] in
            state.values.append(value)
            let ready = state.waiters.filter { $0.count <= state.values.count }
            state.waiters.removeAll { $0.count <= state.values.count }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Waits until at least `count` values arrived; returns them, or `nil` after `timeout`.
    func waitFor(count: Int, timeout: Duration = .seconds(30)) async -> [Element]? {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let done = self.state.withLock { state in
                            if state.values.count >= count || Task.isCancelled { return true }
                            state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                            return false
                        }
                        if done { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = self.state.withLock { state -> Waiter? in
                        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                        return state.waiters.remove(at: index)
                    }
                    waiter?.continuation.resume()
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            _ = await group.next()
            group.cancelAll()
            return state.withLock { $0.values.count >= count }
        }
        return reached ? values : nil
    }
}
