#if canImport(FoundationNetworking)
    import Foundation
    public import FoundationNetworking
#else
    public import Foundation
#endif

/// The default ``ClientTransport``: URLSession, on Linux and Apple platforms.
///
/// Responses stream through a `URLSessionDataDelegate` (Linux has no `URLSession.bytes(for:)`):
/// ``send(_:)`` returns as soon as the head arrives, and body chunks are delivered as they are
/// received. Leaving the body's iteration, cancelling the task, or releasing the iterator calls
/// `URLSessionTask.cancel()`, which closes the connection (on Linux the delegate would otherwise
/// keep the request running).
///
/// One transport owns one `URLSession` with no cache and no cookie storage; send cookies or
/// credentials as explicit headers. Requests that accept `text/event-stream` get no practical
/// timeout (a stream may stay quiet for long; ``RemoteClient``'s idle watchdog detects dead
/// connections), other requests time out after `requestTimeout` without data. The session is
/// invalidated by ``shutdown()`` or when the transport and every body it returned are released.
///
/// On Linux, keep streams off this transport when you can: swift-corelibs-foundation leaves a
/// libdispatch write source armed on each connection after its request was sent, so every open
/// stream keeps the session's queue spinning (measured: 500 idle streams used 4.4 s of CPU per 3 s,
/// 50 streams 2.8 s), and new requests wait behind the spin. `HTTPClientTransport` in
/// `RemoteFunctionsHTTPTransport` (the project's epoll client, `http://` only) does not have this
/// problem. Unary calls, which hold a connection only briefly, are not affected in practice.
public final class URLSessionClientTransport: ClientTransport {
    private let session: URLSession
    private let router: URLSessionTaskRouter
    private let requestTimeout: TimeInterval

    /// The timeout used for requests that accept `text/event-stream`: a week.
    static let streamTimeout: TimeInterval = 7 * 24 * 3600

    /// Creates a transport.
    ///
    /// - Parameters:
    ///   - maximumConnectionsPerHost: how many connections may be open to one host at once. Every
    ///     open stream holds one, so keep it above the number of concurrent streams.
    ///   - requestTimeout: how long a non-stream request may go without receiving data.
    public convenience init(maximumConnectionsPerHost: Int = 256, requestTimeout: Duration = .seconds(60)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        self.init(configuration: configuration, requestTimeout: requestTimeout)
    }

    /// Creates a transport with a session configuration of your own. Caching and cookie storage
    /// are turned off in it, and the resource timeout is raised so streams can stay open.
    public init(configuration: URLSessionConfiguration, requestTimeout: Duration = .seconds(60)) {
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForResource = Self.streamTimeout
        let timeout =
            Double(requestTimeout.components.seconds)
            + Double(requestTimeout.components.attoseconds) / 1e18
        configuration.timeoutIntervalForRequest = timeout
        self.requestTimeout = timeout
        let router = URLSessionTaskRouter()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        queue.name = "URLSessionClientTransport"
        self.router = router
        self.session = URLSession(configuration: configuration, delegate: router, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Cancels every request in flight and invalidates the session. Later sends fail.
    public func shutdown() {
        session.invalidateAndCancel()
    }

    /// Sends a request and returns when the response head has arrived.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first, otherwise URLSession's
    ///   error (a network failure).
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        urlRequest.httpShouldHandleCookies = false
        var acceptsEventStream = false
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
            if header.name.lowercased() == "accept" && header.value.lowercased().contains("text/event-stream") {
                acceptsEventStream = true
            }
        }
        urlRequest.timeoutInterval = acceptsEventStream ? Self.streamTimeout : requestTimeout

        let task = session.dataTask(with: urlRequest)
        // The closure keeps the transport (and so its session) alive while the body is in use.
        let (body, source) = ClientResponseBody.makeStream(onCancel: { [self] in
            withExtendedLifetime(self) { task.cancel() }
        })
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    router.register(task.taskIdentifier, continuation: continuation, body: body, source: source)
                    task.resume()
                    if Task.isCancelled { task.cancel() }
                }
            } onCancel: {
                task.cancel()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
