import Foundation
import LiveSessionsAPI
import RemoteFunctionsPostgres

/// Column lists and row readers shared by the store's queries.
enum PostgresLiveSessionsRows {
    static let sessionColumns = "code, name, created_at"
    static let participantColumns = "id, name, status, joined_at"
    static let entityColumns = "id, session_code, title, notes, status, version, updated_at"

    static func session(_ row: PostgresRow) throws -> Session {
        Session(code: try row.string(0), name: try row.string(1), createdAt: date(try row.int64(2)))
    }

    static func participant(_ row: PostgresRow) throws -> Participant {
        Participant(
            id: try row.int(0), name: try row.string(1),
            status: ParticipantStatus(rawValue: try row.string(2)) ?? .active, joinedAt: date(try row.int64(3)))
    }

    static func entity(_ row: PostgresRow) throws -> Entity {
        Entity(
            id: try row.int(0), sessionCode: try row.string(1), title: try row.string(2), notes: try row.string(3),
            status: EntityStatus(rawValue: try row.string(4)) ?? .todo, version: try row.int(5),
            updatedAt: date(try row.int64(6)))
    }

    /// Milliseconds since 1970, as stored.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
