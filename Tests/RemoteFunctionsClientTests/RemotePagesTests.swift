import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import Testing

struct PageArguments: Codable, Sendable {
    var sessionCode: String
    var cursor: String?
    var pageSize: Int
}

struct ParticipantPage: Codable, Sendable, CursorPage {
    var items: [String]
    var nextCursor: String?
    var hasMore: Bool
}

let participantsPage = RemoteQuery<PageArguments, ParticipantPage>("participants.page")

@Suite struct RemotePagesTests {
    static func transport() -> ScriptedTransport {
        ScriptedTransport([
            .json(#"{"items":["a","b"],"nextCursor":"b","hasMore":true}"#),
            .json(#"{"items":["c","d"],"nextCursor":"d","hasMore":true}"#),
            .json(#"{"items":["e"],"nextCursor":null,"hasMore":false}"#),
        ])
    }

    @Test("each page is requested only when the consumer asks for it")
    func pullBased() async throws {
        let transport = Self.transport()
        let pages = RemoteClient.scripted(transport).pages(
            participantsPage, PageArguments(sessionCode: "AB12", pageSize: 2), cursor: \.cursor)
        #expect(transport.requests.isEmpty)
        var iterator = pages.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.items == ["a", "b"])
        #expect(transport.requests.count == 1)
        let second = try await iterator.next()
        #expect(second?.items == ["c", "d"])
        #expect(transport.requests.count == 2)
        let body = try #require(transport.requests[1].body)
        let sent = try JSONDecoder().decode(PageArguments.self, from: body)
        #expect(sent.cursor == "b")
        #expect(sent.sessionCode == "AB12")
    }

    @Test("the sequence ends after the last page without another request")
    func endsAtLastPage() async throws {
        let transport = Self.transport()
        let pages = RemoteClient.scripted(transport).pages(
            participantsPage, PageArguments(sessionCode: "AB12", pageSize: 2), cursor: \.cursor)
        var items: [String] = []
        for try await page in pages { items += page.items }
        #expect(items == ["a", "b", "c", "d", "e"])
        #expect(transport.requests.count == 3)
    }

    @Test("breaking after one page costs one request")
    func breakStopsRequests() async throws {
        let transport = Self.transport()
        let pages = RemoteClient.scripted(transport).pages(
            participantsPage, PageArguments(sessionCode: "AB12", pageSize: 2)
        ) { page, arguments in
            page.hasMore ? PageArguments(sessionCode: arguments.sessionCode, cursor: page.nextCursor, pageSize: 2) : nil
        }
        for try await _ in pages { break }
        #expect(transport.requests.count == 1)
    }
}
