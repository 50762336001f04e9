/// Describes a remote function that yields a sequence of elements over time, like an async
/// generator.
///
/// The server sends each element as soon as it is produced; the client reads them with
/// `for try await`, and leaving the loop stops the server's work. The ``overflow`` policy says what
/// the server does when this stream's reader falls behind.
public struct RemoteStream<Arguments: Codable & Sendable, Element: Codable & Sendable>: Sendable, Hashable {
    /// The stable id that names this function on the wire.
    public let id: RemoteFunctionID

    /// What the server does when a subscriber cannot keep up.
    public let overflow: StreamOverflowPolicy

    /// Creates a stream descriptor with a stable id and an overflow policy (by default a bounded
    /// buffer of 256 elements, which suits event logs).
    public init(_ id: RemoteFunctionID, overflow: StreamOverflowPolicy = .bounded(256)) {
        self.id = id
        self.overflow = overflow
    }
}
