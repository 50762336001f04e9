/// Which of the three kinds of remote function a descriptor declares.
public enum RemoteFunctionKind: String, Sendable, Hashable, CustomStringConvertible {
    /// A read-only call returning one value (`GET` or `POST`).
    case query
    /// A state-changing call returning one value (`POST` only, origin-checked).
    case command
    /// A call that yields values over time as server-sent events (`GET` or `POST`).
    case stream

    /// The HTTP methods the kind accepts.
    public var allowedMethods: [String] {
        switch self {
        case .query, .stream: ["GET", "POST"]
        case .command: ["POST"]
        }
    }

    /// The kind's name.
    public var description: String { rawValue }
}
