import Foundation
public import LiveSessionsAPI
import RemoteFunctionsSQLite

extension LiveSessionsStore {
    /// Creates a session with `participantCount` participants in one transaction, through
    /// prepared statements, for demonstrating analytics on a large session.
    ///
    /// Join times spread over the three hours before now, with a burst about 40 minutes in;
    /// earlier joiners are more often idle or away; about 7 % of generated participants leave
    /// again (they are deleted and recorded as leaves), so that churn is not zero. The session
    /// ends up with exactly `participantCount` participants.
    public func seedLargeSession(name: String = "Large session", participantCount: Int = 100_000) async throws
        -> Session
    {
        let name = try LiveSessionsValidation.name(
            name, field: "name", maximumLength: LiveSessionsValidation.maximumSessionNameLength)
        let now = clock()
        let count = max(0, participantCount)
        return try await write { connection in
            var generator = SplitMix64(seed: UInt64.random(in: .min ... .max))
            var code = SessionCodeGenerator.make()
            while try connection.run(
                "INSERT OR IGNORE INTO sessions (code, name, created_at) VALUES (?, ?, ?)", [code, name, now]) == 0
            {
                code = SessionCodeGenerator.make()
            }

            let start = now.timeIntervalSince1970 * 1000 - 3 * 3_600_000
            let span = 3 * 3_600_000.0
            let leavers = count * 7 / 93
            var joinTimes: [Int64] = (0..<(count + leavers)).map { _ in
                let offset =
                    Double.random(in: 0..<1, using: &generator) < 0.3
                    ? min(max(generator.normal(mean: 40 * 60_000, standardDeviation: 6 * 60_000), 0), span - 1)
                    : Double.random(in: 0..<span, using: &generator)
                return Int64(start + offset)
            }
            joinTimes.sort()

            var leaving = Set<Int>()
            while leaving.count < leavers {
                leaving.insert(Int.random(in: 0..<joinTimes.count, using: &generator))
            }

            let insertParticipant = try connection.prepare(
                "INSERT INTO participants (session_code, name, status, joined_at) VALUES (?, ?, ?, ?)")
            var leaverIDs: [(id: Int64, joinedAt: Int64)] = []
            for (index, joinedAt) in joinTimes.enumerated() {
                let progress = Double(index) / Double(max(joinTimes.count, 1))
                let inactiveChance = 0.2 + 0.35 * (1 - progress)
                let roll = Double.random(in: 0..<1, using: &generator)
                let status: ParticipantStatus =
                    roll < inactiveChance * 0.6 ? .idle : roll < inactiveChance ? .away : .active
                try insertParticipant.run([
                    code, DemoNames.random(using: &generator), status.rawValue, joinedAt,
                ])
                if leaving.contains(index) { leaverIDs.append((connection.lastInsertRowID, joinedAt)) }
            }
            // Every generated participant joined; record it in one statement.
            try connection.run(
                """
                INSERT INTO participant_events (session_code, participant_id, kind, at)
                SELECT session_code, id, 'join', joined_at FROM participants WHERE session_code = ?
                """, [code])
            let deleteParticipant = try connection.prepare("DELETE FROM participants WHERE id = ?")
            let insertLeave = try connection.prepare(
                "INSERT INTO participant_events (session_code, participant_id, kind, at) VALUES (?, ?, 'leave', ?)")
            let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
            for leaver in leaverIDs {
                try deleteParticipant.run([leaver.id])
                let leftAt = Int64.random(
                    in: leaver.joinedAt...max(leaver.joinedAt, nowMilliseconds), using: &generator)
                try insertLeave.run([code, leaver.id, leftAt])
            }
            let session = Session(code: code, name: name, createdAt: Self.millisecondPrecision(now))
            return (session, topics: [Self.sessionsTopic, Self.sessionTopic(code)])
        }
    }
}
