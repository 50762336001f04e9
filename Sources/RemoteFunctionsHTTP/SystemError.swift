#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call, keeping the `errno` it reported.
///
/// The HTTP layer turns these into ``HTTPError`` values before anything reaches a client; the
/// description names the call and the C library's message, for logs.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The system call that failed, for example `"accept4"`.
    public var operation: String
    /// The `errno` value the call reported.
    public var errno: Int32

    /// Creates an error for `operation` with the given `errno`.
    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// `operation: message (errno)`, for logs.
    public var description: String {
        "\(operation): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
