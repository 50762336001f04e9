import Foundation
public import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsPostgres

extension PostgresLiveSessionsStore {
    /// Adds a participant with status `active` to a session.
    public func join(sessionCode: String, name: String) async throws -> Participant {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let name = try LiveSessionsRules.name(
            name, field: "name", maximumLength: LiveSessionsRules.maximumParticipantNameLength)
        let now = LiveSessionsRules.millisecondPrecision(clock())
        let milliseconds = PostgresLiveSessionsRows.milliseconds(now)
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            let id = try connection.queryFirst(
                "INSERT INTO participants (session_code, name, status, joined_at) VALUES ($1, $2, 'active', $3) RETURNING id",
                [code, name, milliseconds]
            ) { try $0.int(0) }
            guard let id else {
                throw PostgresError(kind: .statementFailed, message: "INSERT … RETURNING returned no row")
            }
            try Self.recordEvent(connection, sessionCode: code, participantID: id, kind: "join", at: milliseconds)
            return (
                Participant(id: id, name: name, status: .active, joinedAt: now),
                topics: [LiveSessionsStore.sessionTopic(code)]
            )
        }
    }

    /// Changes a participant's status; `not_found` when the participant is not in the session.
    public func setStatus(sessionCode: String, participantID: Int, status: ParticipantStatus) async throws
        -> Participant
    {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let milliseconds = PostgresLiveSessionsRows.milliseconds(clock())
        return try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            guard
                let participant = try connection.queryFirst(
                    """
                    UPDATE participants SET status = $1 WHERE id = $2 AND session_code = $3
                    RETURNING \(PostgresLiveSessionsRows.participantColumns)
                    """,
                    [status.rawValue, participantID, code], PostgresLiveSessionsRows.participant)
            else {
                throw RemoteError(.notFound, "participant \(participantID) is not in session \(code)")
            }
            try Self.recordEvent(
                connection, sessionCode: code, participantID: participantID, kind: "status", at: milliseconds)
            return (participant, topics: [LiveSessionsStore.sessionTopic(code)])
        }
    }

    /// Removes a participant from a session (the row is deleted); `not_found` when the
    /// participant is not in the session.
    public func leave(sessionCode: String, participantID: Int) async throws {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let milliseconds = PostgresLiveSessionsRows.milliseconds(clock())
        try await write { connection in
            _ = try Self.requireSession(connection, code: code)
            let deleted = try connection.run(
                "DELETE FROM participants WHERE id = $1 AND session_code = $2", [participantID, code])
            guard deleted == 1 else {
                throw RemoteError(.notFound, "participant \(participantID) is not in session \(code)")
            }
            try Self.recordEvent(
                connection, sessionCode: code, participantID: participantID, kind: "leave", at: milliseconds)
            return ((), topics: [LiveSessionsStore.sessionTopic(code)])
        }
    }

    /// The current state of a session for `participants.stream`: its newest participants (by
    /// id) and counts over all of them, read in one snapshot.
    public func participantsUpdate(sessionCode: String) async throws -> ParticipantsUpdate {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let now = clock()
        return try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            let byStatus = try Self.statusCounts(connection, sessionCode: code)
            let participants = try connection.query(
                """
                SELECT \(PostgresLiveSessionsRows.participantColumns) FROM (
                    SELECT \(PostgresLiveSessionsRows.participantColumns) FROM participants
                    WHERE session_code = $1 ORDER BY id DESC LIMIT $2
                ) AS newest ORDER BY id
                """,
                [code, ParticipantsUpdate.participantLimit], PostgresLiveSessionsRows.participant)
            return ParticipantsUpdate(
                participants: participants, timestamp: now,
                stats: ParticipantStats(total: byStatus.total, byStatus: byStatus))
        }
    }

    /// One page of a session's participants by ascending id, after the participant encoded in
    /// `cursor` (keyset pagination: ids come from a sequence, so they only grow).
    public func participantsPage(sessionCode: String, cursor: String?, pageSize: Int) async throws -> ParticipantsPage {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let pageSize = try LiveSessionsRules.pageSize(pageSize)
        let afterID =
            try cursor.map { cursor throws(RemoteError) in try LiveSessionsRules.participantID(fromCursor: cursor) }
            ?? 0
        return try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            var items = try connection.query(
                """
                SELECT \(PostgresLiveSessionsRows.participantColumns) FROM participants
                WHERE session_code = $1 AND id > $2 ORDER BY id LIMIT $3
                """,
                [code, afterID, pageSize + 1], PostgresLiveSessionsRows.participant)
            let hasMore = items.count > pageSize
            if hasMore { items.removeLast() }
            let nextCursor = hasMore ? items.last.map { LiveSessionsRules.participantCursor(lastID: $0.id) } : nil
            return ParticipantsPage(items: items, nextCursor: nextCursor, hasMore: hasMore)
        }
    }

    static func statusCounts(_ connection: PostgresConnection, sessionCode: String) throws -> ParticipantStatusCounts {
        var counts = ParticipantStatusCounts()
        let rows = try connection.query(
            "SELECT status, count(*) FROM participants WHERE session_code = $1 GROUP BY status", [sessionCode]
        ) { row in (try row.string(0), try row.int(1)) }
        for (status, count) in rows {
            if let status = ParticipantStatus(rawValue: status) { counts[status] = count }
        }
        return counts
    }

    static func recordEvent(
        _ connection: PostgresConnection, sessionCode: String, participantID: Int, kind: String, at milliseconds: Int64
    ) throws {
        try connection.run(
            "INSERT INTO participant_events (session_code, participant_id, kind, at) VALUES ($1, $2, $3, $4)",
            [sessionCode, participantID, kind, milliseconds])
    }
}
