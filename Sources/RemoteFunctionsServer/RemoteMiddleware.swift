import RemoteFunctions

/// Code that runs around every call, such as authentication or logging.
///
/// Middleware is registered with ``RemoteServer/use(_:)`` and folded into a chain in registration
/// order: the first registered runs outermost. Each middleware either calls `next` (possibly with a
/// context it has enriched, for example with the authenticated user) or throws a ``RemoteError``
/// to refuse the call.
///
/// For a query or a command, `next` returns once the handler has produced its output. For a stream
/// it returns once the stream has ended; an error thrown after the stream has started reaches the
/// client as a final `event: error` frame, and a middleware that catches it cannot turn it back into
/// a plain HTTP error.
public protocol RemoteMiddleware: Sendable {
    /// Handles one call; call `next` to continue down the chain.
    func intercept(
        _ call: RemoteCall, context: RequestContext,
        next: (RequestContext) async throws -> Void
    ) async throws
}

/// A middleware written as a closure.
public struct ClosureMiddleware: RemoteMiddleware {
    private let body: @Sendable (RemoteCall, RequestContext, (RequestContext) async throws -> Void) async throws -> Void

    /// Wraps `body`, which has the shape of ``RemoteMiddleware/intercept(_:context:next:)``.
    public init(
        _ body:
            @escaping @Sendable (
                _ call: RemoteCall, _ context: RequestContext, _ next: (RequestContext) async throws -> Void
            ) async throws -> Void
    ) {
        self.body = body
    }

    /// Runs the closure.
    public func intercept(
        _ call: RemoteCall, context: RequestContext, next: (RequestContext) async throws -> Void
    ) async throws {
        try await body(call, context, next)
    }
}

/// A middleware that logs every call with its outcome and duration at level `info`.
public struct LoggingMiddleware: RemoteMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Logs the call after it has finished.
    public func intercept(
        _ call: RemoteCall, context: RequestContext, next: (RequestContext) async throws -> Void
    ) async throws {
        let start = ContinuousClock.now
        do {
            try await next(context)
            context.logger.log(.info, "\(call.method) \(call.functionID) ok in \(ContinuousClock.now - start)")
        } catch {
            let code = (error as? RemoteError)?.code.wireName ?? "error"
            context.logger.log(.info, "\(call.method) \(call.functionID) \(code) in \(ContinuousClock.now - start)")
            throw error
        }
    }
}
