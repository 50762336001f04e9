import Foundation
import LiveSessionsAPI

/// Turns figures about a session into short, readable findings.
enum SessionInsightRules {
    /// What a pass over the session found beyond ``SessionAnalytics``.
    struct Facts: Sendable {
        /// For each participant in join order: whether it is idle or away.
        var inactiveByJoinOrder: [Bool]
        /// How many names more than one participant shares.
        var sharedNames: Int
        /// How many participants carry such a name.
        var participantsWithSharedNames: Int
    }

    static func insights(analytics: SessionAnalytics, facts: Facts) -> [Insight] {
        guard analytics.total > 0 else {
            return [Insight(title: "No participants yet", detail: "Share the session code to get people in.")]
        }
        var insights: [Insight] = []
        let total = Double(analytics.total)

        let shares = ParticipantStatus.allCases.map { ($0, Double(analytics.byStatus[$0]) / total) }
        if let dominant = shares.max(by: { $0.1 < $1.1 }) {
            insights.append(
                Insight(
                    title: "Mostly \(dominant.0.rawValue)",
                    detail: "\(percent(dominant.1)) of \(analytics.total) participants are \(dominant.0.rawValue); "
                        + shares.filter { $0.0 != dominant.0 }.map { "\(percent($0.1)) \($0.0.rawValue)" }
                        .joined(separator: ", ") + "."))
        }

        if let peak = analytics.peakMinute, analytics.joinsPerMinute.count > 1 {
            let counts = analytics.joinsPerMinute.map { Double($0.count) }
            let average = DescriptiveStatistics.mean(counts)
            let variation = average == 0 ? 0 : DescriptiveStatistics.standardDeviation(counts) / average
            let time = peak.formatted(
                Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false))
            insights.append(
                Insight(
                    title: variation > 1 ? "Arrivals come in bursts" : "Arrivals are steady",
                    detail: "The busiest minute (\(time)) had \(analytics.peakMinuteJoins) joins, "
                        + "\(String(format: "%.1f", Double(analytics.peakMinuteJoins) / max(average, 1)))× the "
                        + "average of \(String(format: "%.1f", average)) per active minute "
                        + "(coefficient of variation \(String(format: "%.2f", variation)))."))
        }

        let quarter = facts.inactiveByJoinOrder.count / 4
        if quarter >= 5 {
            let early = share(facts.inactiveByJoinOrder.prefix(quarter))
            let late = share(facts.inactiveByJoinOrder.suffix(quarter))
            let title =
                early > late + 0.05
                ? "Early joiners drift away" : late > early + 0.05 ? "Newcomers are less engaged" : "Engagement holds"
            insights.append(
                Insight(
                    title: title,
                    detail: "\(percent(early)) of the first quarter to join are idle or away, "
                        + "against \(percent(late)) of the last quarter."))
        }

        if analytics.joinsRecorded > 0 {
            insights.append(
                Insight(
                    title: analytics.churnRate > 0.2 ? "High churn" : "Low churn",
                    detail: "\(analytics.leavesRecorded) of \(analytics.joinsRecorded) recorded joins ended in a "
                        + "leave (\(percent(analytics.churnRate)))."))
        }

        if analytics.joinsPerMinute.count >= 3 {
            let slope = analytics.joinTrendPerMinute
            let direction = slope > 0.01 ? "accelerating" : slope < -0.01 ? "slowing down" : "flat"
            insights.append(
                Insight(
                    title: "Joining is \(direction)",
                    detail: "The join rate changes by \(String(format: "%+.3f", slope)) joins per minute, "
                        + "every minute (least-squares trend over \(analytics.joinsPerMinute.count) active minutes)."))
        }

        insights.append(
            Insight(
                title: "\(analytics.distinctNames) distinct names",
                detail: "\(facts.sharedNames) names are shared by \(facts.participantsWithSharedNames) participants; "
                    + "names are \(String(format: "%.1f", analytics.averageNameLength)) characters on average "
                    + "(median \(String(format: "%.1f", analytics.medianNameLength)), "
                    + "σ \(String(format: "%.1f", analytics.nameLengthStandardDeviation)))."))
        return insights
    }

    private static func share(_ flags: some Collection<Bool>) -> Double {
        flags.isEmpty ? 0 : Double(flags.count { $0 }) / Double(flags.count)
    }

    private static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}
