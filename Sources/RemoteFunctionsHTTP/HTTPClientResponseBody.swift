/// The body of an ``HTTPClientResponse``, delivered as chunks while they arrive (server-sent events
/// stream through it). It can be read once. Cancelling the reading task closes the connection.
public struct HTTPClientResponseBody: Sendable, AsyncSequence {
    /// A chunk of body bytes, never empty.
    public typealias Element = [UInt8]

    let connection: ClientConnection?

    /// Reads the whole body; throws ``HTTPError/payloadTooLarge`` beyond `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self {
            if bytes.count + chunk.count > limit {
                connection?.abandon()
                throw HTTPError.payloadTooLarge
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// Iterates the body's chunks.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(connection: connection)
    }

    /// Reads the next chunk of the body.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let connection: ClientConnection?

        /// The next chunk, or `nil` at the end of the body.
        public mutating func next() async throws -> [UInt8]? {
            guard let connection else { return nil }
            return try await connection.nextBodyChunk()
        }
    }
}
