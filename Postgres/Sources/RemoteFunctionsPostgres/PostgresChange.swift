import Foundation

/// A committed change carried between instances by `NOTIFY`: the topic that changed (such as
/// `session:ABC123` or `entity:42`) and a version that grows with each change of the topic.
///
/// On the wire the notification payload is the JSON object `{"topic": …, "version": …}`.
/// PostgreSQL limits payloads to 8000 bytes, so topics must stay well below that.
public struct PostgresChange: Sendable, Hashable, Codable {
    /// The channel used when none is given: `remote_changes`.
    public static let defaultChannel = "remote_changes"

    /// The topic that changed.
    public var topic: String
    /// The topic's version after the change.
    public var version: Int64

    /// Creates a change.
    public init(topic: String, version: Int64) {
        self.topic = topic
        self.version = version
    }

    /// Reads a notification payload; `nil` when it is not a change.
    public init?(payload: String) {
        guard let change = try? JSONDecoder().decode(PostgresChange.self, from: Data(payload.utf8)) else { return nil }
        self = change
    }

    /// The notification payload for this change.
    public var payload: String {
        // Encoding two plain fields cannot fail; the fallback keeps the signature non-throwing.
        guard let data = try? JSONEncoder().encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension PostgresConnection {
    /// Publishes `change` with `pg_notify` on `channel`. Call it inside the writer's transaction:
    /// listeners then receive it only once the transaction commits, and never if it rolls back.
    public func publish(_ change: PostgresChange, channel: String = PostgresChange.defaultChannel) throws(PostgresError) {
        try notify(channel: channel, payload: change.payload)
    }
}
