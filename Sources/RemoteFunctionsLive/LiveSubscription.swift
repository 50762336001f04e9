public import RemoteFunctionsServer

/// One subscriber's view of a shared live query: the current value first, then each new value,
/// as ``StreamItem``s carrying the query's cursor.
///
/// Made by ``LiveQueries/subscribe(_:topics:overflow:cursor:filter:evaluate:)``. It ends with the
/// error the query's evaluation threw (as a ``RemoteError``), or with ``RemoteError/fellBehind``
/// when its `.bounded` buffer overflowed. Leaving the `for try await` loop, dropping the
/// sequence, or cancelling the reading task unsubscribes at once.
public struct LiveSubscription<Value: Sendable>: AsyncSequence, Sendable {
    /// A value with its cursor.
    public typealias Element = StreamItem<Value>
    /// The stream ends with a ``RemoteError``.
    public typealias Failure = any Error

    let lifetime: ConsumerLifetime<LiveItem>
    /// The lifetime's buffer, held directly so that polling touches one object less.
    let buffer: SubscriberBuffer<LiveItem>
    let metrics: LiveMetrics

    init(lifetime: ConsumerLifetime<LiveItem>, metrics: LiveMetrics) {
        self.lifetime = lifetime
        self.buffer = lifetime.buffer
        self.metrics = metrics
    }

    /// Reads the values one by one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let lifetime: ConsumerLifetime<LiveItem>
        let metrics: LiveMetrics

        /// The next value; `nil` once the subscription has ended or its reader was cancelled.
        public mutating func next() async throws -> StreamItem<Value>? {
            guard let item = try await lifetime.buffer.next() else { return nil }
            metrics.deliveredOne()
            return try item.streamItem(as: Value.self)
        }
    }

    /// Starts reading.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(lifetime: lifetime, metrics: metrics)
    }

    /// Unsubscribes now: the reader's next call returns `nil`.
    public func cancel() {
        buffer.cancel()
    }
}
