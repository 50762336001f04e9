import Foundation
import LiveSessionsAPI
import RemoteFunctions
import Testing

@Suite("LiveSessions wire shapes")
struct LiveSessionsAPITests {
    private let date = Date(timeIntervalSince1970: 1_764_864_000.25)
    private var entity: Entity {
        Entity(id: 42, sessionCode: "ABCDEF", title: "T", notes: "n", status: .doing, version: 3, updatedAt: date)
    }

    private func json(_ value: some Encodable) throws -> String {
        String(decoding: try RemoteJSON.encode(value), as: UTF8.self)
    }

    @Test("an update result is {conflict, version, entity} or {conflict, current} and decodes back")
    func updateResultShape() throws {
        let applied = EntityUpdateResult.applied(entity)
        let conflict = EntityUpdateResult.conflict(current: entity)
        let appliedJSON = try json(applied)
        #expect(appliedJSON.hasPrefix(#"{"conflict":false,"entity":{"id":42"#))
        #expect(appliedJSON.hasSuffix(#""version":3}"#))
        #expect(try json(conflict).hasPrefix(#"{"conflict":true,"current":{"id":42"#))
        #expect(try RemoteJSON.decode(EntityUpdateResult.self, from: RemoteJSON.encode(applied)) == applied)
        #expect(try RemoteJSON.decode(EntityUpdateResult.self, from: RemoteJSON.encode(conflict)) == conflict)
    }

    @Test("a progressive chunk is {type, data} and decodes back")
    func progressiveChunkShape() throws {
        let chunk = ProgressiveChunk.insights([Insight(title: "A", detail: "B")])
        #expect(try json(chunk) == #"{"data":[{"detail":"B","title":"A"}],"type":"insights"}"#)
        let session = ProgressiveChunk.session(Session(code: "ABCDEF", name: "S", createdAt: date))
        #expect(try RemoteJSON.decode(ProgressiveChunk.self, from: RemoteJSON.encode(session)) == session)
        #expect(throws: RemoteError.self) {
            try RemoteJSON.decode(ProgressiveChunk.self, from: Data(#"{"type":"other","data":1}"#.utf8))
        }
    }

    @Test("the last page encodes an explicit null cursor")
    func pageShape() throws {
        #expect(
            try json(ParticipantsPage(items: [], nextCursor: nil, hasMore: false))
                == #"{"hasMore":false,"items":[],"nextCursor":null}"#)
    }

    @Test("argument keys follow the agreed camelCase names")
    func argumentKeys() throws {
        #expect(
            try json(UpdateEntityArguments(entityID: 1, changes: EntityChanges(notes: "x"), baseVersion: 2))
                == #"{"baseVersion":2,"changes":{"notes":"x"},"entityId":1}"#)
        #expect(
            try json(SetParticipantStatusArguments(sessionCode: "C", participantID: 7, status: .away))
                == #"{"participantId":7,"sessionCode":"C","status":"away"}"#)
        #expect(try json(EntityWatchEvent(entity: entity)).hasSuffix(#""type":"update","version":3}"#))
        let page = try RemoteJSON.decode(
            ParticipantsPageArguments.self, from: Data(#"{"sessionCode":"C","pageSize":5}"#.utf8))
        #expect(page == ParticipantsPageArguments(sessionCode: "C", cursor: nil, pageSize: 5))
    }
}
