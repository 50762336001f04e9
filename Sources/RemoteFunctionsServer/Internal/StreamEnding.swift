import RemoteFunctions

/// How a stream ended, which decides its final frame.
enum StreamEnding: Sendable {
    /// The handler returned: `event: end`.
    case finished
    /// The handler threw: `event: error`.
    case failed(RemoteError)
    /// The client went away: no final frame can be sent.
    case clientGone
    /// The server is shutting down: a resumable `event: error` with code `unavailable`.
    case shutdown

    /// The code recorded in the request metrics.
    var metricsCode: String {
        switch self {
        case .finished: "ok"
        case .failed(let error): error.code.wireName
        case .clientGone: RemoteError.Code.cancelled.wireName
        case .shutdown: RemoteError.Code.unavailable.wireName
        }
    }
}
