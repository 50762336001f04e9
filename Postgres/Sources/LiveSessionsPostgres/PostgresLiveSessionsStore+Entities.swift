public import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsPostgres

extension PostgresLiveSessionsStore {
    /// Adds a card to a session's board: version 1, empty notes, status `todo`.
    public func createEntity(sessionCode: String, title: String) async throws -> Entity {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let title = try LiveSessionsRules.name(
            title, field: "title", maximumLength: LiveSessionsRules.maximumTitleLength)
        let milliseconds = PostgresLiveSessionsRows.milliseconds(clock())
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            guard
                let entity = try connection.queryFirst(
                    """
                    INSERT INTO entities (session_code, title, notes, status, version, updated_at)
                    VALUES ($1, $2, '', 'todo', 1, $3) RETURNING \(PostgresLiveSessionsRows.entityColumns)
                    """,
                    [code, title, milliseconds], PostgresLiveSessionsRows.entity)
            else { throw PostgresError(kind: .statementFailed, message: "INSERT … RETURNING returned no row") }
            return (entity, topics: [LiveSessionsStore.sessionTopic(code), LiveSessionsStore.entityTopic(entity.id)])
        }
    }

    /// One card; `not_found` when it does not exist.
    public func entity(id: Int) async throws -> Entity {
        try await read { connection in try Self.requireEntity(connection, id: id) }
    }

    /// One card, or `nil` when it does not exist.
    public func entityIfExists(id: Int) async throws -> Entity? {
        try await read { connection in try Self.fetchEntity(connection, id: id) }
    }

    /// A session's cards, ordered by id.
    public func entities(sessionCode: String) async throws -> [Entity] {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        return try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            return try connection.query(
                "SELECT \(PostgresLiveSessionsRows.entityColumns) FROM entities WHERE session_code = $1 ORDER BY id",
                [code],
                PostgresLiveSessionsRows.entity)
        }
    }

    /// Compare-and-set: applies `changes` only if the card is still at `baseVersion`, in one
    /// transaction (`UPDATE … WHERE id = $1 AND version = $2`), incrementing its version by one.
    /// Otherwise nothing is written and the result carries the current card.
    ///
    /// Under READ COMMITTED a concurrent update of the same row makes this `UPDATE` wait for the
    /// other transaction and then re-check `version = baseVersion` against the committed row, so
    /// of several writers with the same base exactly one wins, across instances too.
    public func updateEntity(id: Int, changes: EntityChanges, baseVersion: Int) async throws -> EntityUpdateResult {
        guard !changes.isEmpty else {
            throw RemoteError(.invalidArgument, "changes must set at least one of title, notes, status")
        }
        guard baseVersion >= 1 else {
            throw RemoteError(.invalidArgument, "baseVersion must be at least 1")
        }
        var changes = changes
        if let title = changes.title {
            changes.title = try LiveSessionsRules.name(
                title, field: "title", maximumLength: LiveSessionsRules.maximumTitleLength)
        }
        if let notes = changes.notes {
            changes.notes = try LiveSessionsRules.notes(notes)
        }
        let validChanges = changes
        let milliseconds = PostgresLiveSessionsRows.milliseconds(clock())
        return try await write { connection in
            let current = try Self.requireEntity(connection, id: id)
            guard current.version == baseVersion else {
                return (.conflict(current: current), topics: [])
            }
            let next = validChanges.applied(to: current)
            let stored = try connection.queryFirst(
                """
                UPDATE entities SET title = $1, notes = $2, status = $3, version = version + 1, updated_at = $4
                WHERE id = $5 AND version = $6 RETURNING \(PostgresLiveSessionsRows.entityColumns)
                """,
                [next.title, next.notes, next.status.rawValue, milliseconds, id, baseVersion],
                PostgresLiveSessionsRows.entity)
            guard let stored else {
                return (.conflict(current: try Self.requireEntity(connection, id: id)), topics: [])
            }
            return (
                .applied(stored),
                topics: [LiveSessionsStore.sessionTopic(stored.sessionCode), LiveSessionsStore.entityTopic(id)]
            )
        }
    }

    static func fetchEntity(_ connection: PostgresConnection, id: Int) throws -> Entity? {
        try connection.queryFirst(
            "SELECT \(PostgresLiveSessionsRows.entityColumns) FROM entities WHERE id = $1", [id],
            PostgresLiveSessionsRows.entity)
    }

    static func requireEntity(_ connection: PostgresConnection, id: Int) throws -> Entity {
        guard let entity = try fetchEntity(connection, id: id) else {
            throw RemoteError(.notFound, "no entity has the id \(id)")
        }
        return entity
    }
}
