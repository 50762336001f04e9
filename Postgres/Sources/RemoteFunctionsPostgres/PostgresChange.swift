import Foundation

/// A committed change carried between instances by `NOTIFY`: the topics one transaction touched
/// (such as `session:ABC123` and `entity:42`) and, when the data has one, the version the change
/// produced.
///
/// On the wire the notification payload is the JSON object `{"topics": […], "version": n}`
/// (`version` omitted when there is none). PostgreSQL limits payloads to 8000 bytes, so a
/// transaction's topics must stay well below that.
public struct PostgresChange: Sendable, Hashable, Codable {
    /// The channel used when none is given: `remote_changes`.
    public static let defaultChannel = "remote_changes"

    /// The topics that changed, in the order the writer listed them.
    public var topics: [String]
    /// The version the change produced, if any.
    public var version: Int64?

    /// Creates a change of several topics.
    public init(topics: [String], version: Int64? = nil) {
        self.topics = topics
        self.version = version
    }

    /// Creates a change of one topic.
    public init(topic: String, version: Int64? = nil) {
        self.init(topics: [topic], version: version)
    }

    /// Reads a notification payload; `nil` when it is not a change.
    public init?(payload: String) {
        guard let change = try? JSONDecoder().decode(PostgresChange.self, from: Data(payload.utf8)) else { return nil }
        self = change
    }

    /// The notification payload for this change.
    public var payload: String {
        // Encoding an array of strings and an optional integer cannot fail; the fallback only
        // keeps the property non-throwing.
        guard let data = try? JSONEncoder().encode(self) else { return "{\"topics\":[]}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension PostgresConnection {
    /// Publishes `change` with `pg_notify` on `channel`. Call it inside the writer's transaction:
    /// listeners then receive it only once the transaction commits, and never if it rolls back.
    /// PostgreSQL delivers the notifications of different transactions in commit order.
    public func publish(_ change: PostgresChange, channel: String = PostgresChange.defaultChannel) throws(PostgresError)
    {
        try notify(channel: channel, payload: change.payload)
    }
}
