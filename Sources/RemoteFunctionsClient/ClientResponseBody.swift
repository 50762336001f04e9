/// The body of a ``ClientResponse``: chunks of bytes in arrival order, as an `AsyncSequence`.
///
/// A body is single-pass: iterate it once. Leaving the iteration early (`break`, `return`, a
/// thrown error), cancelling the iterating task, releasing the iterator before the end, or
/// releasing a body that was never read cancels the underlying request by calling the `onCancel`
/// closure given at creation, exactly once. A body that ended normally is never cancelled.
///
/// Producers (transports) feed a body through its ``Source``: ``Source/yield(_:)`` never waits
/// (for callback-based producers such as a `URLSessionDataDelegate`), ``Source/write(_:)``
/// suspends while more than the high-water mark is buffered (for producers that can wait, such as
/// an in-process transport).
public struct ClientResponseBody: AsyncSequence, Sendable {
    /// One chunk of bytes.
    public typealias Element = [UInt8]
    /// Transport errors, or `CancellationError` once the body was cancelled.
    public typealias Failure = any Error

    let storage: ResponseBodyStorage
    /// Released with the last copy of the body and of its iterators: a body dropped unread
    /// cancels its request.
    let lifetime: ResponseBodyLifetime

    init(storage: ResponseBodyStorage) {
        self.storage = storage
        self.lifetime = ResponseBodyLifetime(storage: storage)
    }

    /// Creates a body and the source that feeds it. `onCancel` is called once if the consumer
    /// leaves before the producer finished; it should cancel the request.
    ///
    /// - Parameter highWaterMark: the number of buffered bytes above which ``Source/write(_:)``
    ///   suspends until the consumer has read half of them.
    public static func makeStream(
        highWaterMark: Int = 256 * 1024,
        onCancel: @escaping @Sendable () -> Void = {}
    ) -> (body: ClientResponseBody, source: Source) {
        let storage = ResponseBodyStorage(highWaterMark: highWaterMark, onCancel: onCancel)
        return (ClientResponseBody(storage: storage), Source(storage: storage))
    }

    /// Creates a body from a stream of chunks and a function that cancels the request. `cancel` is
    /// called at most once, when the reader leaves before the stream finished; the stream is then
    /// terminated too (its `onTermination` runs).
    ///
    /// The stream is read one chunk ahead of the reader at most, so a producer that waits for
    /// demand (such as an unfolding stream) keeps its backpressure.
    public init(chunks: AsyncThrowingStream<[UInt8], any Error>, cancel: @escaping @Sendable () -> Void) {
        let pump = ResponseBodyPump()
        let (body, source) = Self.makeStream(
            highWaterMark: 1,
            onCancel: {
                pump.cancel()
                cancel()
            })
        pump.start(chunks, into: source)
        self = body
    }

    /// A complete body made of the given chunks (empty chunks are kept as they are).
    public init(chunks: [[UInt8]]) {
        let storage = ResponseBodyStorage(highWaterMark: .max, onCancel: {})
        let source = Source(storage: storage)
        for chunk in chunks { source.yield(chunk) }
        source.finish()
        self.init(storage: storage)
    }

    /// A complete body made of one chunk; an empty body when `bytes` is empty.
    public init(bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        self.init(chunks: array.isEmpty ? [] : [array])
    }

    /// An empty, complete body.
    public static var empty: ClientResponseBody { ClientResponseBody(chunks: []) }

    /// Cancels the body without iterating it (for example when the response is not wanted). Does
    /// nothing once the body has ended.
    public func cancel() {
        storage.cancel()
    }

    /// Creates the iterator. Releasing it before the end cancels the request.
    public func makeAsyncIterator() -> Iterator {
        Iterator(body: self)
    }

    /// Reads the whole body, which must not exceed `limit` bytes.
    ///
    /// - Throws: ``TooLarge`` (and cancels the request) when the body is longer than `limit`;
    ///   otherwise the transport's error.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var result: [UInt8] = []
        for try await chunk in self {
            guard chunk.count <= limit - result.count else { throw TooLarge(limit: limit) }
            result.append(contentsOf: chunk)
        }
        return result
    }

    /// Thrown by ``collect(upTo:)`` when the body is longer than its limit.
    public struct TooLarge: Error, Sendable {
        /// The limit that was exceeded, in bytes.
        public var limit: Int
    }

    /// Iterates a ``ClientResponseBody``. Releasing every copy of it before the body ended
    /// cancels the request.
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        private let storage: ResponseBodyStorage
        private let bodyLifetime: ResponseBodyLifetime
        private let lifetime: ResponseBodyLifetime

        init(body: ClientResponseBody) {
            self.storage = body.storage
            self.bodyLifetime = body.lifetime
            self.lifetime = ResponseBodyLifetime(storage: body.storage)
        }

        /// The next chunk, or `nil` at the end of the body.
        ///
        /// - Throws: the transport's error, or `CancellationError` if the task or body was
        ///   cancelled.
        public mutating func next() async throws -> [UInt8]? {
            try await storage.next()
        }
    }

    /// The producer's end of a ``ClientResponseBody``.
    public struct Source: Sendable {
        let storage: ResponseBodyStorage

        /// Appends a chunk without waiting. Returns `false` (and drops the chunk) once the body
        /// was cancelled or finished.
        @discardableResult
        public func yield(_ chunk: [UInt8]) -> Bool {
            storage.append(chunk)
        }

        /// Appends a chunk, then waits while more than the high-water mark is buffered.
        ///
        /// - Throws: `CancellationError` once the consumer left or the writing task is cancelled.
        public func write(_ chunk: [UInt8]) async throws {
            try await storage.write(chunk)
        }

        /// Ends the body normally, or with `error`. Later calls do nothing.
        public func finish(throwing error: (any Error)? = nil) {
            storage.finish(error)
        }

        /// Whether the consumer cancelled the body (or left before its end).
        public var isCancelled: Bool { storage.isCancelled }
    }
}
