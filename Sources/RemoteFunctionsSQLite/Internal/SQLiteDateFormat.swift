import Foundation

/// The text form of dates stored as ISO 8601.
enum SQLiteDateFormat {
    static let iso8601 = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Parses ISO 8601 text with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
