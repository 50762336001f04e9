#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The kernel readiness API an event loop waits on.
public enum EventQueueKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Linux `epoll(7)`: the default on Linux.
    case epoll
    /// POSIX `poll(2)`: portable; the default where epoll does not exist.
    case poll

    /// The default for this platform: `.epoll` on Linux, `.poll` elsewhere.
    public static var platformDefault: EventQueueKind {
        #if os(Linux)
            return .epoll
        #else
            return .poll
        #endif
    }

    /// The kinds this platform can run. On Linux both; elsewhere only `.poll`.
    public static var allCases: [EventQueueKind] {
        #if os(Linux)
            return [.epoll, .poll]
        #else
            return [.poll]
        #endif
    }

    /// The raw name, `epoll` or `poll`.
    public var description: String { rawValue }
}
