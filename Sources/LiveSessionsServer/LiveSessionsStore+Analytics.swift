import Foundation
public import LiveSessionsAPI
import RemoteFunctionsSQLite

extension LiveSessionsStore {
    /// The `participants` stage of `sessions.loadProgressive`: the total and the 50 newest
    /// participants, newest first.
    public func progressiveParticipants(sessionCode: String) async throws -> ProgressiveParticipants {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        return try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            let total =
                try connection.queryFirst(
                    "SELECT count(*) FROM participants WHERE session_code = ?", [code]
                ) { $0.int(0) } ?? 0
            let recent = try connection.query(
                """
                SELECT \(LiveSessionsRows.participantColumns) FROM participants
                WHERE session_code = ? ORDER BY id DESC LIMIT ?
                """,
                [code, ProgressiveParticipants.recentLimit], LiveSessionsRows.participant)
            return ProgressiveParticipants(total: total, recent: recent)
        }
    }

    /// Statistics over every participant of a session and its join/leave history, computed in
    /// one snapshot: status distribution, a per-minute join histogram (SQL), name-length and
    /// tenure statistics, name frequencies, churn and the join trend (Swift). The cost grows with
    /// the session: hundreds of milliseconds for 100 000 participants.
    ///
    /// ``SessionAnalytics/joinsPerMinute`` lists at most the last 1 440 minutes that had joins.
    public func analytics(sessionCode: String) async throws -> SessionAnalytics {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let now = clock()
        let started = ContinuousClock.now
        var analytics = try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            let byStatus = try Self.statusCounts(connection, sessionCode: code)

            var minutes: [(minute: Int64, count: Int)] = []
            try connection.forEachRow(
                """
                SELECT joined_at / 60000 AS minute, count(*) FROM participants
                WHERE session_code = ? GROUP BY minute ORDER BY minute
                """, [code]
            ) { row in minutes.append((row.int64(0), row.int(1))) }

            var nameLengths: [Double] = []
            var tenures: [Double] = []
            var distinctNames = Set<String>()
            var firstNames: [Substring: Int] = [:]
            let nowMilliseconds = now.timeIntervalSince1970 * 1000
            try connection.forEachRow(
                "SELECT name, joined_at FROM participants WHERE session_code = ?", [code]
            ) { row in
                let name = row.string(0)
                nameLengths.append(Double(name.count))
                distinctNames.insert(name)
                let firstName = name.split(separator: " ", maxSplits: 1).first ?? Substring(name)
                firstNames[firstName, default: 0] += 1
                tenures.append(max(0, (nowMilliseconds - Double(row.int64(1))) / 1000))
            }

            var joinsRecorded = 0
            var leavesRecorded = 0
            try connection.forEachRow(
                """
                SELECT kind, count(*) FROM participant_events
                WHERE session_code = ? AND kind IN ('join', 'leave') GROUP BY kind
                """, [code]
            ) { row in
                if row.string(0) == "join" { joinsRecorded = row.int(1) } else { leavesRecorded = row.int(1) }
            }

            let peak = minutes.max { $0.count < $1.count || ($0.count == $1.count && $0.minute > $1.minute) }
            let firstMinute = minutes.first?.minute ?? 0
            let trend = DescriptiveStatistics.slope(
                x: minutes.map { Double($0.minute - firstMinute) }, y: minutes.map { Double($0.count) })
            let topFirstNames = firstNames.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .prefix(5).map { SessionAnalytics.NameCount(name: String($0.key), count: $0.value) }
            return SessionAnalytics(
                total: byStatus.total,
                byStatus: byStatus,
                joinsPerMinute: minutes.suffix(1440).map {
                    SessionAnalytics.MinuteCount(minute: Self.date(minute: $0.minute), count: $0.count)
                },
                peakMinute: peak.map { Self.date(minute: $0.minute) },
                peakMinuteJoins: peak?.count ?? 0,
                medianNameLength: DescriptiveStatistics.median(nameLengths),
                averageNameLength: DescriptiveStatistics.mean(nameLengths),
                nameLengthStandardDeviation: DescriptiveStatistics.standardDeviation(nameLengths),
                distinctNames: distinctNames.count,
                topFirstNames: Array(topFirstNames),
                joinsRecorded: joinsRecorded,
                leavesRecorded: leavesRecorded,
                churnRate: joinsRecorded == 0 ? 0 : Double(leavesRecorded) / Double(joinsRecorded),
                joinTrendPerMinute: trend,
                medianTenureSeconds: DescriptiveStatistics.median(tenures),
                computeMilliseconds: 0)
        }
        analytics.computeMilliseconds = Self.milliseconds(ContinuousClock.now - started)
        return analytics
    }

    /// Findings derived from the analytics and from a further pass over the session: how the
    /// share of idle or away participants differs between the earliest and the latest joiners
    /// (by quartile of join time), how many names are shared, how bursty joining is, churn and
    /// trend.
    public func insights(sessionCode: String, analytics: SessionAnalytics) async throws -> [Insight] {
        let code = LiveSessionsValidation.sessionCode(sessionCode)
        let facts = try await database.read { connection in
            _ = try Self.requireSession(connection, code: code)
            var inactive: [Bool] = []
            try connection.forEachRow(
                "SELECT status FROM participants WHERE session_code = ? ORDER BY joined_at, id", [code]
            ) { row in inactive.append(row.string(0) != ParticipantStatus.active.rawValue) }
            let sharedNames =
                try connection.queryFirst(
                    """
                    SELECT count(*), coalesce(sum(n), 0) FROM (
                        SELECT count(*) AS n FROM participants WHERE session_code = ?
                        GROUP BY name HAVING count(*) > 1
                    )
                    """, [code]
                ) { (names: $0.int(0), participants: $0.int(1)) } ?? (names: 0, participants: 0)
            return SessionInsightRules.Facts(
                inactiveByJoinOrder: inactive, sharedNames: sharedNames.names,
                participantsWithSharedNames: sharedNames.participants)
        }
        return SessionInsightRules.insights(analytics: analytics, facts: facts)
    }

    static func date(minute: Int64) -> Date {
        Date(timeIntervalSince1970: Double(minute) * 60)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
