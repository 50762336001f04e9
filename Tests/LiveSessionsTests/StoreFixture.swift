import Foundation
import LiveSessionsServer
import Synchronization

/// A store on a fresh temporary directory, with a controllable clock and a record of every
/// `onCommit` call.
final class StoreFixture: Sendable {
    /// The clock and the commit log, shared with the store's closures.
    final class State: Sendable {
        let now: Mutex<Date>
        let commits = Mutex<[[String]]>([])
        /// Every commit's topics, as they happen.
        let commitStream: AsyncStream<[String]>
        let commitContinuation: AsyncStream<[String]>.Continuation

        init(now: Date) {
            self.now = Mutex(now)
            (commitStream, commitContinuation) = AsyncStream.makeStream()
        }
    }

    let directory: TemporaryDirectory
    let store: LiveSessionsStore
    let state: State

    init(start: Date = Date(timeIntervalSince1970: 1_764_864_000)) async throws {
        let directory = try TemporaryDirectory()
        let state = State(now: start)
        self.directory = directory
        self.state = state
        self.store = try await LiveSessionsStore.open(
            dataDirectory: directory.path,
            onCommit: { topics in
                state.commits.withLock { $0.append(topics) }
                state.commitContinuation.yield(topics)
            },
            clock: { state.now.withLock { $0 } })
    }

    /// The topics of every committed write so far, in commit order.
    var committedTopics: [[String]] { state.commits.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) {
        state.now.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The clock's current reading.
    var currentDate: Date { state.now.withLock { $0 } }

    func tearDown() async {
        await store.close()
        directory.remove()
    }

    /// Runs `body` with a fresh fixture and tears it down afterwards.
    static func with(_ body: (StoreFixture) async throws -> Void) async throws {
        let fixture = try await StoreFixture()
        do {
            try await body(fixture)
        } catch {
            await fixture.tearDown()
            throw error
        }
        await fixture.tearDown()
    }
}
