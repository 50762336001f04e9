public import RemoteFunctions

/// Every remote function of the LiveSessions demo, shared by the server and its Swift clients.
/// The ids and JSON shapes are fixed by `docs/DEMO.md`.
public enum LiveSessionsFunctions {
    /// `sessions.create` `{name}` → ``Session``.
    public static let createSession = RemoteCommand<CreateSessionArguments, Session>("sessions.create")

    /// `participants.join` `{sessionCode, name}` → ``Participant`` (status `active`).
    public static let joinParticipant = RemoteCommand<JoinParticipantArguments, Participant>("participants.join")

    /// `participants.setStatus` `{sessionCode, participantId, status}` → ``Participant``.
    public static let setParticipantStatus = RemoteCommand<SetParticipantStatusArguments, Participant>(
        "participants.setStatus")

    /// `participants.leave` `{sessionCode, participantId}` → `null`; the participant is deleted.
    public static let leaveParticipant = RemoteCommand<LeaveParticipantArguments, Empty>("participants.leave")

    /// `entities.create` `{sessionCode, title}` → ``Entity`` (version 1, empty notes, `todo`).
    public static let createEntity = RemoteCommand<CreateEntityArguments, Entity>("entities.create")

    /// `entities.update` `{entityId, changes, baseVersion}` → ``EntityUpdateResult``; a
    /// compare-and-set in one transaction.
    public static let updateEntity = RemoteCommand<UpdateEntityArguments, EntityUpdateResult>("entities.update")

    /// `entities.list` `{sessionCode}` → the session's entities ordered by id.
    public static let listEntities = RemoteQuery<SessionCodeArguments, [Entity]>("entities.list")

    /// `participants.page` `{sessionCode, cursor?, pageSize}` → ``ParticipantsPage``; keyset
    /// pagination by ascending id.
    public static let participantsPage = RemoteQuery<ParticipantsPageArguments, ParticipantsPage>(
        "participants.page")

    /// `participants.stream` `{sessionCode}` yields ``ParticipantsUpdate`` whenever the session
    /// changes (at most the newest is kept for a slow reader).
    public static let participantsStream = RemoteStream<SessionCodeArguments, ParticipantsUpdate>(
        "participants.stream", overflow: .latest)

    /// `participants.streamPolling` `{sessionCode}`: the seed's version of
    /// ``participantsStream``, which reads the database and yields once a second whatever
    /// happened. Kept to compare against the change-driven stream.
    public static let participantsStreamPolling = RemoteStream<SessionCodeArguments, ParticipantsUpdate>(
        "participants.streamPolling", overflow: .latest)

    /// `sessions.loadProgressive` `{sessionCode}` yields four ``ProgressiveChunk``s: session,
    /// participants, analytics, insights, each as soon as it is ready.
    public static let loadProgressive = RemoteStream<SessionCodeArguments, ProgressiveChunk>(
        "sessions.loadProgressive", overflow: .bounded(8))

    /// `entities.watch` `{entityId}` yields ``EntityWatchEvent`` for each new version, with the
    /// version as the cursor; resuming after version `v` yields only newer versions.
    public static let watchEntity = RemoteStream<EntityIDArguments, EntityWatchEvent>(
        "entities.watch", overflow: .latest)
}
