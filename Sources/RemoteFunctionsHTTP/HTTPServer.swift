import Synchronization

/// An HTTP/1.1 server on event-loop threads that are also the executors of its connection tasks.
///
/// Each accepted connection gets one task, started with the connection's loop as its executor
/// preference, that reads requests and calls `handler` for each in turn. The handler's task is
/// cancelled within milliseconds when the client hangs up, even while it waits on something else.
///
/// Lifecycle: ``run(onListening:)`` binds, calls `onListening` with the bound address, serves, and
/// returns only after ``beginGracefulShutdown(deadline:)`` (or cancellation of the calling task) once
/// every connection is closed and every connection task has ended.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running
        case draining
        case stopped
    }

    private struct ConnectionRecord {
        var connection: ServerConnection
        var task: Task<Void, Never>?
        /// The connection's task has ended and a detached response owns the connection.
        var detached = false
    }

    private struct State {
        var phase = Phase.idle
        var nextConnectionID = 0
        var connections: [Int: ConnectionRecord] = [:]
        var listener: Listener?
        var group: EventLoopGroup?
        var drainedWaiter: CheckedContinuation<Void, Never>?
        var pendingShutdown: Duration?
        var maxBufferedBytesOfClosed = 0
    }

    /// The configuration the server was created with.
    public let configuration: HTTPServerConfiguration
    private let handler: @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    private let state = Mutex(State())

    /// Creates a server that answers every request with `handler`. Nothing is bound until ``run(onListening:)``.
    public init(
        configuration: HTTPServerConfiguration,
        handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    ) {
        self.configuration = configuration
        self.handler = handler
    }

    /// The number of open connections (for metrics).
    public var openConnectionCount: Int { state.withLock { $0.connections.count } }

    /// The most bytes any connection's outbound buffer has held (open or closed); for tests that
    /// check backpressure.
    package var maxBufferedOutboundBytes: Int {
        let (open, closed) = state.withLock { state in
            (state.connections.values.map(\.connection), state.maxBufferedBytesOfClosed)
        }
        return open.reduce(closed) { max($0, $1.channel.maxBufferedBytes) }
    }

    /// Binds, calls `onListening` with the bound address (the real port when 0 was configured), and
    /// serves until shut down. Returns once every connection is closed and no connection task is
    /// left. Cancelling the calling task shuts down at once (in-flight handlers are cancelled).
    /// Throws ``SystemError`` when binding fails. A server runs once.
    public func run(onListening: @escaping @Sendable (HTTPServerAddress) -> Void = { _ in }) async throws {
        let canStart = state.withLock { state -> Bool in
            guard case .idle = state.phase else { return false }
            state.phase = .running
            return true
        }
        guard canStart else { throw HTTPError(status: 500, message: "Server already ran") }
        let group = try EventLoopGroup(
            count: configuration.loopCount, kind: configuration.eventQueue,
            sweepInterval: configuration.sweepInterval, name: "http-loop")
        let listener: Listener
        do {
            listener = try Listener(
                host: configuration.host, port: configuration.port, backlog: configuration.backlog,
                loop: group.loops[0]
            ) { [self] fd in
                adopt(fd, group: group)
            }
        } catch {
            state.withLock { $0.phase = .stopped }
            await group.shutdown()
            throw error
        }
        let pendingShutdown = state.withLock { state -> Duration? in
            state.listener = listener
            state.group = group
            return state.pendingShutdown
        }
        if let pendingShutdown { beginGracefulShutdown(deadline: pendingShutdown) }
        onListening(HTTPServerAddress(host: configuration.host, port: listener.port))
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let drained = state.withLock { state -> Bool in
                    if state.phase == .draining && state.connections.isEmpty { return true }
                    state.drainedWaiter = continuation
                    return false
                }
                if drained { continuation.resume() }
            }
        } onCancel: {
            beginGracefulShutdown(deadline: .zero)
        }
        state.withLock {
            $0.phase = .stopped
            $0.listener = nil
            $0.group = nil
        }
        await group.shutdown()
    }

    /// Stops accepting, closes idle keep-alive connections, lets requests in flight finish (their
    /// responses carry `Connection: close`), and after `deadline` closes the remaining connections and
    /// cancels their handlers. ``run(onListening:)`` then returns. Safe to call more than once and
    /// from any task; calling it before `run` makes `run` shut down right after binding.
    public func beginGracefulShutdown(deadline: Duration = .seconds(10)) {
        enum Step {
            case nothing
            case drain(Listener?, EventLoopGroup?, [SocketChannel], CheckedContinuation<Void, Never>?)
            case forceClose(EventLoopGroup?)
        }
        let step = state.withLock { state -> Step in
            switch state.phase {
            case .idle:
                state.pendingShutdown = min(state.pendingShutdown ?? deadline, deadline)
                return .nothing
            case .running:
                if state.group == nil {
                    state.pendingShutdown = min(state.pendingShutdown ?? deadline, deadline)
                    return .nothing
                }
                state.phase = .draining
                let listener = state.listener
                state.listener = nil
                var waiter: CheckedContinuation<Void, Never>?
                if state.connections.isEmpty {
                    waiter = state.drainedWaiter
                    state.drainedWaiter = nil
                }
                return .drain(listener, state.group, state.connections.values.map(\.connection.channel), waiter)
            case .draining:
                return deadline == .zero ? .forceClose(state.group) : .nothing
            case .stopped:
                return .nothing
            }
        }
        switch step {
        case .nothing:
            return
        case .drain(let listener, let group, let channels, let waiter):
            if let listener { listener.loop.execute { listener.close() } }
            for channel in channels { channel.interruptIdleReads() }
            waiter?.resume()
            if deadline == .zero {
                forceCloseConnections()
            } else if let loop = group?.loops.first {
                loop.schedule(at: .now + deadline) { [self] in forceCloseConnections() }
            }
        case .forceClose:
            forceCloseConnections()
        }
    }

    private func forceCloseConnections() {
        let records = state.withLock { Array($0.connections.values) }
        for record in records {
            record.task?.cancel()
            record.connection.channel.abort(failure: HTTPError.shuttingDown)
        }
    }

    /// Takes an accepted descriptor (on the listener's loop thread): picks a loop, registers the
    /// socket, and starts the connection's task on that loop.
    private func adopt(_ fd: Int32, group: EventLoopGroup) {
        let loop = group.next()
        let channel = SocketChannel(
            fd: fd, loop: loop,
            limits: SocketChannel.Limits(
                outboundHighWaterMark: configuration.outboundHighWaterMark,
                outboundLowWaterMark: configuration.outboundLowWaterMark,
                writeTimeout: configuration.writeTimeout))
        let registration = state.withLock { state -> (id: Int, rejected: Bool)? in
            guard case .running = state.phase else { return nil }
            state.nextConnectionID += 1
            return (state.nextConnectionID, state.connections.count >= configuration.maxConnections)
        }
        guard let registration else {
            channel.close()
            return
        }
        do {
            try channel.register()
        } catch {
            channel.close()
            return
        }
        let connection = ServerConnection(
            channel: channel, remoteAddress: SocketAddress.peerName(of: fd), configuration: configuration,
            rejected: registration.rejected,
            isDraining: { [self] in state.withLock { $0.phase != .running } },
            handler: handler)
        state.withLock { $0.connections[registration.id] = ConnectionRecord(connection: connection, task: nil) }
        let task = Task(executorPreference: loop) { [self] in
            if await connection.run() {
                // A detached response owns the open connection now: it counts until it closes. The
                // finished task's handle is dropped, since a task keeps its memory while referenced.
                state.withLock { state in
                    state.connections[registration.id]?.task = nil
                    state.connections[registration.id]?.detached = true
                    channel.setHangUpHandler {}
                }
                channel.addCloseHandler { [self] in connectionEnded(registration.id) }
            } else {
                connectionEnded(registration.id)
            }
        }
        // Under the server's lock, so that it cannot overwrite what a detached response's task set.
        state.withLock { state in
            guard let record = state.connections[registration.id], !record.detached else { return }
            state.connections[registration.id]?.task = task
            channel.setHangUpHandler { task.cancel() }
        }
    }

    private func connectionEnded(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let record = state.connections.removeValue(forKey: id) {
                state.maxBufferedBytesOfClosed = max(
                    state.maxBufferedBytesOfClosed, record.connection.channel.maxBufferedBytes)
            }
            guard state.phase == .draining, state.connections.isEmpty else { return nil }
            let waiter = state.drainedWaiter
            state.drainedWaiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
