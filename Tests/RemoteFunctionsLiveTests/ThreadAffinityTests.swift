import Testing

@testable import RemoteFunctionsLive

@Suite("ThreadAffinity")
struct ThreadAffinityTests {
    @Test("a fan-out worker is bound to one allowed processor, and restoring gives back the set it had")
    func bindAndRestore() throws {
        #if os(Linux)
            let before = try #require(ThreadAffinity.allowedProcessors())
            guard before.count > 1 else {
                #expect(ThreadAffinity.bind(toProcessor: 0) == nil)
                return
            }
            for worker in 0...before.count {
                let affinity = try #require(ThreadAffinity.bind(toProcessor: worker))
                #expect(ThreadAffinity.allowedProcessors() == [before[worker % before.count]])
                affinity.restore()
                #expect(ThreadAffinity.allowedProcessors() == before)
            }
        #else
            #expect(ThreadAffinity.bind(toProcessor: 0) == nil)
        #endif
    }
}
