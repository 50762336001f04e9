public import LiveSessionsAPI

/// The operations of the LiveSessions data, independent of the database engine.
///
/// ``LiveSessionsStore`` implements it on embedded SQLite; `PostgresLiveSessionsStore` (in the
/// nested `Postgres` package) implements it on PostgreSQL with the same semantics: the same
/// validation and `RemoteError`s, the same ids-only-grow keyset pagination, the same
/// compare-and-set for entity updates, and the same change topics (`sessions`, `session:CODE`,
/// `entity:ID`) announced once each write has committed. Server code written against this
/// protocol runs on either.
public protocol LiveSessionsStorage: Sendable {
    /// Creates a session with a fresh random code.
    func createSession(name: String) async throws -> Session
    /// The session with this code; `not_found` when there is none.
    func session(code: String) async throws -> Session
    /// The most recently created session, or `nil` when there is none.
    func latestSession() async throws -> Session?
    /// Adds a participant with status `active` to a session.
    func join(sessionCode: String, name: String) async throws -> Participant
    /// Changes a participant's status; `not_found` when the participant is not in the session.
    func setStatus(sessionCode: String, participantID: Int, status: ParticipantStatus) async throws -> Participant
    /// Removes a participant from a session; `not_found` when the participant is not in it.
    func leave(sessionCode: String, participantID: Int) async throws
    /// The current state of a session for `participants.stream`.
    func participantsUpdate(sessionCode: String) async throws -> ParticipantsUpdate
    /// One page of a session's participants by ascending id (keyset pagination).
    func participantsPage(sessionCode: String, cursor: String?, pageSize: Int) async throws -> ParticipantsPage
    /// Adds a card to a session's board: version 1, empty notes, status `todo`.
    func createEntity(sessionCode: String, title: String) async throws -> Entity
    /// One card; `not_found` when it does not exist.
    func entity(id: Int) async throws -> Entity
    /// One card, or `nil` when it does not exist.
    func entityIfExists(id: Int) async throws -> Entity?
    /// A session's cards, ordered by id.
    func entities(sessionCode: String) async throws -> [Entity]
    /// Compare-and-set update of a card against `baseVersion`, in one transaction.
    func updateEntity(id: Int, changes: EntityChanges, baseVersion: Int) async throws -> EntityUpdateResult
    /// The `participants` stage of `sessions.loadProgressive`.
    func progressiveParticipants(sessionCode: String) async throws -> ProgressiveParticipants
    /// The `analytics` stage of `sessions.loadProgressive`.
    func analytics(sessionCode: String) async throws -> SessionAnalytics
    /// The `insights` stage of `sessions.loadProgressive`.
    func insights(sessionCode: String, analytics: SessionAnalytics) async throws -> [Insight]
    /// Creates a large demo session in one transaction.
    func seedLargeSession(name: String, participantCount: Int) async throws -> Session
    /// Closes the store after the queued work.
    func close() async
}

extension LiveSessionsStore: LiveSessionsStorage {}
