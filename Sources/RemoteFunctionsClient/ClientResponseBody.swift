import Synchronization

/// The streaming body of a ``ClientResponse``: chunks of bytes in arrival order.
///
/// Leaving the iteration early, cancelling the iterating task, or releasing the iterator calls the
/// transport's cancel function, so the underlying request never outlives its reader. This matters
/// on Linux, where URLSession keeps a data task alive until it is cancelled explicitly.
public struct ClientResponseBody: AsyncSequence, Sendable {
    /// A chunk of bytes.
    public typealias Element = [UInt8]

    private let chunks: AsyncThrowingStream<[UInt8], any Error>
    private let cancel: @Sendable () -> Void

    /// Creates a body from a stream of chunks and a function that cancels the request. `cancel`
    /// may be called more than once and after the body has ended.
    public init(chunks: AsyncThrowingStream<[UInt8], any Error>, cancel: @escaping @Sendable () -> Void) {
        self.chunks = chunks
        self.cancel = cancel
    }

    /// A body that is already in memory.
    public init(bytes: [UInt8]) {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        if !bytes.isEmpty { continuation.yield(bytes) }
        continuation.finish()
        self.init(chunks: stream, cancel: {})
    }

    /// Creates an iterator. Releasing it before the body ends cancels the request.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: chunks.makeAsyncIterator(), cancellation: Cancellation(cancel))
    }

    /// Reads the whole body, throwing ``TooLarge`` (and cancelling the request) once more than
    /// `limit` bytes have arrived.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var result: [UInt8] = []
        for try await chunk in self {
            guard result.count + chunk.count <= limit else { throw TooLarge(limit: limit) }
            result += chunk
        }
        return result
    }

    /// Thrown by ``collect(upTo:)`` when the body is longer than its limit.
    public struct TooLarge: Error, Sendable {
        /// The limit that was exceeded, in bytes.
        public var limit: Int
    }

    /// Iterates the chunks of a ``ClientResponseBody``.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.Iterator
        let cancellation: Cancellation

        /// The next chunk, or `nil` at the end of the body. Cancelling the calling task cancels
        /// the request.
        public mutating func next() async throws -> [UInt8]? {
            let cancellation = self.cancellation
            let chunk = try await withTaskCancellationHandler {
                try await base.next()
            } onCancel: {
                cancellation.cancel()
            }
            if chunk == nil { cancellation.markFinished() }
            return chunk
        }
    }

    /// Cancels the request once, when the reader leaves early; released with the iterator.
    final class Cancellation: Sendable {
        private let action: @Sendable () -> Void
        private let finished = Mutex(false)

        init(_ action: @escaping @Sendable () -> Void) { self.action = action }

        func markFinished() { finished.withLock { $0 = true } }

        func cancel() {
            let shouldCancel = finished.withLock { finished in
                defer { finished = true }
                return !finished
            }
            if shouldCancel { action() }
        }

        deinit { cancel() }
    }
}
