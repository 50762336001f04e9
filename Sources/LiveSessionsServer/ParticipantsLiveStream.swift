public import LiveSessionsAPI
import RemoteFunctionsLive
public import RemoteFunctionsServer

/// The values of `participants.stream` for one viewer.
public struct ParticipantsLiveStream: AsyncSequence, Sendable {
    /// An update (no cursor: a state stream restarts from the current state).
    public typealias Element = StreamItem<ParticipantsUpdate>
    /// Ends with a ``RemoteError``.
    public typealias Failure = any Error

    let subscription: LiveSubscription<ParticipantsState>

    /// Reads the updates.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: LiveSubscription<ParticipantsState>.AsyncIterator

        /// The next update.
        public mutating func next() async throws -> StreamItem<ParticipantsUpdate>? {
            guard let item = try await base.next() else { return nil }
            // ParticipantsState encodes exactly as its update, so the bytes the live query encoded
            // once for every viewer are the update's JSON.
            if let encoded = item.encoded {
                return StreamItem(
                    item.element.update, encoded: encoded.reinterpreted(as: ParticipantsUpdate.self),
                    cursor: item.cursor)
            }
            return StreamItem(item.element.update, cursor: item.cursor)
        }
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: subscription.makeAsyncIterator())
    }
}
