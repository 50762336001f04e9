import RemoteFunctions
import Synchronization

/// The connection state and cursor of a ``RemoteStreamSequence``, shared by the sequence (which
/// reads them) and its iterator (which writes them), broadcast to any number of `states`
/// listeners.
final class StreamStateStorage: Sendable {
    private struct State {
        var current = RemoteConnectionState.idle
        var lastEventID: String?
        var listeners: [Int: AsyncStream<RemoteConnectionState>.Continuation] = [:]
        var nextListenerID = 0
    }

    private let state: Mutex<State>

    init(lastEventID: String?) {
        state = Mutex(State(lastEventID: lastEventID))
    }

    var current: RemoteConnectionState { state.withLock { $0.current } }

    var lastEventID: String? {
        get { state.withLock { $0.lastEventID } }
        set { state.withLock { $0.lastEventID = newValue } }
    }

    /// Publishes a new state. A final state also finishes every listener.
    func update(_ newState: RemoteConnectionState) {
        let listeners = state.withLock { state -> [AsyncStream<RemoteConnectionState>.Continuation] in
            guard state.current != newState else { return [] }
            state.current = newState
            let listeners = Array(state.listeners.values)
            if newState.isFinal { state.listeners.removeAll() }
            return listeners
        }
        for listener in listeners {
            listener.yield(newState)
            if newState.isFinal { listener.finish() }
        }
    }

    /// A stream of states that starts with the current one and ends after a final state.
    func makeListener() -> AsyncStream<RemoteConnectionState> {
        let (stream, continuation) = AsyncStream<RemoteConnectionState>.makeStream(bufferingPolicy: .unbounded)
        let current = state.withLock { state -> RemoteConnectionState in
            if !state.current.isFinal {
                let id = state.nextListenerID
                state.nextListenerID += 1
                state.listeners[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    self?.removeListener(id)
                }
            }
            return state.current
        }
        continuation.yield(current)
        if current.isFinal { continuation.finish() }
        return stream
    }

    private func removeListener(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }
}
