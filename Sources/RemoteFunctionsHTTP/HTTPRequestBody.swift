import Synchronization

/// A request body, read on demand as chunks of bytes.
///
/// Iterating enforces the server's default limit (``HTTPServerConfiguration/maxBodySize``);
/// ``collect(upTo:)`` enforces its own. Past the limit the read throws ``HTTPError/payloadTooLarge``;
/// when `Content-Length` already announces more, it throws before reading anything (and before
/// `100 Continue` is sent). A body can be read once.
public struct HTTPRequestBody: Sendable, AsyncSequence {
    /// A chunk of body bytes, never empty.
    public typealias Element = [UInt8]

    let source: any RequestBodySource
    let defaultLimit: Int

    init(source: any RequestBodySource, defaultLimit: Int) {
        self.source = source
        self.defaultLimit = defaultLimit
    }

    /// A body already in memory (for tests and in-process transports).
    public init(bytes: [UInt8]) {
        self.init(source: BufferedBodySource(bytes), defaultLimit: Int.max)
    }

    /// The length announced by `Content-Length`, or `nil` for chunked or absent bodies.
    public var declaredLength: Int? { source.declaredLength }

    /// Reads the whole body, failing with ``HTTPError/payloadTooLarge`` once it exceeds `limit` bytes
    /// (at once, without reading, when `Content-Length` exceeds it).
    nonisolated(nonsending) public func collect(upTo limit: Int) async throws -> [UInt8] {
        if let declared = source.declaredLength, declared > limit {
            source.reject()
            throw HTTPError.payloadTooLarge
        }
        var bytes: [UInt8] = []
        if let declared = source.declaredLength { bytes.reserveCapacity(declared) }
        while true {
            // What has already arrived is taken without suspending: a small body usually comes
            // with its head, and reading it then costs no executor switch.
            let chunk: [UInt8]?
            switch try source.nextBufferedChunk(limit: limit) {
            case .chunk(let bytes): chunk = bytes
            case .end: chunk = nil
            case .needsRead: chunk = try await source.nextChunk(limit: limit)
            }
            guard let chunk else { return bytes }
            if bytes.isEmpty { bytes = chunk } else { bytes.append(contentsOf: chunk) }
        }
    }

    /// The whole body when all of it has already been received, so that reading it cannot wait
    /// (typically a small body that came with its head); `nil` otherwise, having read nothing, and
    /// ``collect(upTo:)`` reads it. The limit and errors are those of ``collect(upTo:)``.
    public func collectIfReceived(upTo limit: Int) throws -> [UInt8]? {
        if let declared = source.declaredLength, declared > limit {
            source.reject()
            throw HTTPError.payloadTooLarge
        }
        return try source.collectIfReceived(limit: limit)
    }

    /// Iterates the body's chunks under the server's default limit.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source, limit: defaultLimit)
    }

    /// Reads the next chunk of the body.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: any RequestBodySource
        let limit: Int
        var checkedDeclaredLength = false

        /// The next chunk, or `nil` at the end of the body.
        public mutating func next() async throws -> [UInt8]? {
            if !checkedDeclaredLength {
                checkedDeclaredLength = true
                if let declared = source.declaredLength, declared > limit {
                    source.reject()
                    throw HTTPError.payloadTooLarge
                }
            }
            return try await source.nextChunk(limit: limit)
        }
    }
}

/// Where a request body's bytes come from.
protocol RequestBodySource: Sendable {
    /// The length from `Content-Length`, if any.
    var declaredLength: Int? { get }
    /// The next chunk, `nil` at the end; throws `payloadTooLarge` once more than `limit` bytes arrived.
    func nextChunk(limit: Int) async throws -> [UInt8]?
    /// The next chunk, or the end, when it is known without waiting; ``BufferedBodyChunk/needsRead``
    /// otherwise. Same limit and errors as ``nextChunk(limit:)``.
    func nextBufferedChunk(limit: Int) throws -> BufferedBodyChunk
    /// Marks the body as refused (too large) without reading it.
    func reject()
    /// The whole body if every byte of it has been received, `nil` (having read nothing)
    /// otherwise. Same limit and errors as ``nextChunk(limit:)``.
    func collectIfReceived(limit: Int) throws -> [UInt8]?
}

/// A body held in memory.
final class BufferedBodySource: RequestBodySource {
    private let remaining: Mutex<[UInt8]?>
    let declaredLength: Int?

    init(_ bytes: [UInt8]) {
        remaining = Mutex(bytes.isEmpty ? nil : bytes)
        declaredLength = bytes.count
    }

    func nextChunk(limit: Int) async throws -> [UInt8]? {
        let bytes = remaining.withLock { remaining in
            let bytes = remaining
            remaining = nil
            return bytes
        }
        if let bytes, bytes.count > limit { throw HTTPError.payloadTooLarge }
        return bytes
    }

    func nextBufferedChunk(limit: Int) throws -> BufferedBodyChunk {
        .needsRead
    }

    func collectIfReceived(limit: Int) throws -> [UInt8]? {
        let bytes = remaining.withLock { remaining in
            let bytes = remaining
            remaining = nil
            return bytes
        }
        if let bytes, bytes.count > limit { throw HTTPError.payloadTooLarge }
        return bytes ?? []
    }

    func reject() {}
}
