import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// A ``ServerResponseWriter`` that records what the server writes and lets a test wait for a
/// condition on it. Once ``close()`` is called (the client "leaves"), writes throw, as a real
/// transport's do.
final class ResponseRecorder: ServerResponseWriter {
    struct Snapshot: Sendable {
        var status: Int?
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var finished = false

        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The events of an SSE body so far.
        var events: [ServerSentEvent] {
            var parser = ServerSentEventParser()
            return (try? parser.feed(body)) ?? []
        }
    }

    struct Closed: Error {}

    private struct State {
        var snapshot = Snapshot()
        var closed = false
        var observers: [Int: AsyncStream<Snapshot>.Continuation] = [:]
        var nextObserver = 0
    }

    private let state = Mutex(State())

    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    func writeHead(status: Int, headers: [(name: String, value: String)]) async throws {
        try update {
            $0.status = status
            $0.headers = headers
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        try update { $0.body += bytes }
    }

    func finish() async throws {
        try update { $0.finished = true }
    }

    /// Makes every later write throw, as when the client has gone.
    func close() {
        state.withLock { $0.closed = true }
    }

    private func update(_ change: (inout Snapshot) -> Void) throws {
        let (snapshot, observers) = try state.withLock { state in
            guard !state.closed else { throw Closed() }
            change(&state.snapshot)
            return (state.snapshot, Array(state.observers.values))
        }
        for observer in observers { observer.yield(snapshot) }
    }

    /// Waits until `condition` holds for the recorded response, failing after `timeout`.
    @discardableResult
    func wait(
        timeout: Duration = .seconds(20), until condition: @escaping @Sendable (Snapshot) -> Bool
    ) async throws -> Snapshot {
        let (stream, continuation) = AsyncStream<Snapshot>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (id, current) = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = continuation
            return (state.nextObserver, state.snapshot)
        }
        defer { _ = state.withLock { $0.observers.removeValue(forKey: id) } }
        if condition(current) { return current }
        return try await withTimeout(timeout) {
            for await snapshot in stream where condition(snapshot) { return snapshot }
            throw TimedOut()
        }
    }
}

struct TimedOut: Error {}

/// Runs `body`, throwing ``TimedOut`` if it has not finished after `timeout`. The timeout is a
/// safety net against a hung test, never a synchronisation.
func withTimeout<T: Sendable>(
    _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TimedOut() }
        return result
    }
}
