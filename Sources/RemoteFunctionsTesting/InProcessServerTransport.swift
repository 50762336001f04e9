public import RemoteFunctionsServer
import Synchronization

/// A ``ServerTransport`` that serves requests handed to it in the same process, with no socket.
///
/// Tests run a ``RemoteServer`` on it and send requests with ``send(_:)`` (or through the
/// matching client transport). Responses stream with backpressure, and cancelling a response's
/// body cancels the server handler's task, as a client hanging up does over HTTP.
public final class InProcessServerTransport: ServerTransport {
    private typealias Handler = @Sendable (ServerRequest, any ServerResponseWriter) async -> Void

    private struct State {
        var handler: Handler?
        var handlerWaiters: [CheckedContinuation<Handler?, Never>] = []
        var shuttingDown = false
        var inFlight = 0
        var drainWaiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a transport; requests wait until a server runs on it.
    public init() {}

    /// Serves requests until ``beginGracefulShutdown()`` has been called and every request in
    /// flight has finished, or until the calling task is cancelled.
    public func run(handler: @escaping @Sendable (ServerRequest, any ServerResponseWriter) async -> Void) async throws {
        let waiters = state.withLock { state in
            state.handler = handler
            defer { state.handlerWaiters.removeAll() }
            return state.handlerWaiters
        }
        for waiter in waiters { waiter.resume(returning: handler) }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let drained = state.withLock { state in
                    if state.shuttingDown && state.inFlight == 0 { return true }
                    state.drainWaiter = continuation
                    return false
                }
                if drained { continuation.resume() }
            }
        } onCancel: {
            self.beginGracefulShutdown()
            let waiter = self.state.withLock { state in
                defer { state.drainWaiter = nil }
                return state.drainWaiter
            }
            waiter?.resume()
        }
    }

    /// Refuses new requests; ``run(handler:)`` returns once the requests in flight have finished.
    public func beginGracefulShutdown() {
        let (drain, waiters) = state.withLock { state in
            state.shuttingDown = true
            let drain = state.inFlight == 0 ? state.drainWaiter : nil
            if drain != nil { state.drainWaiter = nil }
            defer { state.handlerWaiters.removeAll() }
            return (drain, state.handlerWaiters)
        }
        drain?.resume()
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Thrown by ``send(_:)`` when the transport is shut down or the handler wrote no response.
    public struct Unavailable: Error, Sendable {}

    /// Sends a request to the server and returns once the response head has been written.
    /// Waits for the server to start running if it has not yet.
    public func send(_ request: ServerRequest) async throws -> InProcessResponse {
        let handler = await withCheckedContinuation { (continuation: CheckedContinuation<Handler?, Never>) in
            let ready = state.withLock { state -> (Bool, Handler?) in
                if state.shuttingDown { return (true, nil) }
                if let handler = state.handler { return (true, handler) }
                state.handlerWaiters.append(continuation)
                return (false, nil)
            }
            if ready.0 { continuation.resume(returning: ready.1) }
        }
        guard let handler else { throw Unavailable() }
        state.withLock { $0.inFlight += 1 }
        let pipe = ResponsePipe()
        let task = Task {
            await handler(request, pipe)
            pipe.end()
            self.requestFinished()
        }
        pipe.setOnCancel { task.cancel() }
        guard
            let head = await withTaskCancellationHandler(operation: { await pipe.head() }, onCancel: { pipe.cancel() })
        else {
            pipe.cancel()
            throw Unavailable()
        }
        return InProcessResponse(status: head.status, headers: head.headers, body: InProcessResponseBody(pipe: pipe))
    }

    private func requestFinished() {
        let drain = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inFlight -= 1
            guard state.shuttingDown, state.inFlight == 0 else { return nil }
            defer { state.drainWaiter = nil }
            return state.drainWaiter
        }
        drain?.resume()
    }
}
