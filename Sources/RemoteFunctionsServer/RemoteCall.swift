public import RemoteFunctions

/// What a middleware knows about the call it intercepts, besides the ``RequestContext``.
public struct RemoteCall: Sendable {
    /// The id of the function being called.
    public var functionID: RemoteFunctionID
    /// Whether it is a query, a command or a stream.
    public var kind: RemoteFunctionKind
    /// The HTTP method of the request, such as `GET` or `POST`.
    public var method: String

    /// Creates a call description.
    public init(functionID: RemoteFunctionID, kind: RemoteFunctionKind, method: String) {
        self.functionID = functionID
        self.kind = kind
        self.method = method
    }
}
