import RemoteFunctions
import Synchronization

/// One stream response in progress.
///
/// It serialises the frames written by the handler with the heartbeats written by the server's
/// ``OpenStreams`` ticker (a small asynchronous write lock), remembers when it last wrote so that
/// only idle streams get heartbeats, and lets a graceful shutdown cancel the handler.
///
/// The handler runs inline in the request's own task (no child task: an idle stream then costs
/// one task, not two, which saves about 4 KiB per open stream). A graceful shutdown cancels that
/// task through an ``UnsafeCurrentTask`` handle; the final `unavailable` frame is written afterwards,
/// which works because writes do not check the task's cancellation (only a write that has to wait
/// for a slow client gives up, and such a client reconnects anyway).
final class OpenStream: OpenStreamEntry {
    /// The request task, so that ``shutdown()`` can cancel it.
    ///
    /// `@unchecked Sendable`: an `UnsafeCurrentTask` may only be used while its task is alive. The
    /// handle is stored by ``run(_:)`` and cleared by it, under `state`'s lock, before `run`
    /// returns; ``shutdown()`` uses it only under the same lock. So every use happens while the
    /// task is still inside `run`, that is, alive.
    private struct TaskHandle: @unchecked Sendable {
        let task: UnsafeCurrentTask
    }

    private struct State {
        var writing = false
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
        var lastWrite: ContinuousClock.Instant
        var shutdownRequested = false
        var task: TaskHandle?
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
    @discardableResult
    func heartbeatIfIdle(silentSince idleSince: ContinuousClock.Instant) -> Bool {
        let acquired = state.withLock { state in
            guard !state.writing, !state.shutdownRequested, state.lastWrite <= idleSince else { return false }
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

    /// Asks the handler to stop because the server is shutting down: cancels the request task
    /// while it runs the handler.
    func shutdown() {
        state.withLock { state in
            state.shutdownRequested = true
            state.task?.task.cancel()
        }
    }

    /// Runs `body` in the current task until it returns, throws, or is cancelled: because the
    /// client has gone (the transport cancels the request task) or by ``shutdown()``.
    func run(_ body: @escaping RegisteredFunction.StreamBody) async -> StreamEnding {
        let alreadyShuttingDown = withUnsafeCurrentTask { task in
            state.withLock { state in
                state.task = task.map(TaskHandle.init)
                return state.shutdownRequested
            }
        }
        if alreadyShuttingDown {
            state.withLock { $0.task = nil }
            return .shutdown
        }
        let ending: StreamEnding
        do {
            try await body(StreamEventSink(destination: self))
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
        let shutdown = state.withLock { state in
            state.task = nil
            return state.shutdownRequested
        }
        // A handler cancelled by the shutdown may return normally (an `AsyncStream` simply ends on
        // cancellation); its stream did not finish, so it ends as resumable either way.
        return shutdown ? .shutdown : ending
    }
}

extension OpenStream: StreamValueWriter {
    /// Writes the value as an `event: next` frame.
    func writeValue(json: [UInt8], cursor: String?) async throws {
        try await write(StreamEventSink.frame(json: json, cursor: cursor))
    }
}
