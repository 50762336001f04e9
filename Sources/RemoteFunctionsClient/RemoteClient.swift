public import Foundation
public import RemoteFunctions

/// Calls remote functions on one server, as if they were local.
///
/// ```swift
/// let client = RemoteClient(baseURL: URL(string: "http://127.0.0.1:8080")!)
/// let session = try await client.call(createSession, .init(name: "Standup"))
/// for try await snapshot in client.stream(participants, .init(sessionCode: session.code)) { … }
/// ```
///
/// Every error a call throws is a ``RemoteError``: the server's own typed error, `unavailable`
/// for a network failure (the underlying error goes to
/// ``Configuration/networkErrorHandler`` only), a code derived from the HTTP status for an
/// error body that is not the protocol's (such as a proxy's 502 page), or `cancelled` when the
/// calling task was cancelled.
public struct RemoteClient: Sendable {
    /// The server's base URL, such as `http://127.0.0.1:8080`; functions live under
    /// `{baseURL}/_remote/{id}`.
    public let baseURL: URL
    /// The transport that carries requests.
    public let transport: any ClientTransport
    /// Headers, retries and reconnects.
    public let configuration: Configuration
    /// The channel that carries this client's streams when ``Configuration/streamsOnChannel``.
    let channel: RemoteChannelClient?

    /// Creates a client for the server at `baseURL`.
    ///
    /// Without a `transport`, requests go through URLSession, except `http://` requests on Linux,
    /// which go through an ``HTTPClientTransport`` shared by the process (URLSession on Linux keeps
    /// a CPU busy while a stream is open).
    public init(
        baseURL: URL,
        transport: any ClientTransport = PlatformDefaultTransport(),
        configuration: Configuration = Configuration()
    ) {
        self.baseURL = baseURL
        self.transport = transport
        self.configuration = configuration
        self.channel =
            configuration.streamsOnChannel
            ? RemoteChannelClient(
                baseURL: baseURL, transport: transport, headers: configuration.headers,
                idleTimeout: configuration.streamIdleTimeout)
            : nil
    }

    /// Calls a query. Network errors and retryable codes are retried according to
    /// ``Configuration/queryRetry``.
    public func call<Arguments, Output>(
        _ query: RemoteQuery<Arguments, Output>, _ arguments: Arguments
    ) async throws(RemoteError) -> Output {
        try await unaryCall(query.id, arguments: arguments, retry: configuration.queryRetry)
    }

    /// Calls a query that takes no arguments.
    public func call<Output>(_ query: RemoteQuery<Empty, Output>) async throws(RemoteError) -> Output {
        try await call(query, Empty())
    }

    /// Calls a command. Commands change state, so they are never retried automatically.
    public func call<Arguments, Output>(
        _ command: RemoteCommand<Arguments, Output>, _ arguments: Arguments
    ) async throws(RemoteError) -> Output {
        try await unaryCall(command.id, arguments: arguments, retry: .never)
    }

    /// Calls a command that takes no arguments.
    public func call<Output>(_ command: RemoteCommand<Empty, Output>) async throws(RemoteError) -> Output {
        try await call(command, Empty())
    }

    /// The URL of the function `id`.
    public func url(for id: RemoteFunctionID) -> URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return URL(string: base + RemoteWire.pathPrefix + id.rawValue) ?? baseURL
    }
}
