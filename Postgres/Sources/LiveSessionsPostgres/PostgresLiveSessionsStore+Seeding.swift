import Foundation
public import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctionsPostgres

extension PostgresLiveSessionsStore {
    /// Creates a session with `participantCount` participants in one transaction, with the same
    /// shape of data as the SQLite store's seeding: join times over the last three hours with a
    /// burst about 40 minutes in, earlier joiners more often idle or away, and about 7 % of
    /// generated participants leaving again (deleted and recorded as leaves). Rows are inserted
    /// 5 000 at a time with `unnest` over array parameters.
    public func seedLargeSession(name: String, participantCount: Int) async throws -> Session {
        let name = try LiveSessionsRules.name(
            name, field: "name", maximumLength: LiveSessionsRules.maximumSessionNameLength)
        let now = LiveSessionsRules.millisecondPrecision(clock())
        let nowMilliseconds = PostgresLiveSessionsRows.milliseconds(now)
        let count = max(0, participantCount)
        return try await write { connection in
            var generator = SystemRandomNumberGenerator()
            var code = LiveSessionsRules.makeSessionCode()
            while try connection.run(
                "INSERT INTO sessions (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
                [code, name, nowMilliseconds]) == 0
            {
                code = LiveSessionsRules.makeSessionCode()
            }
            let start = Double(nowMilliseconds) - 3 * 3_600_000
            let span = 3 * 3_600_000.0
            let leavers = count * 7 / 93
            var joinTimes: [Int64] = (0..<(count + leavers)).map { _ in
                let offset =
                    Double.random(in: 0..<1, using: &generator) < 0.3
                    ? min(
                        max(Self.normal(mean: 40 * 60_000, standardDeviation: 6 * 60_000, using: &generator), 0),
                        span - 1)
                    : Double.random(in: 0..<span, using: &generator)
                return Int64(start + offset)
            }
            joinTimes.sort()
            var names: [String] = []
            var statuses: [String] = []
            for index in joinTimes.indices {
                let progress = Double(index) / Double(max(joinTimes.count, 1))
                let inactiveChance = 0.2 + 0.35 * (1 - progress)
                let roll = Double.random(in: 0..<1, using: &generator)
                let status: ParticipantStatus =
                    roll < inactiveChance * 0.6 ? .idle : roll < inactiveChance ? .away : .active
                names.append(LiveSessionsRules.demoName(using: &generator))
                statuses.append(status.rawValue)
            }
            var ids: [Int64] = []
            var offset = 0
            while offset < joinTimes.count {
                let end = min(offset + 5_000, joinTimes.count)
                ids += try connection.query(
                    """
                    INSERT INTO participants (session_code, name, status, joined_at)
                    SELECT $1, name, status, joined_at
                    FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS rows (name, status, joined_at, position)
                    ORDER BY position
                    RETURNING id
                    """,
                    [
                        code, Self.arrayLiteral(names[offset..<end]), Self.arrayLiteral(statuses[offset..<end]),
                        Self.arrayLiteral(joinTimes[offset..<end].map(String.init)),
                    ]
                ) { try $0.int64(0) }
                offset = end
            }
            try connection.run(
                """
                INSERT INTO participant_events (session_code, participant_id, kind, at)
                SELECT session_code, id, 'join', joined_at FROM participants WHERE session_code = $1 ORDER BY id
                """, [code])
            var leaving = Set<Int>()
            while leaving.count < min(leavers, joinTimes.count) {
                leaving.insert(Int.random(in: 0..<joinTimes.count, using: &generator))
            }
            let leaverIDs = leaving.sorted().filter { $0 < ids.count }.map { ids[$0] }
            let leftAt = leaving.sorted().filter { $0 < ids.count }.map { index in
                Int64.random(in: joinTimes[index]...max(joinTimes[index], nowMilliseconds), using: &generator)
            }
            if !leaverIDs.isEmpty {
                try connection.run(
                    "DELETE FROM participants WHERE id = ANY($1::bigint[])",
                    [Self.arrayLiteral(leaverIDs.map(String.init))])
                try connection.run(
                    """
                    INSERT INTO participant_events (session_code, participant_id, kind, at)
                    SELECT $1, id, 'leave', at FROM unnest($2::bigint[], $3::bigint[]) AS rows (id, at)
                    """,
                    [code, Self.arrayLiteral(leaverIDs.map(String.init)), Self.arrayLiteral(leftAt.map(String.init))])
            }
            let session = Session(code: code, name: name, createdAt: now)
            return (session, topics: [LiveSessionsStore.sessionsTopic, LiveSessionsStore.sessionTopic(code)])
        }
    }

    /// A PostgreSQL array literal of quoted elements: `{"a","b \"c\""}`.
    static func arrayLiteral(_ elements: some Sequence<String>) -> String {
        "{"
            + elements.map { element in
                "\"" + element.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
    }

    /// A normally distributed value (Box–Muller).
    static func normal(mean: Double, standardDeviation: Double, using generator: inout some RandomNumberGenerator)
        -> Double
    {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return mean + standardDeviation * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }
}
