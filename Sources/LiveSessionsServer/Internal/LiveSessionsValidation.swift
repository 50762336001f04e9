import Foundation
import RemoteFunctions

/// Checks and normalises user input; every failure is a `RemoteError` safe to show a user.
enum LiveSessionsValidation {
    static let maximumSessionNameLength = 100
    static let maximumParticipantNameLength = 80
    static let maximumTitleLength = 200
    static let maximumNotesLength = 10_000
    static let pageSizes = 1...200

    /// A trimmed single-line text of 1…`maximumLength` characters.
    static func name(_ value: String, field: String, maximumLength: Int) throws(RemoteError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw RemoteError(.invalidArgument, "\(field) must not be empty")
        }
        guard trimmed.count <= maximumLength else {
            throw RemoteError(.invalidArgument, "\(field) must be at most \(maximumLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RemoteError(.invalidArgument, "\(field) must be a single line of text")
        }
        return trimmed
    }

    static func notes(_ value: String) throws(RemoteError) -> String {
        guard value.count <= maximumNotesLength else {
            throw RemoteError(.invalidArgument, "notes must be at most \(maximumNotesLength) characters")
        }
        return value
    }

    /// A session code in canonical (upper-case, trimmed) form. The caller still checks that
    /// the session exists.
    static func sessionCode(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).uppercased()
    }

    static func pageSize(_ value: Int) throws(RemoteError) -> Int {
        guard pageSizes.contains(value) else {
            throw RemoteError(
                .invalidArgument, "pageSize must be between \(pageSizes.lowerBound) and \(pageSizes.upperBound)")
        }
        return value
    }
}
