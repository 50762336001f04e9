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
            return ParticipantsLiveStream.update(item)
        }
    }

    /// The update of a state. ParticipantsState encodes exactly as its update, so the bytes the
    /// live query encoded once for every viewer are the update's JSON.
    static func update(_ item: StreamItem<ParticipantsState>) -> StreamItem<ParticipantsUpdate> {
        if let encoded = item.encoded {
            return StreamItem(
                item.element.update, encoded: encoded.reinterpreted(as: ParticipantsUpdate.self), cursor: item.cursor)
        }
        return StreamItem(item.element.update, cursor: item.cursor)
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: subscription.makeAsyncIterator())
    }
}

extension ParticipantsLiveStream: EncodedStreamSource {
    /// Calls `handler` when an update can be read and nobody waits in `next()`.
    public func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        subscription.setReadableHandler(handler)
    }

    /// The next update if one is ready.
    public func poll() throws -> StreamPoll<ParticipantsUpdate> {
        switch try subscription.poll() {
        case .item(let item): return .item(Self.update(item))
        case .empty: return .empty
        case .finished: return .finished
        }
    }

    /// The next update if one is ready, as encoded once for every viewer (a state's JSON is its
    /// update's).
    public func pollEncoded() throws -> EncodedStreamPoll {
        try subscription.pollEncoded()
    }

    /// Leaves the live query.
    public func cancel() {
        subscription.cancel()
    }
}
