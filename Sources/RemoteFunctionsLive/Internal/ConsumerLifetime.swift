/// The consumer's side of a ``SubscriberBuffer``: held by a sequence and its iterators only, so
/// that when the consumer drops them (leaves its `for try await` loop) the buffer is cancelled
/// and the subscriber's slot freed, even if nobody cancelled a task.
final class ConsumerLifetime<Element: Sendable>: Sendable {
    let buffer: SubscriberBuffer<Element>

    init(buffer: SubscriberBuffer<Element>) {
        self.buffer = buffer
    }

    deinit {
        buffer.cancel()
    }
}
