/// The few statistics analytics need, over plain arrays.
enum DescriptiveStatistics {
    /// The median of `values` (the mean of the two middle values for an even count); 0 when empty.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The arithmetic mean; 0 when empty.
    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The population standard deviation; 0 when empty.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let average = mean(values)
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count)
        return variance.squareRoot()
    }

    /// The least-squares slope of `y` over `x`; 0 with fewer than two distinct `x`.
    static func slope(x: [Double], y: [Double]) -> Double {
        guard x.count == y.count, x.count >= 2 else { return 0 }
        let meanX = mean(x)
        let meanY = mean(y)
        var covariance = 0.0
        var varianceX = 0.0
        for (xi, yi) in zip(x, y) {
            covariance += (xi - meanX) * (yi - meanY)
            varianceX += (xi - meanX) * (xi - meanX)
        }
        return varianceX == 0 ? 0 : covariance / varianceX
    }
}
