import RemoteFunctionsLive
import Testing

/// A broadcast reuses its list of subscribers between publishes; joining and leaving must still
/// show in the very next publish.
@Suite("Broadcast membership")
struct BroadcastMembershipTests {
    @Test("a subscriber that joins or leaves between two publishes is counted in the next one")
    func joinAndLeave() async throws {
        let broadcast = Broadcast<Int>(overflow: .bounded(8))
        let first = broadcast.subscribe()
        let second = broadcast.subscribe()
        #expect(try broadcast.publish(1) == 2)
        #expect(try broadcast.publish(2) == 2)

        second.cancel()
        #expect(try broadcast.publish(3) == 1)

        let third = broadcast.subscribe()
        #expect(try broadcast.publish(4) == 2)
        #expect(broadcast.subscriberCount == 2)

        var firstValues = first.makeAsyncIterator()
        for expected in 1...4 { #expect(try await firstValues.next()?.element == expected) }
        var thirdValues = third.makeAsyncIterator()
        #expect(try await thirdValues.next()?.element == 4)
        var secondValues = second.makeAsyncIterator()
        #expect(try await secondValues.next() == nil)
    }
}
