import Synchronization

/// Tells a subscribe request, exactly once, whether its stream started (the handler is about to
/// produce values: answer 204) or failed before starting (answer with the error).
final class ChannelStartSignal: Sendable {
    private let continuation: Mutex<CheckedContinuation<(any Error)?, Never>?>

    init(_ continuation: CheckedContinuation<(any Error)?, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Reports the outcome; later calls do nothing. `nil` means started.
    func resolve(_ error: (any Error)?) {
        let waiter = continuation.withLock { slot in
            defer { slot = nil }
            return slot
        }
        waiter?.resume(returning: error)
    }
}
