public import Foundation

/// The `analytics` stage of `sessions.loadProgressive`: statistics computed over every
/// participant of a session (and its join/leave history) at the time of the request.
public struct SessionAnalytics: Codable, Sendable, Hashable {
    /// How many participants the session has.
    public var total: Int
    /// How many participants have each status.
    public var byStatus: ParticipantStatusCounts
    /// Joins per minute (of current participants), for every minute that had one, ascending.
    public var joinsPerMinute: [MinuteCount]
    /// The minute with the most joins; `null` for an empty session.
    public var peakMinute: Date?
    /// How many joins the peak minute had.
    public var peakMinuteJoins: Int
    /// The median length of participants' names, in characters.
    public var medianNameLength: Double
    /// The mean length of participants' names, in characters.
    public var averageNameLength: Double
    /// The standard deviation of name lengths.
    public var nameLengthStandardDeviation: Double
    /// How many different names there are.
    public var distinctNames: Int
    /// The most common first names (the part before the first space), most common first.
    public var topFirstNames: [NameCount]
    /// Joins ever recorded for the session, including participants who left since.
    public var joinsRecorded: Int
    /// Leaves recorded for the session.
    public var leavesRecorded: Int
    /// `leavesRecorded / joinsRecorded` (0 when nobody joined).
    public var churnRate: Double
    /// The least-squares slope of joins per minute over the session's active minutes: positive
    /// when joining accelerates.
    public var joinTrendPerMinute: Double
    /// The median time since joining, over current participants, in seconds.
    public var medianTenureSeconds: Double
    /// How long the server took to compute these figures, in milliseconds.
    public var computeMilliseconds: Double

    /// Creates analytics.
    public init(
        total: Int, byStatus: ParticipantStatusCounts, joinsPerMinute: [MinuteCount], peakMinute: Date?,
        peakMinuteJoins: Int, medianNameLength: Double, averageNameLength: Double,
        nameLengthStandardDeviation: Double, distinctNames: Int, topFirstNames: [NameCount], joinsRecorded: Int,
        leavesRecorded: Int, churnRate: Double, joinTrendPerMinute: Double, medianTenureSeconds: Double,
        computeMilliseconds: Double
    ) {
        self.total = total
        self.byStatus = byStatus
        self.joinsPerMinute = joinsPerMinute
        self.peakMinute = peakMinute
        self.peakMinuteJoins = peakMinuteJoins
        self.medianNameLength = medianNameLength
        self.averageNameLength = averageNameLength
        self.nameLengthStandardDeviation = nameLengthStandardDeviation
        self.distinctNames = distinctNames
        self.topFirstNames = topFirstNames
        self.joinsRecorded = joinsRecorded
        self.leavesRecorded = leavesRecorded
        self.churnRate = churnRate
        self.joinTrendPerMinute = joinTrendPerMinute
        self.medianTenureSeconds = medianTenureSeconds
        self.computeMilliseconds = computeMilliseconds
    }

    /// A count for one minute.
    public struct MinuteCount: Codable, Sendable, Hashable {
        /// The start of the minute.
        public var minute: Date
        /// How many events fell in it.
        public var count: Int

        /// Creates a count.
        public init(minute: Date, count: Int) {
            self.minute = minute
            self.count = count
        }
    }

    /// How many participants share a name.
    public struct NameCount: Codable, Sendable, Hashable {
        /// The name.
        public var name: String
        /// How many participants have it.
        public var count: Int

        /// Creates a count.
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }
}
