import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `date: …\r\n` header line, formatted at most once a second (RFC 9110 IMF-fixdate).
enum DateHeaderCache {
    private static let cache = Mutex<(second: Int, line: [UInt8])>((-1, []))
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current header line, including its CRLF.
    static var line: [UInt8] {
        let now = time(nil)
        return cache.withLock { cache in
            if cache.second != now {
                cache = (now, format(now))
            }
            return cache.line
        }
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for `seconds` since the epoch.
    static func httpDate(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    private static func format(_ seconds: Int) -> [UInt8] {
        Array("date: \(httpDate(seconds))\r\n".utf8)
    }
}
