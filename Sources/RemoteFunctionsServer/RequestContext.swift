public import RemoteFunctions

/// Everything a handler, guard or middleware knows about the request that called it.
///
/// Middleware enriches a copy (for example with the authenticated user, through a typed
/// ``Key``) and passes it on with `next`.
public struct RequestContext: Sendable {
    /// The request headers, in the order received. Use ``header(_:)`` to look one up.
    public var headers: [(name: String, value: String)]
    /// The cookies of the `Cookie` header, by name.
    public var cookies: [String: String]
    /// The client's address as `host:port`, when the transport knows it.
    public var remoteAddress: String?
    /// The resume cursor: the `Last-Event-ID` header, or else the `lastEventId` query parameter.
    /// A stream handler resumes after this cursor; `nil` on a fresh start.
    public var lastEventID: String?
    /// The id of the function being called.
    public var functionID: RemoteFunctionID
    /// A logger whose metadata names the function.
    public var logger: RemoteLogger
    private var values: [ContextValueIdentity: any Sendable] = [:]

    /// Creates a context. The server builds one per request; tests may build their own.
    public init(
        headers: [(name: String, value: String)] = [], cookies: [String: String] = [:],
        remoteAddress: String? = nil, lastEventID: String? = nil, functionID: RemoteFunctionID,
        logger: RemoteLogger = .disabled
    ) {
        self.headers = headers
        self.cookies = cookies
        self.remoteAddress = remoteAddress
        self.lastEventID = lastEventID
        self.functionID = functionID
        self.logger = logger
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { HeaderName.equals($0.name, name) }?.value
    }

    /// The per-request value stored under `key` by middleware, or `nil`.
    public subscript<Value>(key: Key<Value>) -> Value? {
        get { values[key.identity] as? Value }
        set { values[key.identity] = newValue }
    }

    /// A typed name for a per-request value, such as the authenticated user:
    ///
    /// ```swift
    /// extension RequestContext.Key where Value == User {
    ///     static let user = RequestContext.Key<User>("user")
    /// }
    /// context[.user] = user
    /// ```
    ///
    /// Two keys are the same key when they have the same name and value type.
    public struct Key<Value: Sendable>: Sendable, Hashable {
        let identity: ContextValueIdentity

        /// Creates a key. The name only needs to be unique among keys of the same value type.
        public init(_ name: String) {
            self.identity = ContextValueIdentity(name: name, type: ObjectIdentifier(Value.self))
        }

        /// The key's name.
        public var name: String { identity.name }
    }
}
