public import RemoteFunctions
import Synchronization

/// A per-subscriber buffer between one producer that must never wait and one consumer that reads
/// at its own pace, applying a ``StreamOverflowPolicy``.
///
/// The producer calls ``push(_:)``, which never suspends: it hands the value to a waiting
/// consumer, buffers it, or applies the policy when the buffer is full. With `.latest` the buffer
/// keeps only the newest value (the older unread one is *skipped*); with `.bounded(n)` a push
/// into a full buffer ends the stream at once with ``RemoteError/fellBehind`` and drops the
/// buffered values, so a stalled subscriber holds at most `n` values and never slows the
/// producer. The consumer reads with ``next()`` (or ``poll()`` without suspending).
///
/// The state is a small queue and one continuation slot in a `Mutex`: no task per subscriber.
/// Continuations are resumed and the termination callback runs outside the lock.
public final class SubscriberBuffer<Element: Sendable>: Sendable {
    /// What happened to a pushed value.
    public enum PushResult: Sendable, Hashable {
        /// Handed straight to a consumer that was waiting.
        case delivered
        /// Stored until the consumer asks for it.
        case buffered
        /// `.latest`: stored in place of an unread older value, which is skipped.
        case replaced
        /// `.bounded`: the buffer was full, so the stream ended with ``RemoteError/fellBehind``.
        case overflowed
        /// The stream had already ended or its consumer had left; the value was discarded.
        case dropped
    }

    /// What ``poll()`` found.
    public enum PollResult: Sendable {
        /// The oldest unread value.
        case element(Element)
        /// Nothing to read yet; the stream is still open.
        case empty
        /// The stream ended normally.
        case finished
    }

    private let state: Mutex<SubscriberBufferState<Element>>
    private let onTermination: (@Sendable () -> Void)?

    /// Creates an open buffer.
    ///
    /// - Parameters:
    ///   - policy: What to do when the consumer falls behind.
    ///   - onTermination: Called exactly once, outside any lock, when the buffer stops accepting
    ///     values: after ``finish(throwing:)``, an overflow, ``cancel()``, or the consumer's task
    ///     being cancelled while it waits. Use it to free the subscriber's slot.
    ///   - onReadable: Called outside any lock when the buffer goes from nothing to read to
    ///     something to read (a value, the end or an error) while no reader waits in ``next()``.
    ///     A consumer that serves many buffers in turn (a multiplexed channel) uses it to learn
    ///     which to ``poll()``; it must then poll until `.empty`, because pushes into a buffer that
    ///     already has something to read do not call it again.
    public init(
        policy: StreamOverflowPolicy, onTermination: (@Sendable () -> Void)? = nil,
        onReadable: (@Sendable () -> Void)? = nil
    ) {
        var state = SubscriberBufferState<Element>(policy: policy)
        state.readableHandler = onReadable
        self.state = Mutex(state)
        self.onTermination = onTermination
    }

    /// Sets (or replaces) the function called when the buffer becomes readable with no reader
    /// waiting, as `onReadable` of ``init(policy:onTermination:onReadable:)``; it runs at once when
    /// something can be read already. ``cancel()`` drops it.
    public func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        let readableNow = state.withLock { state -> Bool in
            // Ended: the consumer has read the end or cancelled; nothing will ever be readable.
            if case .ended = state.phase { return false }
            state.readableHandler = handler
            return state.isReadable
        }
        if readableNow { handler() }
    }

    /// Offers a value without ever suspending. Safe to call from any thread, concurrently with
    /// the consumer.
    @discardableResult
    public func push(_ element: Element) -> PushResult {
        let (action, readable) = state.withLock { state in
            let action = state.push(element, overflowError: RemoteError.fellBehind)
            return (action, action.becameReadable ? state.readableHandler : nil)
        }
        if let waiter = action.resume {
            waiter.resume(returning: element)
        }
        if action.terminated {
            onTermination?()
        }
        readable?()
        return action.result
    }

    /// Ends the stream from the producer's side. Values already buffered are still delivered;
    /// then ``next()`` throws `error`, or returns `nil` when `error` is `nil`. Later calls and
    /// pushes are ignored.
    public func finish(throwing error: (any Error)? = nil) {
        let (action, readable) = state.withLock { state in
            let action = state.finish(error: error)
            return (action, action.becameReadable ? state.readableHandler : nil)
        }
        if let waiter = action.waiter {
            if let error = action.error {
                waiter.resume(throwing: error)
            } else {
                waiter.resume(returning: nil)
            }
        }
        if action.terminated {
            onTermination?()
        }
        readable?()
    }

    /// Ends the stream from the consumer's side: buffered values are dropped, a waiting
    /// ``next()`` returns `nil`, and later pushes are discarded.
    public func cancel() {
        let action = state.withLock { $0.cancel() }
        action.waiter?.resume(returning: nil)
        if action.terminated {
            onTermination?()
        }
    }

    /// The next value, suspending until one is pushed. Returns `nil` once the stream has ended
    /// (or the calling task is cancelled, which also cancels the buffer), and throws the error the
    /// stream ended with, once. Only one consumer may read at a time.
    public func next() async throws -> Element? {
        switch state.withLock({ $0.take(isCancelled: false, waiter: nil) }) {
        case .element(let element): return element
        case .end: return nil
        case .fail(let error): throw error
        case .empty, .suspended: break
        }
        if Task.isCancelled {
            cancel()
            return nil
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                let action = state.withLock { $0.take(isCancelled: Task.isCancelled, waiter: continuation) }
                switch action {
                case .element(let element): continuation.resume(returning: element)
                case .end: continuation.resume(returning: nil)
                case .fail(let error): continuation.resume(throwing: error)
                case .suspended, .empty: break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The next value if one is ready, without suspending. Throws the error the stream ended with,
    /// once. For a consumer that serves many buffers in turn (a multiplexed channel).
    public func poll() throws -> PollResult {
        switch state.withLock({ $0.take(isCancelled: false, waiter: nil) }) {
        case .element(let element): return .element(element)
        case .end: return .finished
        case .fail(let error): throw error
        case .empty, .suspended: return .empty
        }
    }

    /// The number of values waiting to be read.
    public var count: Int { state.withLock { $0.count } }

    /// Whether the buffer still accepts values.
    public var isOpen: Bool { state.withLock { $0.isOpen } }
}
