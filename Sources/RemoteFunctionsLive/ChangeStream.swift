/// The changes of some topics of a ``ChangeFeed``, as an async sequence, in publish order.
///
/// Made by ``ChangeFeed/changes(topics:bufferLimit:)``. Its buffer is bounded: a reader that falls
/// more than `bufferLimit` changes behind ends with ``RemoteError/fellBehind`` (it should then
/// re-read what it follows). Dropping the sequence or cancelling its reader unregisters it.
public struct ChangeStream: AsyncSequence, Sendable {
    /// A change, or an invalidation of everything.
    public typealias Element = ChangeFeed.Event
    /// The stream ends with ``RemoteError/fellBehind`` when its reader falls behind.
    public typealias Failure = any Error

    let lifetime: ConsumerLifetime<ChangeFeed.Event>

    /// Reads the changes one by one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let lifetime: ConsumerLifetime<ChangeFeed.Event>

        /// The next change; `nil` once the stream has ended or its reader was cancelled.
        public mutating func next() async throws -> ChangeFeed.Event? {
            try await lifetime.buffer.next()
        }
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(lifetime: lifetime)
    }
}

extension ChangeFeed {
    /// The changes to `topics` (and every ``invalidateAll()``) published from now on, in publish
    /// order.
    ///
    /// - Parameter bufferLimit: The most changes kept for a reader that has not caught up; one
    ///   more ends its stream with ``RemoteError/fellBehind``.
    public func changes(topics: [String], bufferLimit: Int = 1024) -> ChangeStream {
        let id = makeListenerID()
        let buffer = SubscriberBuffer<Event>(policy: .bounded(bufferLimit)) { [weak self] in
            self?.removeListener(id: id)
        }
        addListener(BufferListener(buffer: buffer), id: id, topics: topics)
        return ChangeStream(lifetime: ConsumerLifetime(buffer: buffer))
    }
}

/// Pushes the feed's events into a subscriber buffer.
private final class BufferListener: ChangeListener {
    let buffer: SubscriberBuffer<ChangeFeed.Event>

    init(buffer: SubscriberBuffer<ChangeFeed.Event>) {
        self.buffer = buffer
    }

    func receive(_ event: ChangeFeed.Event) {
        buffer.push(event)
    }
}
