/// A request as the runtime sees it, independent of any transport.
public struct ServerRequest: Sendable {
    /// The method in upper case, such as `GET` or `POST`.
    public var method: String
    /// The path without its query, still percent-encoded, such as `/_remote/participants.stream`.
    public var path: String
    /// The raw query string after `?`, without the `?`, or `nil` when there is none.
    public var query: String?
    /// The request headers, in the order received. Names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The client's address as `host:port`, when the transport knows it.
    public var remoteAddress: String?
    /// The request body.
    public var body: ServerRequestBody

    /// Creates a request.
    public init(
        method: String, path: String, query: String?, headers: [(name: String, value: String)],
        remoteAddress: String?, body: ServerRequestBody
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.body = body
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { HeaderName.equals($0.name, name) }?.value
    }
}

/// The body of a ``ServerRequest``, read on demand so a transport can refuse an oversized body
/// without reading it.
public struct ServerRequestBody: Sendable {
    private let read: @Sendable (Int) async throws -> [UInt8]
    private let readReceived: (@Sendable (Int) throws -> [UInt8]?)?

    /// Creates a body from a function that collects at most `limit` bytes, throwing
    /// ``TooLarge`` as soon as it knows the body is larger, and optionally one that returns the
    /// whole body at once when the transport has already received all of it (`nil`, having read
    /// nothing, when it has not), which spares a small body an asynchronous read.
    public init(
        collect: @escaping @Sendable (_ limit: Int) async throws -> [UInt8],
        collectIfReceived: (@Sendable (_ limit: Int) throws -> [UInt8]?)? = nil
    ) {
        self.read = collect
        self.readReceived = collectIfReceived
    }

    /// A body that is already in memory.
    public init(bytes: [UInt8]) {
        let collect: @Sendable (Int) throws -> [UInt8] = { limit in
            guard bytes.count <= limit else { throw TooLarge(limit: limit) }
            return bytes
        }
        self.read = collect
        self.readReceived = collect
    }

    /// Reads the whole body, throwing ``TooLarge`` when it is longer than `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        try await read(limit)
    }

    /// The whole body when the transport has already received all of it, without waiting;
    /// `nil` otherwise (nothing has been read: use ``collect(upTo:)``). Throws ``TooLarge`` when
    /// it is longer than `limit` bytes.
    public func collectIfReceived(upTo limit: Int) throws -> [UInt8]? {
        try readReceived?(limit)
    }

    /// Thrown when a body is longer than the limit the reader allowed.
    public struct TooLarge: Error, Sendable {
        /// The limit that was exceeded, in bytes.
        public var limit: Int
        /// Creates the error.
        public init(limit: Int) { self.limit = limit }
    }
}
