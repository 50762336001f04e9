public import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsSQLite

extension LiveSessionsStore {
    /// Adds a card to a session's board: version 1, empty notes, status `todo`.
    public func createEntity(sessionCode: String, title: String) async throws -> Entity {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let title = try LiveSessionsValidation.name(
            title, field: "title", maximumLength: LiveSessionsValidation.maximumTitleLength)
        let now = clock()
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            try connection.run(
                """
                INSERT INTO entities (session_code, title, notes, status, version, updated_at)
                VALUES (?, ?, '', 'todo', 1, ?)
                """,
                [code, title, now])
            let entity = Entity(
                id: Int(connection.lastInsertRowID), sessionCode: code, title: title, notes: "", status: .todo,
                version: 1, updatedAt: Self.millisecondPrecision(now))
            return (entity, topics: [Self.sessionTopic(code), Self.entityTopic(entity.id)])
        }
    }

    /// One card; `not_found` when it does not exist.
    public func entity(id: Int) async throws -> Entity {
        try await database.read { connection in
            try Self.requireEntity(connection, id: id)
        }
    }

    /// One card, or `nil` when it does not exist.
    public func entityIfExists(id: Int) async throws -> Entity? {
        try await database.read { connection in
            try Self.fetchEntity(connection, id: id)
        }
    }

    /// A session's cards, ordered by id.
    public func entities(sessionCode: String) async throws -> [Entity] {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        return try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            return try connection.query(
                "SELECT \(LiveSessionsRows.entityColumns) FROM entities WHERE session_code = ? ORDER BY id", [code],
                LiveSessionsRows.entity)
        }
    }

    /// Compare-and-set: applies `changes` only if the card is still at `baseVersion`, in one
    /// transaction (`UPDATE … WHERE id = ? AND version = ?`), incrementing its version by one.
    /// Otherwise nothing is written and the result carries the current card.
    public func updateEntity(id: Int, changes: EntityChanges, baseVersion: Int) async throws -> EntityUpdateResult {
        guard !changes.isEmpty else {
            throw RemoteError(.invalidArgument, "changes must set at least one of title, notes, status")
        }
        guard baseVersion >= 1 else {
            throw RemoteError(.invalidArgument, "baseVersion must be at least 1")
        }
        var changes = changes
        if let title = changes.title {
            changes.title = try LiveSessionsValidation.name(
                title, field: "title", maximumLength: LiveSessionsValidation.maximumTitleLength)
        }
        if let notes = changes.notes {
            changes.notes = try LiveSessionsValidation.notes(notes)
        }
        let validChanges = changes
        let now = clock()
        return try await write { connection in
            let current = try Self.requireEntity(connection, id: id)
            guard current.version == baseVersion else {
                return (.conflict(current: current), topics: [])
            }
            let next = validChanges.applied(to: current)
            let updated = try connection.run(
                """
                UPDATE entities SET title = ?, notes = ?, status = ?, version = version + 1, updated_at = ?
                WHERE id = ? AND version = ?
                """,
                [next.title, next.notes, next.status.rawValue, now, id, baseVersion])
            let stored = try Self.requireEntity(connection, id: id)
            guard updated == 1 else {
                return (.conflict(current: stored), topics: [])
            }
            return (.applied(stored), topics: [Self.sessionTopic(stored.sessionCode), Self.entityTopic(id)])
        }
    }

    static func fetchEntity(_ connection: SQLiteConnection, id: Int) throws -> Entity? {
        try connection.queryFirst(
            "SELECT \(LiveSessionsRows.entityColumns) FROM entities WHERE id = ?", [id], LiveSessionsRows.entity)
    }

    static func requireEntity(_ connection: SQLiteConnection, id: Int) throws -> Entity {
        guard let entity = try fetchEntity(connection, id: id) else {
            throw RemoteError(.notFound, "no entity has the id \(id)")
        }
        return entity
    }
}
