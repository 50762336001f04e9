import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// Delivers every published object to every current `bench.fanout` subscriber. Each object is
/// encoded once and shared by all subscribers; a subscriber more than ``bufferLimit`` objects
/// behind ends with the resumable error `unavailable`, so one slow reader never holds memory
/// without bound.
final class Broadcaster: Sendable {
    typealias Items = AsyncThrowingStream<StreamItem<JSONValue>, any Error>

    static let bufferLimit = 1024

    private struct State {
        var nextID = 0
        var subscribers: [Int: Items.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// A new subscription; it is removed when its reader goes away.
    func subscribe() -> Items {
        let (stream, continuation) = Items.makeStream(bufferingPolicy: .bufferingOldest(Self.bufferLimit))
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Publishes `value` to every subscriber and returns how many there were.
    func publish(_ value: JSONValue) throws -> Int {
        let item = StreamItem(value, encoded: try EncodedJSON(value))
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers {
            if case .dropped = subscriber.yield(item) {
                subscriber.finish(throwing: RemoteError(.unavailable, "the subscriber fell too far behind; reconnect"))
            }
        }
        return subscribers.count
    }
}
