import RemoteFunctions

/// A check that runs before one function's handler, after the middleware chain, and refuses the
/// call by throwing ``RemoteFunctions/RemoteError``: `unauthenticated` (HTTP 401) when the caller
/// is unknown, `permission_denied` (HTTP 403) when the caller may not do this.
///
/// A guard's refusal is an early error: for a stream it is a plain HTTP error with a JSON body,
/// never an SSE stream. A guard that throws any other error is answered as `internal`.
public struct RemoteGuard: Sendable {
    private let body: @Sendable (RequestContext) async throws -> Void

    /// Creates a guard from a closure that throws to refuse.
    public init(_ check: @escaping @Sendable (RequestContext) async throws -> Void) {
        self.body = check
    }

    /// Runs the check.
    public func check(_ context: RequestContext) async throws {
        try await body(context)
    }

    /// A guard that answers `unauthenticated` unless middleware has stored a value under `key`.
    public static func requires<Value>(_ key: RequestContext.Key<Value>) -> RemoteGuard {
        RemoteGuard { context in
            guard context[key] != nil else {
                throw RemoteError(.unauthenticated, "sign in to call this function")
            }
        }
    }

    /// A guard that answers `unauthenticated` unless a value is stored under `key`, and
    /// `permission_denied` unless `isAllowed` accepts that value.
    public static func requires<Value>(
        _ key: RequestContext.Key<Value>, where isAllowed: @escaping @Sendable (Value) -> Bool
    ) -> RemoteGuard {
        RemoteGuard { context in
            guard let value = context[key] else {
                throw RemoteError(.unauthenticated, "sign in to call this function")
            }
            guard isAllowed(value) else {
                throw RemoteError(.permissionDenied, "you may not call this function")
            }
        }
    }
}
