/// One element of `sessions.loadProgressive`, on the wire `{"type": "...", "data": ...}`.
/// The stream yields `session`, `participants`, `analytics`, `insights`, in that order, each as
/// soon as it is computed.
public enum ProgressiveChunk: Codable, Sendable, Hashable {
    /// `{"type": "session", "data": Session}`.
    case session(Session)
    /// `{"type": "participants", "data": {"total": n, "recent": [...]}}`.
    case participants(ProgressiveParticipants)
    /// `{"type": "analytics", "data": SessionAnalytics}`.
    case analytics(SessionAnalytics)
    /// `{"type": "insights", "data": [Insight]}`.
    case insights([Insight])

    private enum CodingKeys: String, CodingKey {
        case type, data
    }

    /// The wire name of the chunk's type.
    public var type: String {
        switch self {
        case .session: "session"
        case .participants: "participants"
        case .analytics: "analytics"
        case .insights: "insights"
        }
    }

    /// Decodes a chunk; an unknown `type` is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "session": self = .session(try container.decode(Session.self, forKey: .data))
        case "participants": self = .participants(try container.decode(ProgressiveParticipants.self, forKey: .data))
        case "analytics": self = .analytics(try container.decode(SessionAnalytics.self, forKey: .data))
        case "insights": self = .insights(try container.decode([Insight].self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown chunk type '\(type)'")
        }
    }

    /// Encodes `{"type": ..., "data": ...}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .session(let session): try container.encode(session, forKey: .data)
        case .participants(let participants): try container.encode(participants, forKey: .data)
        case .analytics(let analytics): try container.encode(analytics, forKey: .data)
        case .insights(let insights): try container.encode(insights, forKey: .data)
        }
    }
}
