import Foundation
import LiveSessionsAPI
import RemoteFunctionsSQLite

/// Column lists and row readers shared by the store's queries.
enum LiveSessionsRows {
    static let sessionColumns = "code, name, created_at"
    static let participantColumns = "id, name, status, joined_at"
    static let entityColumns = "id, session_code, title, notes, status, version, updated_at"

    static func session(_ row: SQLiteRow) -> Session {
        Session(code: row.string(0), name: row.string(1), createdAt: row.date(2))
    }

    static func participant(_ row: SQLiteRow) -> Participant {
        Participant(
            id: row.int(0), name: row.string(1), status: ParticipantStatus(rawValue: row.string(2)) ?? .active,
            joinedAt: row.date(3))
    }

    static func entity(_ row: SQLiteRow) -> Entity {
        Entity(
            id: row.int(0), sessionCode: row.string(1), title: row.string(2), notes: row.string(3),
            status: EntityStatus(rawValue: row.string(4)) ?? .todo, version: row.int(5), updatedAt: row.date(6))
    }
}
