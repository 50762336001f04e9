/// What a server does with the values of a stream whose subscriber reads more slowly than they are
/// produced. Whatever the policy, a slow subscriber never slows the others and its memory stays
/// bounded.
public enum StreamOverflowPolicy: Sendable, Hashable {
    /// For state: keep only the newest value. A slow subscriber skips straight to it.
    case latest

    /// For event logs: buffer at most `n` values. When the buffer is full the stream ends with the
    /// retryable error `unavailable`, and the client resumes from its last cursor.
    case bounded(Int)
}
