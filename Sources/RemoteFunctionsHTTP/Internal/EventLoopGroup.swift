import Foundation
import Synchronization

/// A fixed set of ``EventLoop``s, handed out round-robin.
final class EventLoopGroup: Sendable {
    /// The loops, each with its own thread.
    let loops: [EventLoop]
    private let cursor = Atomic<Int>(0)

    /// Starts `count` loops (at least one) on `kind` queues.
    init(count: Int, kind: EventQueueKind, sweepInterval: Duration, name: String) throws(SystemError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, count) {
            do {
                loops.append(try EventLoop(kind: kind, sweepInterval: sweepInterval, name: "\(name)-\(index)"))
            } catch {
                let started = loops
                Task { for loop in started { await loop.shutdown() } }
                throw error
            }
        }
        self.loops = loops
    }

    /// The next loop in round-robin order.
    func next() -> EventLoop {
        let index = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[index % loops.count]
    }

    /// Stops every loop and returns once their threads have exited.
    func shutdown() async {
        for loop in loops { await loop.shutdown() }
    }

    /// The number of processors, the default loop count.
    static var processorCount: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
