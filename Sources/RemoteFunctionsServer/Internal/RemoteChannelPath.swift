/// The channel endpoints under `/_remote/` (`docs/PROTOCOL.md` section 10).
enum RemoteChannelPath: Equatable {
    /// `_channel`: opens a channel.
    case open
    /// `_channel/{channelId}/subscribe`.
    case subscribe(channelID: String)
    /// `_channel/{channelId}/unsubscribe`.
    case unsubscribe(channelID: String)
    /// `_channel/…` that names no endpoint.
    case unknown

    /// The reserved first path segment.
    static let segment = "_channel"

    /// Parses the part of the path after `/_remote/`; `nil` when it is not a channel path.
    init?(_ name: String) {
        guard name == Self.segment || name.hasPrefix(Self.segment + "/") else { return nil }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: self = .open
        case 3 where parts[2] == "subscribe": self = .subscribe(channelID: String(parts[1]))
        case 3 where parts[2] == "unsubscribe": self = .unsubscribe(channelID: String(parts[1]))
        default: self = .unknown
        }
    }
}
