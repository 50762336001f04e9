public import RemoteFunctionsServer

extension LiveSubscription: EncodedStreamSource {
    /// Calls `handler` when the subscription has something to read and nobody waits in `next()`.
    public func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        buffer.setReadableHandler(handler)
    }

    /// The next value if one is ready; throws the error the subscription ended with.
    public func poll() throws -> StreamPoll<Value> {
        switch try buffer.poll() {
        case .element(let item):
            metrics.deliveredOne()
            return .item(try item.streamItem(as: Value.self))
        case .empty:
            return .empty
        case .finished:
            return .finished
        }
    }

    /// The next value if one is ready, as encoded once for every subscriber; throws the error the
    /// subscription ended with (or `internal` when the value could not be encoded).
    public func pollEncoded() throws -> EncodedStreamPoll {
        switch try buffer.poll() {
        case .element(let item):
            metrics.deliveredOne()
            return .item(try item.encodedOrThrow())
        case .empty:
            return .empty
        case .finished:
            return .finished
        }
    }
}
