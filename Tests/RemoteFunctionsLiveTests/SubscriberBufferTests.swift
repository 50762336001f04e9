import RemoteFunctions
import RemoteFunctionsLive
import Synchronization
import Testing

@Suite("SubscriberBuffer")
struct SubscriberBufferTests {
    final class Terminations: Sendable {
        let count = Atomic<Int>(0)
        func record() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    @Test(".latest keeps only the newest unread value")
    func latest() async throws {
        let buffer = SubscriberBuffer<Int>(policy: .latest)
        #expect(buffer.push(1) == .buffered)
        #expect(buffer.push(2) == .replaced)
        #expect(buffer.push(3) == .replaced)
        #expect(buffer.count == 1)
        #expect(try await buffer.next() == 3)
        #expect(try buffer.poll().isEmpty)
    }

    @Test(".bounded(n) keeps n values in order, then ends with the retryable error and drops them")
    func bounded() async throws {
        let terminations = Terminations()
        let buffer = SubscriberBuffer<Int>(policy: .bounded(3)) { terminations.record() }
        for value in 1...3 { #expect(buffer.push(value) == .buffered) }
        #expect(buffer.push(4) == .overflowed)
        #expect(buffer.count == 0)
        #expect(!buffer.isOpen)
        #expect(terminations.value == 1)
        #expect(buffer.push(5) == .dropped)
        await #expect(throws: RemoteError.fellBehind) { _ = try await buffer.next() }
        #expect(try await buffer.next() == nil)
        #expect(terminations.value == 1)
    }

    @Test("values are read in push order, and finish delivers what is buffered before the error")
    func finishAfterBufferedValues() async throws {
        let buffer = SubscriberBuffer<Int>(policy: .bounded(10))
        for value in 1...5 { buffer.push(value) }
        buffer.finish(throwing: RemoteError(.notFound, "gone"))
        var received: [Int] = []
        await #expect(throws: RemoteError(.notFound, "gone")) {
            while let value = try await buffer.next() { received.append(value) }
        }
        #expect(received == [1, 2, 3, 4, 5])
    }

    @Test("a waiting reader is handed the pushed value directly")
    func waitingReader() async throws {
        let buffer = SubscriberBuffer<Int>(policy: .bounded(4))
        let (started, signal) = AsyncStream<Void>.makeStream()
        let reader = Task {
            signal.yield()
            return try await buffer.next()
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        // The reader may not be parked yet; either way the value reaches it.
        let result = buffer.push(42)
        #expect(result == .delivered || result == .buffered)
        #expect(try await reader.value == 42)
    }

    @Test("cancelling a waiting reader ends it at once and runs the termination callback once")
    func cancellation() async throws {
        let terminations = Terminations()
        let buffer = SubscriberBuffer<Int>(policy: .latest) { terminations.record() }
        let reader = Task { try await buffer.next() }
        reader.cancel()
        #expect(try await withTimeout("the cancelled reader") { try await reader.value } == nil)
        #expect(terminations.value == 1)
        #expect(buffer.push(1) == .dropped)
        buffer.cancel()
        buffer.finish()
        #expect(terminations.value == 1)
    }

    @Test("many values pushed from another thread arrive in order without loss")
    func concurrentProducer() async throws {
        let buffer = SubscriberBuffer<Int>(policy: .bounded(100_000))
        let producer = Task.detached {
            for value in 0..<10_000 { buffer.push(value) }
            buffer.finish()
        }
        var received: [Int] = []
        while let value = try await buffer.next() { received.append(value) }
        await producer.value
        #expect(received == Array(0..<10_000))
    }
}

@Suite("SubscriberBuffer polled in turn")
struct SubscriberBufferPollingTests {
    @Test("onReadable tells a polling consumer which buffers have something, including their end")
    func readiness() throws {
        let ready = Mutex<[Int]>([])
        let buffers = (0..<3).map { index in
            SubscriberBuffer<Int>(policy: .bounded(2), onReadable: { ready.withLock { $0.append(index) } })
        }
        buffers[1].push(10)
        buffers[1].push(11)  // already readable: no second call
        buffers[2].push(20)
        #expect(ready.withLock { $0 } == [1, 2])
        guard case .element(10) = try buffers[1].poll(), case .element(11) = try buffers[1].poll() else {
            Issue.record("expected 10 then 11")
            return
        }
        #expect(try buffers[1].poll().isEmpty)
        #expect(try buffers[0].poll().isEmpty)

        buffers[0].finish()
        buffers[1].push(12)
        buffers[1].push(13)
        buffers[1].push(14)  // overflows: the error is readable, but the buffer already was
        #expect(ready.withLock { $0 } == [1, 2, 0, 1])
        guard case .finished = try buffers[0].poll() else {
            Issue.record("expected the end")
            return
        }
        #expect(throws: RemoteError.fellBehind) { _ = try buffers[1].poll() }
    }
}

extension SubscriberBuffer.PollResult {
    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }
}
