public import Foundation
public import LiveSessionsAPI
public import RemoteFunctions

/// The engine-independent rules of the LiveSessions store, public so that every storage engine
/// (SQLite here, PostgreSQL in the nested `Postgres` package) validates, paginates, names and
/// derives insights identically.
public enum LiveSessionsRules {
    /// The longest session name, in characters.
    public static let maximumSessionNameLength = LiveSessionsValidation.maximumSessionNameLength
    /// The longest participant name, in characters.
    public static let maximumParticipantNameLength = LiveSessionsValidation.maximumParticipantNameLength
    /// The longest entity title, in characters.
    public static let maximumTitleLength = LiveSessionsValidation.maximumTitleLength

    /// A trimmed single-line text of 1…`maximumLength` characters, or `invalid_argument`.
    public static func name(_ value: String, field: String, maximumLength: Int) throws(RemoteError) -> String {
        try LiveSessionsValidation.name(value, field: field, maximumLength: maximumLength)
    }

    /// Entity notes of at most 10 000 characters, or `invalid_argument`.
    public static func notes(_ value: String) throws(RemoteError) -> String {
        try LiveSessionsValidation.notes(value)
    }

    /// A session code in canonical (upper-case, trimmed) form.
    public static func sessionCode(_ value: String) -> String {
        LiveSessionsValidation.sessionCode(value)
    }

    /// A page size in 1…200, or `invalid_argument`.
    public static func pageSize(_ value: Int) throws(RemoteError) -> Int {
        try LiveSessionsValidation.pageSize(value)
    }

    /// The opaque `participants.page` cursor after the participant with id `lastID`.
    public static func participantCursor(lastID: Int) -> String {
        ParticipantCursor.encode(lastID: lastID)
    }

    /// The participant id a cursor encodes, or `invalid_argument`.
    public static func participantID(fromCursor cursor: String) throws(RemoteError) -> Int {
        try ParticipantCursor.decode(cursor)
    }

    /// A fresh random session code (six characters without ambiguous ones).
    public static func makeSessionCode() -> String {
        SessionCodeGenerator.make()
    }

    /// A random demo participant name.
    public static func demoName(using generator: inout some RandomNumberGenerator) -> String {
        DemoNames.random(using: &generator)
    }

    /// A date rounded to the millisecond, as both engines store dates.
    public static func millisecondPrecision(_ date: Date) -> Date {
        LiveSessionsStore.millisecondPrecision(date)
    }

    /// The rows analytics are computed from, read by the engine in one snapshot.
    public struct AnalyticsInput: Sendable {
        /// Participants per status.
        public var byStatus: ParticipantStatusCounts
        /// Joins per minute since 1970 (of current participants), ascending by minute.
        public var joinsPerMinute: [(minute: Int64, count: Int)]
        /// Every current participant's name and join time in milliseconds since 1970.
        public var participants: [(name: String, joinedAtMilliseconds: Int64)]
        /// Joins ever recorded.
        public var joinsRecorded: Int
        /// Leaves ever recorded.
        public var leavesRecorded: Int

        /// Creates the input.
        public init(
            byStatus: ParticipantStatusCounts, joinsPerMinute: [(minute: Int64, count: Int)],
            participants: [(name: String, joinedAtMilliseconds: Int64)], joinsRecorded: Int, leavesRecorded: Int
        ) {
            self.byStatus = byStatus
            self.joinsPerMinute = joinsPerMinute
            self.participants = participants
            self.joinsRecorded = joinsRecorded
            self.leavesRecorded = leavesRecorded
        }
    }

    /// Computes ``SessionAnalytics`` from `input` at time `now`, exactly as the SQLite store does
    /// (`computeMilliseconds` is left at 0 for the caller to fill in).
    public static func analytics(_ input: AnalyticsInput, now: Date) -> SessionAnalytics {
        let minutes = input.joinsPerMinute
        var nameLengths: [Double] = []
        var tenures: [Double] = []
        var distinctNames = Set<String>()
        var firstNames: [Substring: Int] = [:]
        let nowMilliseconds = now.timeIntervalSince1970 * 1000
        for participant in input.participants {
            let name = participant.name
            nameLengths.append(Double(name.count))
            distinctNames.insert(name)
            let firstName = name.split(separator: " ", maxSplits: 1).first ?? Substring(name)
            firstNames[firstName, default: 0] += 1
            tenures.append(max(0, (nowMilliseconds - Double(participant.joinedAtMilliseconds)) / 1000))
        }
        let peak = minutes.max { $0.count < $1.count || ($0.count == $1.count && $0.minute > $1.minute) }
        let firstMinute = minutes.first?.minute ?? 0
        let trend = DescriptiveStatistics.slope(
            x: minutes.map { Double($0.minute - firstMinute) }, y: minutes.map { Double($0.count) })
        let topFirstNames = firstNames.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .prefix(5).map { SessionAnalytics.NameCount(name: String($0.key), count: $0.value) }
        return SessionAnalytics(
            total: input.byStatus.total,
            byStatus: input.byStatus,
            joinsPerMinute: minutes.suffix(1440).map {
                SessionAnalytics.MinuteCount(minute: LiveSessionsStore.date(minute: $0.minute), count: $0.count)
            },
            peakMinute: peak.map { LiveSessionsStore.date(minute: $0.minute) },
            peakMinuteJoins: peak?.count ?? 0,
            medianNameLength: DescriptiveStatistics.median(nameLengths),
            averageNameLength: DescriptiveStatistics.mean(nameLengths),
            nameLengthStandardDeviation: DescriptiveStatistics.standardDeviation(nameLengths),
            distinctNames: distinctNames.count,
            topFirstNames: Array(topFirstNames),
            joinsRecorded: input.joinsRecorded,
            leavesRecorded: input.leavesRecorded,
            churnRate: input.joinsRecorded == 0 ? 0 : Double(input.leavesRecorded) / Double(input.joinsRecorded),
            joinTrendPerMinute: trend,
            medianTenureSeconds: DescriptiveStatistics.median(tenures),
            computeMilliseconds: 0)
    }

    /// The `insights` stage from the analytics and a pass over the session: for each participant
    /// in join order whether it is idle or away, and how many names are shared by how many
    /// participants.
    public static func insights(
        analytics: SessionAnalytics, inactiveByJoinOrder: [Bool], sharedNames: Int, participantsWithSharedNames: Int
    ) -> [Insight] {
        SessionInsightRules.insights(
            analytics: analytics,
            facts: SessionInsightRules.Facts(
                inactiveByJoinOrder: inactiveByJoinOrder, sharedNames: sharedNames,
                participantsWithSharedNames: participantsWithSharedNames))
    }
}
