/// A response from an ``InProcessServerTransport``: its head, and a body that streams.
public struct InProcessResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The response headers, in the order written.
    public var headers: [(name: String, value: String)]
    /// The body. Cancelling the task that iterates it, or releasing it before the end, cancels the
    /// server handler's task.
    public var body: InProcessResponseBody

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The body of an ``InProcessResponse``, as chunks in the order the handler wrote them.
public struct InProcessResponseBody: AsyncSequence, Sendable {
    /// A chunk of bytes.
    public typealias Element = [UInt8]

    private let reader: Reader

    init(pipe: ResponsePipe) {
        self.reader = Reader(pipe: pipe)
    }

    /// Cancels the response: the server handler's task is cancelled and its writes fail.
    public func cancel() {
        reader.pipe.cancel()
    }

    /// Reads the whole body.
    public func collect() async -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = await reader.pipe.next() { bytes += chunk }
        return bytes
    }

    /// Creates an iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: reader)
    }

    /// Yields the body's chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: Reader

        /// The next chunk, or `nil` at the end.
        public mutating func next() async -> [UInt8]? {
            await reader.pipe.next()
        }
    }

    /// Owns the pipe; when the last copy of the body is released, the response is cancelled.
    final class Reader: Sendable {
        let pipe: ResponsePipe

        init(pipe: ResponsePipe) {
            self.pipe = pipe
        }

        deinit {
            pipe.cancel()
        }
    }
}
