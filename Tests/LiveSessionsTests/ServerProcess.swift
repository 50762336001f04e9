import Foundation
import Synchronization

/// A `live-sessions` server started as a real process, for tests that need the real binary.
final class ServerProcess: Sendable {
    let process: Process
    /// `http://HOST:PORT`, from the server's `listening on HOST:PORT` line.
    let baseURL: URL
    private let exit: ExitSignal

    /// The `live-sessions` binary next to the test bundle (`.build/<config>/live-sessions`), or
    /// `nil` when it has not been built.
    static var binary: URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("live-sessions"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("live-sessions"))
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/live-sessions"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Thrown when the server does not print its address in time, or exits first.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `binary` with `arguments` and waits (up to 60 s) for `listening on HOST:PORT`.
    static func start(binary: URL, arguments: [String]) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let exit = ExitSignal()
        process.terminationHandler = { process in exit.exited(status: process.terminationStatus) }
        let address = AddressWaiter()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                address.fail("the server closed its output before printing its address")
            } else {
                address.append(data)
            }
        }
        try process.run()
        let timeout = Task {
            try await Task.sleep(for: .seconds(60))
            address.fail("the server did not print 'listening on' within 60 s")
        }
        defer { timeout.cancel() }
        do {
            let hostAndPort = try await address.wait()
            guard let url = URL(string: "http://\(hostAndPort)") else {
                throw StartFailure(description: "unreadable address '\(hostAndPort)'")
            }
            return ServerProcess(process: process, baseURL: url, exit: exit)
        } catch {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw error
        }
    }

    private init(process: Process, baseURL: URL, exit: ExitSignal) {
        self.process = process
        self.baseURL = baseURL
        self.exit = exit
    }

    /// Sends `signal` and waits for the process to exit; returns its termination status.
    @discardableResult
    func stop(signal: Int32) async -> Int32 {
        kill(process.processIdentifier, signal)
        return await exit.wait()
    }

    /// Kills the process if it still runs (for cleanup after a failure).
    func killIfRunning() async {
        if process.isRunning { await stop(signal: SIGKILL) }
    }
}

/// Collects output until a `listening on HOST:PORT` line, and hands the address to one waiter.
private final class AddressWaiter: Sendable {
    private struct State {
        var buffer = ""
        var result: Result<String, ServerProcess.StartFailure>?
        var waiter: CheckedContinuation<String, any Error>?
    }

    private let state = Mutex(State())

    func append(_ data: Data) {
        let prefix = "listening on "
        finish { state in
            state.buffer += String(decoding: data, as: UTF8.self)
            guard let line = state.buffer.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
                return nil
            }
            return .success(String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        }
    }

    func fail(_ message: String) {
        finish { _ in .failure(ServerProcess.StartFailure(description: message)) }
    }

    private func finish(_ update: (inout State) -> Result<String, ServerProcess.StartFailure>?) {
        let resume = state.withLock { state -> (CheckedContinuation<String, any Error>, Result<String, any Error>)? in
            guard state.result == nil, let result = update(&state) else { return nil }
            state.result = result
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, result.mapError { $0 })
        }
        if let (waiter, result) = resume { waiter.resume(with: result) }
    }

    func wait() async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<String, any Error>? in
                if let result = state.result { return result.mapError { $0 } }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

/// Signals a process's exit to one waiter.
private final class ExitSignal: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    func exited(status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}
