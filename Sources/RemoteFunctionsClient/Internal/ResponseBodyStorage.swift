import Synchronization

/// The shared state of a ``ClientResponseBody``: a buffer of chunks, at most one waiting consumer,
/// waiting writers, and how the body ended. Continuations are resumed outside the lock.
final class ResponseBodyStorage: Sendable {
    private enum End {
        case finished
        case failed(any Error)
        case cancelled
    }

    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        var consumer: CheckedContinuation<[UInt8]?, any Error>?
        var writers: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWriterID = 0
        var end: End?
        /// Set once the consumer saw the end (nil or an error): releasing the iterator after
        /// that does not cancel anything.
        var consumerDone = false

        var hasBuffered: Bool { head < chunks.count }

        mutating func takeChunk() -> [UInt8] {
            let chunk = chunks[head]
            chunks[head] = []
            head += 1
            bufferedBytes -= chunk.count
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= chunks.count {
                chunks.removeFirst(head)
                head = 0
            }
            return chunk
        }

        mutating func takeWriters() -> [CheckedContinuation<Void, any Error>] {
            let result = Array(writers.values)
            writers.removeAll()
            return result
        }
    }

    private let state = Mutex(State())
    private let highWaterMark: Int
    private let onCancel: @Sendable () -> Void

    init(highWaterMark: Int, onCancel: @escaping @Sendable () -> Void) {
        self.highWaterMark = max(1, highWaterMark)
        self.onCancel = onCancel
    }

    var isCancelled: Bool {
        state.withLock { state in
            if case .cancelled = state.end { return true }
            return false
        }
    }

    // MARK: Consumer

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                enum Action {
                    case deliver([UInt8]?, [CheckedContinuation<Void, any Error>])
                    case fail(any Error)
                    case wait
                }
                let action = state.withLock { state -> Action in
                    precondition(state.consumer == nil, "a ClientResponseBody is iterated by one task at a time")
                    if state.hasBuffered {
                        let chunk = state.takeChunk()
                        let writers = state.bufferedBytes * 2 <= highWaterMark ? state.takeWriters() : []
                        return .deliver(chunk, writers)
                    }
                    switch state.end {
                    case .finished:
                        state.consumerDone = true
                        return .deliver(nil, [])
                    case .failed(let error):
                        state.consumerDone = true
                        return .fail(error)
                    case .cancelled:
                        state.consumerDone = true
                        return .fail(CancellationError())
                    case nil:
                        state.consumer = continuation
                        return .wait
                    }
                }
                switch action {
                case .deliver(let chunk, let writers):
                    for writer in writers { writer.resume() }
                    continuation.resume(returning: chunk)
                case .fail(let error):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The iterator was released: cancels unless the consumer already saw the end.
    func consumerLeft() {
        let done = state.withLock { $0.consumerDone }
        if !done { cancel() }
    }

    /// Cancels the body: drops the buffer, fails waiters with `CancellationError`, and calls
    /// `onCancel` if the producer had not finished.
    func cancel() {
        let (consumer, writers, callOnCancel) = state.withLock {
            state -> (CheckedContinuation<[UInt8]?, any Error>?, [CheckedContinuation<Void, any Error>], Bool) in
            state.chunks.removeAll()
            state.head = 0
            state.bufferedBytes = 0
            let consumer = state.consumer
            state.consumer = nil
            if consumer != nil { state.consumerDone = true }
            let writers = state.takeWriters()
            guard state.end == nil else { return (consumer, writers, false) }
            state.end = .cancelled
            return (consumer, writers, true)
        }
        consumer?.resume(throwing: CancellationError())
        for writer in writers { writer.resume(throwing: CancellationError()) }
        if callOnCancel { onCancel() }
    }

    // MARK: Producer

    /// Appends a chunk, or hands it straight to a waiting consumer.
    @discardableResult
    func append(_ chunk: [UInt8]) -> Bool {
        let (accepted, consumer) = state.withLock { state -> (Bool, CheckedContinuation<[UInt8]?, any Error>?) in
            guard state.end == nil else { return (false, nil) }
            if let consumer = state.consumer {
                state.consumer = nil
                return (true, consumer)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
            return (true, nil)
        }
        consumer?.resume(returning: chunk)
        return accepted
    }

    func write(_ chunk: [UInt8]) async throws {
        guard append(chunk) else { throw CancellationError() }
        let writerID = state.withLock { state -> Int in
            state.nextWriterID += 1
            return state.nextWriterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, fail, wait }
                let action = state.withLock { state -> Action in
                    if case .cancelled = state.end { return .fail }
                    if state.end != nil || state.bufferedBytes <= highWaterMark { return .resume }
                    if Task.isCancelled { return .fail }
                    state.writers[writerID] = continuation
                    return .wait
                }
                switch action {
                case .resume: continuation.resume()
                case .fail: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let writer = state.withLock { $0.writers.removeValue(forKey: writerID) }
            writer?.resume(throwing: CancellationError())
        }
    }

    func finish(_ error: (any Error)?) {
        let (consumer, writers) = state.withLock {
            state -> (CheckedContinuation<[UInt8]?, any Error>?, [CheckedContinuation<Void, any Error>]) in
            guard state.end == nil else { return (nil, []) }
            state.end = error.map { .failed($0) } ?? .finished
            let consumer = state.consumer
            state.consumer = nil
            if consumer != nil { state.consumerDone = true }
            return (consumer, state.takeWriters())
        }
        for writer in writers { writer.resume() }
        if let consumer {
            if let error {
                consumer.resume(throwing: error)
            } else {
                consumer.resume(returning: nil)
            }
        }
    }
}
