/// Describes a read-only remote function that returns one value.
///
/// A query may be called with `POST /_remote/{id}` or with `GET /_remote/{id}?args=…`. Declare it
/// once in a module shared by the server and its clients:
///
/// ```swift
/// let getSession = RemoteQuery<SessionCode, Session>("sessions.get")
/// ```
public struct RemoteQuery<Arguments: Codable & Sendable, Output: Codable & Sendable>: Sendable, Hashable {
    /// The stable id that names this function on the wire.
    public let id: RemoteFunctionID

    /// Creates a query descriptor with a stable id.
    public init(_ id: RemoteFunctionID) {
        self.id = id
    }
}
