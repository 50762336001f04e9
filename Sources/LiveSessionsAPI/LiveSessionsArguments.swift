/// `{"name": "..."}`: the arguments of `sessions.create`.
public struct CreateSessionArguments: Codable, Sendable, Hashable {
    /// The session's name (1…100 characters after trimming).
    public var name: String
    /// Creates the arguments.
    public init(name: String) { self.name = name }
}

/// `{"sessionCode": "..."}`: the arguments of `participants.stream`,
/// `participants.streamPolling`, `sessions.loadProgressive` and `entities.list`.
public struct SessionCodeArguments: Codable, Sendable, Hashable {
    /// The session's code.
    public var sessionCode: String
    /// Creates the arguments.
    public init(sessionCode: String) { self.sessionCode = sessionCode }
}

/// `{"sessionCode": "...", "name": "..."}`: the arguments of `participants.join`.
public struct JoinParticipantArguments: Codable, Sendable, Hashable {
    /// The session to join.
    public var sessionCode: String
    /// The participant's display name (1…80 characters after trimming).
    public var name: String
    /// Creates the arguments.
    public init(sessionCode: String, name: String) {
        self.sessionCode = sessionCode
        self.name = name
    }
}

/// `{"sessionCode": "...", "participantId": n, "status": "..."}`: the arguments of
/// `participants.setStatus`.
public struct SetParticipantStatusArguments: Codable, Sendable, Hashable {
    /// The participant's session.
    public var sessionCode: String
    /// The participant's id.
    public var participantID: Int
    /// The new status.
    public var status: ParticipantStatus

    private enum CodingKeys: String, CodingKey {
        case sessionCode
        case participantID = "participantId"
        case status
    }

    /// Creates the arguments.
    public init(sessionCode: String, participantID: Int, status: ParticipantStatus) {
        self.sessionCode = sessionCode
        self.participantID = participantID
        self.status = status
    }
}

/// `{"sessionCode": "...", "participantId": n}`: the arguments of `participants.leave`.
public struct LeaveParticipantArguments: Codable, Sendable, Hashable {
    /// The participant's session.
    public var sessionCode: String
    /// The participant's id.
    public var participantID: Int

    private enum CodingKeys: String, CodingKey {
        case sessionCode
        case participantID = "participantId"
    }

    /// Creates the arguments.
    public init(sessionCode: String, participantID: Int) {
        self.sessionCode = sessionCode
        self.participantID = participantID
    }
}

/// `{"sessionCode": "...", "cursor": "..." | null, "pageSize": n}`: the arguments of
/// `participants.page`.
public struct ParticipantsPageArguments: Codable, Sendable, Hashable {
    /// The session whose participants to list.
    public var sessionCode: String
    /// The `nextCursor` of the previous page; absent or `null` for the first page.
    public var cursor: String?
    /// How many participants per page, 1…200.
    public var pageSize: Int

    /// Creates the arguments.
    public init(sessionCode: String, cursor: String? = nil, pageSize: Int) {
        self.sessionCode = sessionCode
        self.cursor = cursor
        self.pageSize = pageSize
    }
}

/// `{"sessionCode": "...", "title": "..."}`: the arguments of `entities.create`.
public struct CreateEntityArguments: Codable, Sendable, Hashable {
    /// The session whose board gets the card.
    public var sessionCode: String
    /// The card's title (1…200 characters after trimming).
    public var title: String
    /// Creates the arguments.
    public init(sessionCode: String, title: String) {
        self.sessionCode = sessionCode
        self.title = title
    }
}

/// `{"entityId": n, "changes": {...}, "baseVersion": n}`: the arguments of `entities.update`.
public struct UpdateEntityArguments: Codable, Sendable, Hashable {
    /// The card to update.
    public var entityID: Int
    /// The fields to set.
    public var changes: EntityChanges
    /// The version the changes were made against; the update applies only if the card is still
    /// at this version.
    public var baseVersion: Int

    private enum CodingKeys: String, CodingKey {
        case entityID = "entityId"
        case changes, baseVersion
    }

    /// Creates the arguments.
    public init(entityID: Int, changes: EntityChanges, baseVersion: Int) {
        self.entityID = entityID
        self.changes = changes
        self.baseVersion = baseVersion
    }
}

/// `{"entityId": n}`: the arguments of `entities.watch`.
public struct EntityIDArguments: Codable, Sendable, Hashable {
    /// The card to watch.
    public var entityID: Int

    private enum CodingKeys: String, CodingKey {
        case entityID = "entityId"
    }

    /// Creates the arguments.
    public init(entityID: Int) { self.entityID = entityID }
}
