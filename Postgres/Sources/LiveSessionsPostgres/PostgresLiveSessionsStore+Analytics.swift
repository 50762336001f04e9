import Foundation
public import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctionsPostgres

extension PostgresLiveSessionsStore {
    /// The `participants` stage of `sessions.loadProgressive`: the total and the 50 newest
    /// participants, newest first.
    public func progressiveParticipants(sessionCode: String) async throws -> ProgressiveParticipants {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        return try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            let total =
                try connection.queryFirst("SELECT count(*) FROM participants WHERE session_code = $1", [code]) {
                    try $0.int(0)
                } ?? 0
            let recent = try connection.query(
                """
                SELECT \(PostgresLiveSessionsRows.participantColumns) FROM participants
                WHERE session_code = $1 ORDER BY id DESC LIMIT $2
                """,
                [code, ProgressiveParticipants.recentLimit], PostgresLiveSessionsRows.participant)
            return ProgressiveParticipants(total: total, recent: recent)
        }
    }

    /// Statistics over every participant of a session, read in one snapshot (SQL aggregates
    /// and rows) and computed by the same rules as on SQLite (`LiveSessionsRules.analytics`).
    public func analytics(sessionCode: String) async throws -> SessionAnalytics {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let now = clock()
        let started = ContinuousClock.now
        let input = try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            let byStatus = try Self.statusCounts(connection, sessionCode: code)
            let minutes = try connection.query(
                """
                SELECT joined_at / 60000 AS minute, count(*) FROM participants
                WHERE session_code = $1 GROUP BY minute ORDER BY minute
                """, [code]
            ) { row in (minute: try row.int64(0), count: try row.int(1)) }
            let participants = try connection.query(
                "SELECT name, joined_at FROM participants WHERE session_code = $1", [code]
            ) { row in (name: try row.string(0), joinedAtMilliseconds: try row.int64(1)) }
            var joins = 0
            var leaves = 0
            let kinds = try connection.query(
                """
                SELECT kind, count(*) FROM participant_events
                WHERE session_code = $1 AND kind IN ('join', 'leave') GROUP BY kind
                """, [code]
            ) { row in (try row.string(0), try row.int(1)) }
            for (kind, count) in kinds {
                if kind == "join" { joins = count } else { leaves = count }
            }
            return LiveSessionsRules.AnalyticsInput(
                byStatus: byStatus, joinsPerMinute: minutes, participants: participants, joinsRecorded: joins,
                leavesRecorded: leaves)
        }
        var analytics = LiveSessionsRules.analytics(input, now: now)
        let elapsed = ContinuousClock.now - started
        analytics.computeMilliseconds =
            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return analytics
    }

    /// Findings derived from the analytics and a further pass over the session (the same rules
    /// as on SQLite).
    public func insights(sessionCode: String, analytics: SessionAnalytics) async throws -> [Insight] {
        let code = LiveSessionsRules.sessionCode(sessionCode)
        let facts = try await read { connection in
            _ = try Self.requireSession(connection, code: code)
            let inactive = try connection.query(
                "SELECT status <> 'active' FROM participants WHERE session_code = $1 ORDER BY joined_at, id", [code]
            ) { try $0.bool(0) }
            let shared =
                try connection.queryFirst(
                    """
                    SELECT count(*), coalesce(sum(n), 0) FROM (
                        SELECT count(*) AS n FROM participants WHERE session_code = $1
                        GROUP BY name HAVING count(*) > 1
                    ) AS shared
                    """, [code]
                ) { (names: try $0.int(0), participants: try $0.int(1)) } ?? (names: 0, participants: 0)
            return (inactive, shared)
        }
        return LiveSessionsRules.insights(
            analytics: analytics, inactiveByJoinOrder: facts.0, sharedNames: facts.1.names,
            participantsWithSharedNames: facts.1.participants)
    }
}
