import RemoteFunctionsHTTP
import Synchronization
import Testing

/// Runs `body` against a live server on port 0 and shuts it down afterwards (gracefully, then
/// waiting for `run()` to return, which proves no connection or task was left behind).
func withTestServer<Result: Sendable>(
    _ configuration: HTTPServerConfiguration,
    handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void,
    _ body: (Int, HTTPServer) async throws -> Result
) async throws -> Result {
    let server = HTTPServer(configuration: configuration, handler: handler)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let runTask = Task {
        try await server.run { address in
            portContinuation.yield(address.port)
            portContinuation.finish()
        }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
        try await runTask.value
        throw TestFailure("server did not start")
    }
    do {
        let result = try await body(port, server)
        server.beginGracefulShutdown(deadline: .seconds(2))
        try await runTask.value
        return result
    } catch {
        server.beginGracefulShutdown(deadline: .zero)
        _ = try? await runTask.value
        throw error
    }
}

/// A configuration for tests: one loop per test server keeps the 2-core machine responsive.
func testConfiguration(_ kind: EventQueueKind, _ adjust: (inout HTTPServerConfiguration) -> Void = { _ in })
    -> HTTPServerConfiguration
{
    var configuration = HTTPServerConfiguration(loopCount: 2, eventQueue: kind)
    adjust(&configuration)
    return configuration
}

/// A failure raised by test support code.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A one-shot signal a handler raises and a test awaits (never a sleep).
final class Signal: Sendable {
    private let state = Mutex<(raised: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func raise() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.raised { return [] }
            state.raised = true
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isRaised: Bool { state.withLock { $0.raised } }

    /// Waits for the signal; returns false if `timeout` passed first (a safety net, not a sync tool).
    func wait(timeout: Duration = .seconds(20)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let raised = self.state.withLock { state -> Bool in
                        if state.raised { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if raised { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first { self.raise() }
            group.cancelAll()
            return first
        }
    }
}

/// A thread-safe counter/recorder for handlers.
final class Recorder<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func update<R>(_ body: (inout Value) -> R) -> R { storage.withLock { body(&$0) } }
    var value: Value { storage.withLock { $0 } }
}
