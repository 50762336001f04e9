import RemoteFunctions
import RemoteFunctionsClient
import Synchronization
import Testing

/// Counts calls to a body's cancel closure and signals each one.
final class CancelProbe: Sendable {
    private let count = Mutex(0)
    private let continuation: AsyncStream<Void>.Continuation
    let signals: AsyncStream<Void>

    init() { (signals, continuation) = AsyncStream.makeStream() }

    var calls: Int { count.withLock { $0 } }

    func callAsFunction() {
        count.withLock { $0 += 1 }
        continuation.yield()
    }

    /// Waits for the first cancellation.
    func waitForCancel() async {
        var iterator = signals.makeAsyncIterator()
        _ = await iterator.next()
    }
}

@Suite struct ClientResponseBodyTests {
    @Test("chunks arrive in order and the body ends")
    func deliversChunks() async throws {
        let body = ClientResponseBody(chunks: [[1, 2], [3], []])
        var received: [[UInt8]] = []
        for try await chunk in body { received.append(chunk) }
        #expect(received == [[1, 2], [3], []])
    }

    @Test("breaking out of the loop calls cancel exactly once")
    func breakCancels() async throws {
        let probe = CancelProbe()
        let (body, source) = ClientResponseBody.makeStream(onCancel: { probe() })
        source.yield([1])
        for try await _ in body { break }
        #expect(probe.calls == 1)
        #expect(source.isCancelled)
        #expect(source.yield([2]) == false)
    }

    @Test("a body released without being read cancels its request")
    func droppedBodyCancels() async throws {
        let probe = CancelProbe()
        var source: ClientResponseBody.Source?
        do {
            let (body, bodySource) = ClientResponseBody.makeStream(onCancel: { probe() })
            source = bodySource
            _ = body
        }
        #expect(probe.calls == 1)
        #expect(source?.isCancelled == true)
    }

    @Test("breaking out of the loop cancels even while a copy of the body is kept")
    func breakCancelsWhileBodyIsKept() async throws {
        let probe = CancelProbe()
        let (body, source) = ClientResponseBody.makeStream(onCancel: { probe() })
        source.yield([1])
        let response = ClientResponse(status: 200, headers: [], body: body)
        for try await _ in response.body { break }
        #expect(probe.calls == 1)
        _ = response
    }

    @Test("a body that ended normally is not cancelled when its iterator is released")
    func endedBodyIsNotCancelled() async throws {
        let probe = CancelProbe()
        let (body, source) = ClientResponseBody.makeStream(onCancel: { probe() })
        source.yield([1])
        source.finish()
        for try await _ in body {}
        #expect(probe.calls == 0)
    }

    @Test("cancelling the iterating task cancels the body and throws CancellationError")
    func taskCancellationCancels() async throws {
        let probe = CancelProbe()
        let (body, source) = ClientResponseBody.makeStream(onCancel: { probe() })
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        source.yield([1])
        let task = Task {
            var iterator = body.makeAsyncIterator()
            _ = try await iterator.next()
            startedContinuation.yield()
            _ = try await iterator.next()
        }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        await probe.waitForCancel()
        #expect(probe.calls == 1)
    }

    @Test("a transport error ends the iteration with that error")
    func failurePropagates() async throws {
        struct Broken: Error {}
        let (body, source) = ClientResponseBody.makeStream()
        source.yield([9])
        source.finish(throwing: Broken())
        var received: [[UInt8]] = []
        await #expect(throws: Broken.self) {
            for try await chunk in body { received.append(chunk) }
        }
        #expect(received == [[9]])
    }

    @Test("collect(upTo:) joins the chunks and refuses a longer body")
    func collectHonoursLimit() async throws {
        #expect(try await ClientResponseBody(chunks: [[1, 2], [3]]).collect(upTo: 3) == [1, 2, 3])
        let probe = CancelProbe()
        let (body, source) = ClientResponseBody.makeStream(onCancel: { probe() })
        source.yield([1, 2, 3])
        let error = await #expect(throws: ClientResponseBody.TooLarge.self) { try await body.collect(upTo: 2) }
        #expect(error?.limit == 2)
        #expect(probe.calls == 1)
    }

    @Test("write suspends above the high-water mark until the consumer reads")
    func writeAppliesBackpressure() async throws {
        let (body, source) = ClientResponseBody.makeStream(highWaterMark: 4)
        let written = Mutex(0)
        let writer = Task {
            for index in 0..<10 {
                try await source.write([UInt8](repeating: UInt8(index), count: 4))
                written.withLock { $0 += 1 }
            }
            source.finish()
        }
        var total = 0
        for try await chunk in body {
            // The writer can be at most one write (the one that is blocked) ahead of the reader,
            // plus the one that fits under the mark.
            #expect(written.withLock { $0 } <= total / 4 + 2)
            total += chunk.count
        }
        try await writer.value
        #expect(total == 40)
    }

    @Test("a body made from an AsyncThrowingStream delivers it, and leaving early terminates it")
    func wrapsAsyncThrowingStream() async throws {
        let probe = CancelProbe()
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let (terminated, terminatedContinuation) = AsyncStream<Void>.makeStream()
        continuation.onTermination = { _ in terminatedContinuation.yield() }
        let body = ClientResponseBody(chunks: stream, cancel: { probe() })
        continuation.yield([1])
        continuation.yield([2])
        var received: [[UInt8]] = []
        for try await chunk in body {
            received.append(chunk)
            if received.count == 2 { break }
        }
        #expect(received == [[1], [2]])
        #expect(probe.calls == 1)
        var iterator = terminated.makeAsyncIterator()
        _ = await iterator.next()
    }

    @Test("a body made from an unfolding stream pulls at most one chunk ahead of its reader")
    func wrappedStreamKeepsBackpressure() async throws {
        let pulls = Mutex(0)
        let stream = AsyncThrowingStream<[UInt8], any Error> {
            let count = pulls.withLock { count -> Int in
                count += 1
                return count
            }
            return count <= 100 ? [UInt8(count)] : nil
        }
        let body = ClientResponseBody(chunks: stream, cancel: {})
        var iterator = body.makeAsyncIterator()
        for expected in 1...5 {
            let chunk = try await iterator.next()
            #expect(chunk == [UInt8(expected)])
            #expect(pulls.withLock { $0 } <= expected + 2)
        }
    }

    @Test("a writer waiting on a slow consumer fails once the consumer leaves")
    func writerFailsWhenConsumerLeaves() async throws {
        let (body, source) = ClientResponseBody.makeStream(highWaterMark: 1)
        let writer = Task { try await source.write([1, 2, 3]) }
        body.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }
    }
}
