import Synchronization

/// The streams a server has open: their count, their heartbeats and their graceful shutdown.
///
/// Heartbeats come from one ticker task per server rather than one timer per stream, so an idle
/// stream costs no task of its own. The ticker runs only while at least one stream is open.
final class OpenStreams: Sendable {
    private struct State {
        var nextID = 0
        var streams: [Int: any OpenStreamEntry] = [:]
        var shuttingDown = false
        var tickerRunning = false
    }

    private let state = Mutex(State())
    private let heartbeatInterval: Duration

    init(heartbeatInterval: Duration) {
        self.heartbeatInterval = heartbeatInterval
    }

    /// The number of streams open now.
    var count: Int { state.withLock { $0.streams.count } }

    /// Registers a new stream, or returns `nil` once shutdown has begun.
    func open(writer: any ServerResponseWriter, logger: RemoteLogger) -> OpenStream? {
        let (stream, startTicker) = state.withLock { state -> (OpenStream?, Bool) in
            guard !state.shuttingDown else { return (nil, false) }
            state.nextID += 1
            let stream = OpenStream(id: state.nextID, writer: writer, logger: logger)
            state.streams[stream.id] = stream
            let startTicker = !state.tickerRunning
            state.tickerRunning = true
            return (stream, startTicker)
        }
        if startTicker {
            Task { await self.runTicker() }
        }
        return stream
    }

    /// Forgets a stream that has ended.
    func close(_ stream: any OpenStreamEntry) {
        state.withLock { state in
            if let current = state.streams[stream.id], current === stream {
                state.streams[stream.id] = nil
            }
        }
    }

    /// Forgets the stream numbered `id`, whichever entry holds it.
    func close(id: Int) {
        state.withLock { _ = $0.streams.removeValue(forKey: id) }
    }

    /// Puts `replacement` (with the same id) in the place of `stream`, which goes on without its
    /// task; `false` once shutdown has begun (the caller then ends `replacement` itself).
    func replace(_ stream: OpenStream, with replacement: any OpenStreamEntry) -> Bool {
        state.withLock { state in
            guard !state.shuttingDown, let current = state.streams[stream.id], current === stream else { return false }
            state.streams[stream.id] = replacement
            return true
        }
    }

    /// Refuses new streams and asks every open stream to end with a resumable error.
    func shutdownAll() {
        let streams = state.withLock { state in
            state.shuttingDown = true
            return Array(state.streams.values)
        }
        for stream in streams { stream.shutdown() }
    }

    /// Wakes four times per interval and sends a heartbeat to every stream that has been silent
    /// for at least three quarters of it, so a silent stream hears from the server at least once
    /// per interval. Exits when no stream is open.
    private func runTicker() async {
        let tick = heartbeatInterval / 4
        while true {
            do {
                try await Task.sleep(for: tick)
            } catch {
                state.withLock { $0.tickerRunning = false }
                return
            }
            let streams = state.withLock { state -> [any OpenStreamEntry]? in
                guard !state.streams.isEmpty else {
                    state.tickerRunning = false
                    return nil
                }
                return Array(state.streams.values)
            }
            guard let streams else { return }
            let silentSince = ContinuousClock.now - (heartbeatInterval - tick)
            for stream in streams {
                stream.heartbeatIfIdle(silentSince: silentSince)
            }
        }
    }
}
