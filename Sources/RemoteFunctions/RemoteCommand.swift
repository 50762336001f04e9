/// Describes a remote function that changes state and returns one value.
///
/// Commands are called with `POST` only, and the server refuses a command whose `Origin` is not
/// its own or an allowed origin (cross-site request forgery protection).
public struct RemoteCommand<Arguments: Codable & Sendable, Output: Codable & Sendable>: Sendable, Hashable {
    /// The stable id that names this function on the wire.
    public let id: RemoteFunctionID

    /// Creates a command descriptor with a stable id.
    public init(_ id: RemoteFunctionID) {
        self.id = id
    }
}
