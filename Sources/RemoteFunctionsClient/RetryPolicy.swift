/// How often, and how patiently, a client tries again: query retries after retryable errors, and
/// stream reconnects after network errors and retryable codes.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts in a row, the first one included; `nil` means no limit. For streams the
    /// count restarts whenever a connection delivers a frame.
    public var maximumAttempts: Int?
    /// The delays between attempts.
    public var backoff: Backoff

    /// Creates a policy.
    public init(maximumAttempts: Int?, backoff: Backoff = Backoff()) {
        self.maximumAttempts = maximumAttempts
        self.backoff = backoff
    }

    /// No retry at all: one attempt.
    public static let never = RetryPolicy(maximumAttempts: 1)

    /// Whether another attempt may follow `failures` failed attempts in a row.
    public func allowsAttempt(after failures: Int) -> Bool {
        guard let maximumAttempts else { return true }
        return failures < maximumAttempts
    }
}
