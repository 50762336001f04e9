public import Foundation
public import LiveSessionsAPI
public import RemoteFunctions
public import RemoteFunctionsClient

/// The LiveSessions functions as typed Swift methods, over a ``RemoteFunctionsClient/RemoteClient``.
///
/// ```swift
/// let sessions = LiveSessionsClient(baseURL: URL(string: "http://127.0.0.1:8080")!)
/// let session = try await sessions.createSession(name: "Standup")
/// for try await update in sessions.participantsStream(sessionCode: session.code) { … }
/// ```
public struct LiveSessionsClient: Sendable {
    /// The client that carries every call.
    public let remote: RemoteClient

    /// A client of the server at `baseURL` over URLSession.
    public init(baseURL: URL, configuration: RemoteClient.Configuration = .init()) {
        self.remote = RemoteClient(baseURL: baseURL, configuration: configuration)
    }

    /// A facade over an existing client.
    public init(remote: RemoteClient) {
        self.remote = remote
    }

    /// `sessions.create`.
    public func createSession(name: String) async throws(RemoteError) -> Session {
        try await remote.call(LiveSessionsFunctions.createSession, CreateSessionArguments(name: name))
    }

    /// `participants.join`.
    public func join(sessionCode: String, name: String) async throws(RemoteError) -> Participant {
        try await remote.call(
            LiveSessionsFunctions.joinParticipant, JoinParticipantArguments(sessionCode: sessionCode, name: name))
    }

    /// `participants.setStatus`.
    public func setStatus(sessionCode: String, participantID: Int, status: ParticipantStatus)
        async throws(RemoteError) -> Participant
    {
        try await remote.call(
            LiveSessionsFunctions.setParticipantStatus,
            SetParticipantStatusArguments(sessionCode: sessionCode, participantID: participantID, status: status))
    }

    /// `participants.leave`.
    public func leave(sessionCode: String, participantID: Int) async throws(RemoteError) {
        _ = try await remote.call(
            LiveSessionsFunctions.leaveParticipant,
            LeaveParticipantArguments(sessionCode: sessionCode, participantID: participantID))
    }

    /// `entities.create`.
    public func createEntity(sessionCode: String, title: String) async throws(RemoteError) -> Entity {
        try await remote.call(
            LiveSessionsFunctions.createEntity, CreateEntityArguments(sessionCode: sessionCode, title: title))
    }

    /// `entities.list`.
    public func entities(sessionCode: String) async throws(RemoteError) -> [Entity] {
        try await remote.call(LiveSessionsFunctions.listEntities, SessionCodeArguments(sessionCode: sessionCode))
    }

    /// `participants.stream`: the session's participants and stats, whenever they change.
    public func participantsStream(sessionCode: String) -> RemoteStreamSequence<ParticipantsUpdate> {
        remote.stream(LiveSessionsFunctions.participantsStream, SessionCodeArguments(sessionCode: sessionCode))
    }

    /// `participants.stream` as an `@Observable` model for SwiftUI, with its value, connection
    /// state and last error; call ``RemoteFunctionsClient/LiveValue/start()`` to open it.
    @MainActor
    public func liveParticipants(sessionCode: String) -> LiveValue<ParticipantsUpdate> {
        LiveValue(
            client: remote, stream: LiveSessionsFunctions.participantsStream,
            arguments: SessionCodeArguments(sessionCode: sessionCode))
    }

    /// `sessions.loadProgressive`: session, participants, analytics, insights, each as soon as
    /// the server has it.
    public func loadProgressive(sessionCode: String) -> RemoteStreamSequence<ProgressiveChunk> {
        remote.stream(LiveSessionsFunctions.loadProgressive, SessionCodeArguments(sessionCode: sessionCode))
    }

    /// `participants.page` as an `AsyncSequence` of pages: each page is requested only when the
    /// loop asks for it, and the sequence ends after the page with `hasMore == false`.
    public func pages(sessionCode: String, pageSize: Int) -> RemotePages<ParticipantsPageArguments, ParticipantsPage> {
        remote.pages(
            LiveSessionsFunctions.participantsPage,
            ParticipantsPageArguments(sessionCode: sessionCode, pageSize: pageSize)
        ) { page, arguments in
            guard page.hasMore, let cursor = page.nextCursor else { return nil }
            var next = arguments
            next.cursor = cursor
            return next
        }
    }

    /// A ``SyncedEntity`` for `entity` over this client (call ``SyncedEntity/startWatching()``
    /// to follow remote changes).
    public func synced(_ entity: Entity, configuration: SyncedEntity.Configuration = .init()) -> SyncedEntity {
        SyncedEntity(entity: entity, client: remote, configuration: configuration)
    }
}
