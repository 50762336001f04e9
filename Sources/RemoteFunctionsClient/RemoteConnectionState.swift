public import RemoteFunctions

/// Where a stream's connection stands. Streams move through
/// `connecting → open → (reconnecting → connecting → open)* → closed | failed`.
public enum RemoteConnectionState: Sendable, Hashable {
    /// Nobody has started iterating the stream yet.
    case idle
    /// The request is on its way; no response head yet.
    case connecting
    /// The server accepted the stream; values flow.
    case open
    /// The connection was lost, or the server ended with a retryable error. The client waits
    /// `after`, then sends attempt number `attempt` (1 for the first reconnect in a row), with the
    /// last cursor as `Last-Event-ID`.
    case reconnecting(attempt: Int, after: Duration)
    /// The stream ended normally, or its reader left (break or cancellation).
    case closed
    /// The stream ended with an error that is not retried (or retries ran out).
    case failed(RemoteError)

    /// Whether the state is final: ``closed`` or ``failed(_:)``.
    public var isFinal: Bool {
        switch self {
        case .closed, .failed: true
        default: false
        }
    }
}
