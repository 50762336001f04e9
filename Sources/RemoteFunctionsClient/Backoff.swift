/// Exponential backoff with jitter, used between query retries and stream reconnects.
///
/// The delay before attempt `n` (1 for the first retry) is
/// `initialDelay · multiplierⁿ⁻¹ · (1 ± jitter)`, never more than ``maximumDelay``. With the
/// defaults: 250 ms, 500 ms, 1 s, … up to 10 s, each ±20 %.
public struct Backoff: Sendable, Hashable {
    /// The delay before the first retry, before jitter.
    public var initialDelay: Duration
    /// The growth factor between consecutive attempts.
    public var multiplier: Double
    /// The upper bound of every delay, jitter included.
    public var maximumDelay: Duration
    /// The relative spread, in `0...1`: `0.2` draws each delay within ±20 % of its nominal value.
    public var jitter: Double

    /// Creates a backoff.
    public init(
        initialDelay: Duration = .milliseconds(250),
        multiplier: Double = 2,
        maximumDelay: Duration = .seconds(10),
        jitter: Double = 0.2
    ) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.jitter = jitter
    }

    /// The delay before `attempt` (1 for the first retry).
    ///
    /// - Parameters:
    ///   - attempt: the number of consecutive failures so far, at least 1.
    ///   - initialDelay: replaces ``initialDelay`` (a stream's server sends one in `retry:`).
    ///   - randomUnit: a number in `0...1` that places the delay within the jitter range; `0.5`
    ///     gives the nominal delay.
    public func delay(attempt: Int, initialDelay: Duration? = nil, randomUnit: Double) -> Duration {
        let base = (initialDelay ?? self.initialDelay).seconds
        let maximum = maximumDelay.seconds
        let exponent = Double(max(0, attempt - 1))
        let nominal = min(base * pow2(multiplier, exponent), maximum)
        let spread = min(max(jitter, 0), 1)
        let unit = min(max(randomUnit, 0), 1)
        let jittered = nominal * (1 + spread * (2 * unit - 1))
        return .seconds(min(max(jittered, 0), maximum))
    }

    /// `base` raised to `exponent`, without Foundation; stops growing once past any useful delay.
    private func pow2(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = exponent
        while remaining >= 1 && result < 1e12 {
            result *= base
            remaining -= 1
        }
        return result
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
