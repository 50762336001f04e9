import Synchronization

/// Copies an `AsyncThrowingStream` of chunks into a body's source, with back-pressure. The task
/// ends when the stream ends or when the body is cancelled (which cancels the task, and so
/// terminates the stream).
final class ResponseBodyPump: Sendable {
    private enum State {
        case idle
        case running(Task<Void, Never>)
        case cancelled
    }

    private let state = Mutex(State.idle)

    func start(_ chunks: AsyncThrowingStream<[UInt8], any Error>, into source: ClientResponseBody.Source) {
        let task = Task {
            do {
                for try await chunk in chunks {
                    try await source.write(chunk)
                }
                source.finish()
            } catch {
                source.finish(throwing: error)
            }
        }
        let cancelNow = state.withLock { state -> Bool in
            if case .cancelled = state { return true }
            state = .running(task)
            return false
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state = .cancelled }
            if case .running(let task) = state { return task }
            return nil
        }
        task?.cancel()
    }
}
