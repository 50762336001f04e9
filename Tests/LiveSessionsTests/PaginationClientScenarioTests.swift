import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import RemoteFunctions
import Testing

/// Pattern 4 through the Swift client: `RemotePages` over `participants.page`.
@Suite("Client scenario: cursor pagination", .timeLimit(.minutes(2)))
struct PaginationClientScenarioTests {
    @Test("the next page is requested only when the consumer asks, and the pages stop at the end")
    func pagesOnDemand() async throws {
        try await ClientScenarioFixture.with { fixture in
            let client = fixture.client()
            let session = try await client.createSession(name: "Paging scenario")
            var joined: [Participant] = []
            for index in 0..<25 {
                joined.append(try await client.join(sessionCode: session.code, name: "Participant \(index)"))
            }
            let pageID = LiveSessionsFunctions.participantsPage.id.rawValue

            let pages = client.pages(sessionCode: session.code, pageSize: 10)
            #expect(fixture.calls.started(pageID) == 0)
            var iterator = pages.makeAsyncIterator()
            #expect(fixture.calls.started(pageID) == 0, "making the iterator sends nothing")

            let first = try #require(try await iterator.next())
            #expect(first.items.map(\.id) == joined[0..<10].map(\.id))
            #expect(first.hasMore)
            #expect(fixture.calls.started(pageID) == 1, "no request ahead of the consumer")

            // A participant joining while paging appears after the existing ones.
            let late = try await client.join(sessionCode: session.code, name: "Late joiner")
            #expect(fixture.calls.started(pageID) == 1)

            let second = try #require(try await iterator.next())
            #expect(second.items.map(\.id) == joined[10..<20].map(\.id))
            #expect(fixture.calls.started(pageID) == 2)

            let third = try #require(try await iterator.next())
            #expect(third.items.map(\.id) == joined[20..<25].map(\.id) + [late.id])
            #expect(third.hasMore == false)
            #expect(third.nextCursor == nil)
            #expect(fixture.calls.started(pageID) == 3)

            #expect(try await iterator.next() == nil)
            #expect(try await iterator.next() == nil)
            #expect(fixture.calls.started(pageID) == 3, "nothing is requested after the last page")
        }
    }

    @Test("a consumer that stops after two pages causes exactly two requests")
    func stoppingEarly() async throws {
        try await ClientScenarioFixture.with { fixture in
            let client = fixture.client()
            let session = try await client.createSession(name: "Early stop")
            for index in 0..<12 {
                _ = try await client.join(sessionCode: session.code, name: "Participant \(index)")
            }
            var seen: [Int] = []
            var pagesRead = 0
            for try await page in client.pages(sessionCode: session.code, pageSize: 3) {
                seen += page.items.map(\.id)
                pagesRead += 1
                if pagesRead == 2 { break }
            }
            #expect(seen.count == 6)
            #expect(fixture.calls.started(LiveSessionsFunctions.participantsPage.id.rawValue) == 2)
        }
    }
}
