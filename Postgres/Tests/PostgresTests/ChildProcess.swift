import Foundation
import RemoteFunctionsPostgres

/// A child process started with `posix_spawn`, its standard output going to a file; for the
/// tests that kill server instances with SIGKILL. (Foundation's `Process.waitUntilExit()` was seen
/// to miss a child's exit inside the test runner, so this stays at the system-call level.)
final class ChildProcess: Sendable {
    let pid: pid_t
    let outputPath: String

    init(_ executable: String, _ arguments: [String]) throws {
        outputPath =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("child-\(UInt32.random(in: 0...UInt32.max)).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, outputPath + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let words: [String] = [executable] + arguments
        let pointers: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer {
            for pointer in pointers { free(pointer) }
        }
        var argv = pointers + [nil]
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw PostgresError(kind: .invalidArgument, message: "cannot start \(executable) (error \(spawned))")
        }
        self.pid = pid
    }

    /// The standard output so far.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits (polling the output file, with a deadline: a child's output has no other signal)
    /// until a line starting with `prefix` appears, and returns the rest of that line.
    func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PostgresError(kind: .poolTimeout, message: "no '\(prefix)' from pid \(pid) within \(timeout)")
    }

    /// Sends `signal` and reaps the child.
    func terminate(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}

/// A free TCP port on 127.0.0.1 (bound, read back and released).
func freeLocalPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw PostgresError(kind: .invalidArgument, message: "cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
