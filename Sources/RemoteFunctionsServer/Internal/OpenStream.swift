import RemoteFunctions
import Synchronization

/// One stream response in progress.
///
/// It serialises the frames written by the handler with the heartbeats written by the server's
/// ``OpenStreams`` ticker (a small asynchronous write lock), remembers when it last wrote so that
/// only idle streams get heartbeats, and runs the handler in a child task that a graceful shutdown
/// can cancel without cancelling the request itself (so the final `unavailable` frame can still be
/// written).
final class OpenStream: Sendable {
    /// Why the request task stopped waiting for the handler.
    enum Wake: Sendable, Equatable {
        case handlerFinished
        case shutdown
    }

    private struct State {
        var writing = false
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
        var lastWrite: ContinuousClock.Instant
        var wake: Wake?
        var wakeWaiter: CheckedContinuation<Wake, Never>?
    }

    let id: Int
    private let writer: any ServerResponseWriter
    private let logger: RemoteLogger
    private let state: Mutex<State>

    init(id: Int, writer: any ServerResponseWriter, logger: RemoteLogger) {
        self.id = id
        self.writer = writer
        self.logger = logger
        self.state = Mutex(State(lastWrite: .now))
    }

    // MARK: Writing

    /// Writes bytes once no other frame is being written. Suspends while the client is slow.
    func write(_ bytes: [UInt8]) async throws {
        await acquireWrite()
        defer { releaseWrite() }
        try await writer.write(bytes)
    }

    /// Starts a heartbeat write if the stream has been silent since `idleSince` and nothing is
    /// being written; returns whether it did.
    func heartbeatIfIdle(silentSince idleSince: ContinuousClock.Instant) -> Bool {
        let acquired = state.withLock { state in
            guard !state.writing, state.wake == nil, state.lastWrite <= idleSince else { return false }
            state.writing = true
            return true
        }
        guard acquired else { return false }
        Task {
            defer { self.releaseWrite() }
            try? await self.writer.write(ServerSentEvent.comment())
        }
        return true
    }

    private func acquireWrite() async {
        let acquired = state.withLock { state in
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if acquired { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquiredNow = state.withLock { state in
                guard state.writing else {
                    state.writing = true
                    return true
                }
                state.writeWaiters.append(continuation)
                return false
            }
            if acquiredNow { continuation.resume() }
        }
    }

    private func releaseWrite() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.lastWrite = .now
            guard !state.writeWaiters.isEmpty else {
                state.writing = false
                return nil
            }
            return state.writeWaiters.removeFirst()
        }
        next?.resume()
    }

    // MARK: Lifecycle

    /// Asks the handler to stop because the server is shutting down.
    func shutdown() {
        signal(.shutdown)
    }

    private func signal(_ wake: Wake) {
        let waiter = state.withLock { state -> CheckedContinuation<Wake, Never>? in
            guard state.wake == nil else { return nil }
            state.wake = wake
            defer { state.wakeWaiter = nil }
            return state.wakeWaiter
        }
        waiter?.resume(returning: wake)
    }

    private func waitForWake() async -> Wake {
        await withCheckedContinuation { continuation in
            let wake = state.withLock { state -> Wake? in
                if let wake = state.wake { return wake }
                state.wakeWaiter = continuation
                return nil
            }
            if let wake { continuation.resume(returning: wake) }
        }
    }

    /// Runs `body` in a child task until it returns, throws, is cancelled because the client has
    /// gone (the request task is cancelled, and with it the child), or is cancelled by
    /// ``shutdown()``.
    func run(_ body: @escaping RegisteredFunction.StreamBody) async -> StreamEnding {
        let sink = StreamEventSink(destination: self)
        let logger = self.logger
        return await withTaskGroup(of: StreamEnding.self) { group in
            group.addTask {
                let ending: StreamEnding
                do {
                    try await body(sink)
                    ending = .finished
                } catch let error as RemoteError {
                    ending = .failed(error)
                } catch is CancellationError {
                    ending = .clientGone
                } catch {
                    if Task.isCancelled {
                        ending = .clientGone
                    } else {
                        logger.log(.error, "stream handler failed: \(String(reflecting: error))")
                        ending = .failed(RemoteError(.internal, "internal error"))
                    }
                }
                self.signal(.handlerFinished)
                return ending
            }
            let wake = await waitForWake()
            if wake == .shutdown { group.cancelAll() }
            let ending = await group.next() ?? .clientGone
            // A handler cancelled by the shutdown may return normally (an `AsyncStream` simply ends
            // on cancellation); its stream did not finish, so it ends as resumable either way.
            return wake == .shutdown ? .shutdown : ending
        }
    }
}

extension OpenStream: StreamValueWriter {
    /// Writes the value as an `event: next` frame.
    func writeValue(json: [UInt8], cursor: String?) async throws {
        try await write(StreamEventSink.frame(json: json, cursor: cursor))
    }
}
