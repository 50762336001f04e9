public import RemoteFunctionsServer

extension LiveSubscription: PollableStreamSource {
    /// Calls `handler` when the subscription has something to read and nobody waits in `next()`.
    public func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        lifetime.buffer.setReadableHandler(handler)
    }

    /// The next value if one is ready; throws the error the subscription ended with.
    public func poll() throws -> StreamPoll<Value> {
        switch try lifetime.buffer.poll() {
        case .element(let item):
            metrics.deliveredOne()
            return .item(item)
        case .empty:
            return .empty
        case .finished:
            return .finished
        }
    }
}
