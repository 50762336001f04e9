import Foundation
public import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsSQLite

extension LiveSessionsStore {
    /// Adds a participant with status `active` to a session.
    public func join(sessionCode: String, name: String) async throws -> Participant {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let name = try LiveSessionsValidation.name(
            name, field: "name", maximumLength: LiveSessionsValidation.maximumParticipantNameLength)
        let now = clock()
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            try connection.run(
                "INSERT INTO participants (session_code, name, status, joined_at) VALUES (?, ?, 'active', ?)",
                [code, name, now])
            let id = Int(connection.lastInsertRowID)
            try Self.recordEvent(connection, sessionCode: code, participantID: id, kind: "join", at: now)
            let participant = Participant(
                id: id, name: name, status: .active, joinedAt: Self.millisecondPrecision(now))
            return (participant, topics: [Self.sessionTopic(code)])
        }
    }

    /// Changes a participant's status; `not_found` when the participant is not in the session.
    public func setStatus(
        sessionCode: String, participantID: Int, status: ParticipantStatus
    ) async throws -> Participant {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let now = clock()
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            let changed = try connection.run(
                "UPDATE participants SET status = ? WHERE id = ? AND session_code = ?",
                [status.rawValue, participantID, code])
            guard changed == 1,
                let participant = try connection.queryFirst(
                    "SELECT \(LiveSessionsRows.participantColumns) FROM participants WHERE id = ?", [participantID],
                    LiveSessionsRows.participant)
            else {
                throw RemoteError(.notFound, "participant \(participantID) is not in session \(code)")
            }
            try Self.recordEvent(connection, sessionCode: code, participantID: participantID, kind: "status", at: now)
            return (participant, topics: [Self.sessionTopic(code)])
        }
    }

    /// Removes a participant from a session (the row is deleted); `not_found` when the
    /// participant is not in the session.
    public func leave(sessionCode: String, participantID: Int) async throws {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let now = clock()
        try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            let deleted = try connection.run(
                "DELETE FROM participants WHERE id = ? AND session_code = ?", [participantID, code])
            guard deleted == 1 else {
                throw RemoteError(.notFound, "participant \(participantID) is not in session \(code)")
            }
            try Self.recordEvent(connection, sessionCode: code, participantID: participantID, kind: "leave", at: now)
            return ((), topics: [Self.sessionTopic(code)])
        }
    }

    /// The current state of a session for `participants.stream`: its newest
    /// ``ParticipantsUpdate/participantLimit`` participants (by id) and counts over all of them,
    /// read in one snapshot.
    public func participantsUpdate(sessionCode: String) async throws -> ParticipantsUpdate {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let now = clock()
        return try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            let byStatus = try Self.statusCounts(connection, sessionCode: code)
            let participants = try connection.query(
                """
                SELECT \(LiveSessionsRows.participantColumns) FROM (
                    SELECT \(LiveSessionsRows.participantColumns) FROM participants
                    WHERE session_code = ? ORDER BY id DESC LIMIT ?
                ) ORDER BY id
                """,
                [code, ParticipantsUpdate.participantLimit], LiveSessionsRows.participant)
            return ParticipantsUpdate(
                participants: participants, timestamp: now,
                stats: ParticipantStats(total: byStatus.total, byStatus: byStatus))
        }
    }

    /// One page of a session's participants by ascending id, after the participant encoded in
    /// `cursor` (from the start when `nil`).
    ///
    /// Keyset pagination: ids only grow, so participants inserted while a client pages appear
    /// after every existing one — a client sees each participant that existed when it started
    /// exactly once (unless that participant left), with no duplicates and no gaps.
    public func participantsPage(sessionCode: String, cursor: String?, pageSize: Int) async throws
        -> ParticipantsPage
    {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let pageSize = try LiveSessionsValidation.pageSize(pageSize)
        let afterID = try cursor.map { cursor throws(RemoteError) in try ParticipantCursor.decode(cursor) } ?? 0
        return try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            var items = try connection.query(
                """
                SELECT \(LiveSessionsRows.participantColumns) FROM participants
                WHERE session_code = ? AND id > ? ORDER BY id LIMIT ?
                """,
                [code, afterID, pageSize + 1], LiveSessionsRows.participant)
            let hasMore = items.count > pageSize
            if hasMore { items.removeLast() }
            let nextCursor = hasMore ? items.last.map { ParticipantCursor.encode(lastID: $0.id) } : nil
            return ParticipantsPage(items: items, nextCursor: nextCursor, hasMore: hasMore)
        }
    }

    static func statusCounts(_ connection: SQLiteConnection, sessionCode: String) throws -> ParticipantStatusCounts {
        var counts = ParticipantStatusCounts()
        try connection.forEachRow(
            "SELECT status, count(*) FROM participants WHERE session_code = ? GROUP BY status", [sessionCode]
        ) { row in
            if let status = ParticipantStatus(rawValue: row.string(0)) { counts[status] = row.int(1) }
        }
        return counts
    }

    static func recordEvent(
        _ connection: SQLiteConnection, sessionCode: String, participantID: Int, kind: String, at date: Date
    ) throws {
        try connection.run(
            "INSERT INTO participant_events (session_code, participant_id, kind, at) VALUES (?, ?, ?, ?)",
            [sessionCode, participantID, kind, date])
    }
}
