import RemoteFunctions
import Synchronization

/// A stream served with no task: a ``PolledSource`` drained into a ``ServerPushResponse``.
///
/// The *pump* runs whenever the source becomes readable, the response drains, a heartbeat is due,
/// or the stream must end. It writes frames while the response has room; when it is full it stops
/// and the response's writable handler restarts it, so the source's overflow policy (not this
/// class) decides what a slow subscriber keeps. Only one pump runs at a time: a request that
/// arrives while one runs makes it go round once more. Endings (source finished or failed, client
/// gone, shutdown) happen inside the pump, so the final frame is always the last bytes written.
///
/// The response's handlers and the source's readable handler hold this object; both are released
/// when the stream ends (the source is cancelled and the connection closes), which ends the cycle.
final class PushedStream: OpenStreamEntry {
    private struct State {
        var pumping = false
        var again = false
        var ended = false
        var requestedEnding: StreamEnding?
        var heartbeatDue = false
        var lastWrite: ContinuousClock.Instant

        /// What the pump must do this round: end the stream, or send a heartbeat first.
        mutating func takeRequest() -> (ending: StreamEnding?, heartbeat: Bool) {
            defer { heartbeatDue = false }
            return (requestedEnding, heartbeatDue)
        }
    }

    let id: Int
    private let source: PolledSource
    private let response: any ServerPushResponse
    private let logger: RemoteLogger
    private let finalFrame: @Sendable (StreamEnding) -> [UInt8]?
    private let onEnd: @Sendable (StreamEnding) -> Void
    private let state: Mutex<State>

    /// - Parameters:
    ///   - finalFrame: The bytes that end the stream for an ending (`nil` when none is sent).
    ///   - onEnd: Called once, after the final frame, with how the stream ended.
    init(
        id: Int, source: PolledSource, response: any ServerPushResponse, logger: RemoteLogger,
        finalFrame: @escaping @Sendable (StreamEnding) -> [UInt8]?, onEnd: @escaping @Sendable (StreamEnding) -> Void
    ) {
        self.id = id
        self.source = source
        self.response = response
        self.logger = logger
        self.finalFrame = finalFrame
        self.onEnd = onEnd
        self.state = Mutex(State(lastWrite: .now))
    }

    /// Connects the handlers and writes what the source already has.
    func start() {
        response.setHandlers(onWritable: { [self] in pump() }, onClose: { [self] in end(.clientGone) })
        // A value becoming readable is written at once by the thread that pushed it, while this
        // stream's data is still in that core's cache; a source with many readers spreads its
        // pushes over the cores (`LiveQueries`, `Broadcast`). The closure captures only this
        // object, which is then its context: nothing to allocate per value.
        source.setReadableHandler { [self] in pump() }
        pump()
    }

    func heartbeatIfIdle(silentSince idleSince: ContinuousClock.Instant) -> Bool {
        let due = state.withLock { state -> Bool in
            guard !state.ended, !state.heartbeatDue, state.lastWrite <= idleSince else { return false }
            state.heartbeatDue = true
            return true
        }
        if due { pump() }
        return due
    }

    func shutdown() {
        end(.shutdown)
    }

    private func end(_ ending: StreamEnding) {
        let requested = state.withLock { state -> Bool in
            guard !state.ended, state.requestedEnding == nil else { return false }
            state.requestedEnding = ending
            return true
        }
        if requested { pump() }
    }

    // MARK: Pump

    private func pump() {
        // One lock to enter and read what is asked, one per round to record the write and leave.
        var request = state.withLock { state -> (ending: StreamEnding?, heartbeat: Bool)? in
            if state.ended { return nil }
            if state.pumping {
                state.again = true
                return nil
            }
            state.pumping = true
            return state.takeRequest()
        }
        while let (requested, heartbeat) = request {
            let (ending, wrote) = drain(requested: requested, heartbeat: heartbeat)
            if let ending {
                finish(ending)
                return
            }
            request = state.withLock { state in
                if wrote { state.lastWrite = .now }
                if state.again {
                    state.again = false
                    return state.takeRequest()
                }
                state.pumping = false
                return nil
            }
        }
    }

    /// Writes what can be written now. Returns the stream's ending once it has one, and whether
    /// anything was written.
    private func drain(requested: StreamEnding?, heartbeat: Bool) -> (ending: StreamEnding?, wrote: Bool) {
        if let requested { return (requested, false) }
        var wrote = false
        if heartbeat && response.hasRoom() {
            guard response.send(ServerSentEvent.comment()) else { return (.clientGone, wrote) }
            wrote = true
        }
        while response.hasRoom() {
            let next: PolledSource.Next
            do {
                next = try source.next()
            } catch let error as RemoteError {
                return (.failed(error), wrote)
            } catch {
                logger.log(.error, "stream source failed: \(String(reflecting: error))")
                return (.failed(RemoteError(.internal, "internal error")), wrote)
            }
            switch next {
            case .frame(let bytes):
                guard response.send(bytes) else { return (.clientGone, wrote) }
                wrote = true
            case .empty:
                return (nil, wrote)
            case .finished:
                return (.finished, wrote)
            }
        }
        return (nil, wrote)
    }

    /// Ends the stream (inside the pump): releases the source, writes the final frame, ends the
    /// response, reports.
    private func finish(_ ending: StreamEnding) {
        state.withLock { state in
            state.ended = true
            state.pumping = false
        }
        source.cancel()
        if case .clientGone = ending {
            // The connection has closed; nothing can be sent.
        } else {
            if let frame = finalFrame(ending) { response.send(frame) }
            response.finish()
        }
        onEnd(ending)
    }
}
