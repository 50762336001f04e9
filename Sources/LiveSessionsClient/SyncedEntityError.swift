public import LiveSessionsAPI
public import RemoteFunctions

/// Why ``SyncedEntity`` could not get an edit acknowledged. The edit is then withdrawn from the
/// optimistic entity.
public enum SyncedEntityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every allowed attempt met a conflict; `current` is the entity as the server last had it.
    case tooManyConflicts(attempts: Int, current: Entity)
    /// The server refused the update or could not be reached. Commands are not retried: after
    /// a network error the update may still have been applied, in which case the watch stream
    /// brings it back.
    case remote(RemoteError)
    /// ``SyncedEntity/stop()`` was called before the edit was acknowledged.
    case stopped

    /// A user-safe message.
    public var description: String {
        switch self {
        case .tooManyConflicts(let attempts, _):
            "the card kept changing on the server; gave up after \(attempts) attempts"
        case .remote(let error):
            error.description
        case .stopped:
            "syncing stopped before the change was saved"
        }
    }
}
