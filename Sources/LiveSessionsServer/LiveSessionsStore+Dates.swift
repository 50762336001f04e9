import Foundation

extension LiveSessionsStore {
    /// A date rounded to the millisecond, as the database stores it, so that values returned by
    /// a write equal the values later read back.
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
