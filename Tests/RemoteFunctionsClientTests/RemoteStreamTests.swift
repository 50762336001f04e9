import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import Synchronization
import Testing

struct Tick: Codable, Sendable, Equatable { var i: Int }
struct TickArguments: Codable, Sendable { var count: Int }

let ticks = RemoteStream<TickArguments, Tick>("bench.ticks")
let words = RemoteStream<Empty, String>("words")

/// Splits `bytes` into chunks of `size` bytes (the last may be shorter).
func split(_ bytes: [UInt8], every size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

/// Reads every value of a stream, or the error that ended it.
func readAll<Element>(_ sequence: RemoteStreamSequence<Element>) async -> (values: [Element], error: RemoteError?) {
    var values: [Element] = []
    do {
        for try await value in sequence { values.append(value) }
        return (values, nil)
    } catch {
        return (values, error)
    }
}

extension ClientRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

@Suite struct RemoteStreamTests {
    @Test("values and the end event are parsed across any chunk split", arguments: [1, 2, 3, 5, 7, 11, 1000])
    func parsesAcrossSplits(chunkSize: Int) async throws {
        let wire =
            Array("retry: 250\n\n".utf8) + sse("next", "\"héllo ✓\"", id: "1") + ServerSentEvent.comment("hb")
            + sse("next", "\"a\\nb\"", id: "2") + Array("event: next\r\ndata: \"crlf\"\r\n\r\n".utf8)
            + sse("end", "null")
        let transport = ScriptedTransport([.events(split(wire, every: chunkSize), ending: .hang)])
        let stream = RemoteClient.scripted(transport).stream(words)
        let (values, error) = await readAll(stream)
        #expect(error == nil)
        #expect(values == ["héllo ✓", "a\nb", "crlf"])
        #expect(stream.state == .closed)
        #expect(stream.lastEventID == "2")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.path == "/api/_remote/words")
        #expect(request.header("Accept") == "text/event-stream")
        #expect(request.header("Last-Event-ID") == nil)
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == "null")
    }

    @Test("after a dropped connection the stream resumes with Last-Event-ID and delivers each value once")
    func resumesAfterDrop() async throws {
        let transport = ScriptedTransport([
            .events([sse("next", #"{"i":1}"#, id: "1") + sse("next", #"{"i":2}"#, id: "2")], ending: .drop),
            .events([sse("next", #"{"i":3}"#, id: "3"), sse("end", "null")], ending: .finish),
        ])
        let sleeper = SleepRecorder()
        let (values, error) = await readAll(
            RemoteClient.scripted(transport, sleeper: sleeper).stream(ticks, TickArguments(count: 3)))
        #expect(error == nil)
        #expect(values == [Tick(i: 1), Tick(i: 2), Tick(i: 3)])
        #expect(transport.requests.count == 2)
        #expect(transport.requests[0].header("Last-Event-ID") == nil)
        #expect(transport.requests[1].header("Last-Event-ID") == "2")
        #expect(transport.requests[1].body.map { String(decoding: $0, as: UTF8.self) } == #"{"count":3}"#)
        #expect(sleeper.recorded == [.milliseconds(250)])
    }

    @Test("a stream started with a cursor sends it on the first request")
    func startsFromCursor() async throws {
        let transport = ScriptedTransport([.events([sse("end", "null")], ending: .finish)])
        _ = await readAll(RemoteClient.scripted(transport).stream(words, lastEventID: "41"))
        #expect(transport.requests.first?.header("Last-Event-ID") == "41")
    }

    @Test("a retryable error event reconnects from the cursor")
    func retryableErrorEventReconnects() async throws {
        let transport = ScriptedTransport([
            .events(
                [sse("next", #"{"i":1}"#, id: "1"), sse("error", #"{"code":"unavailable","message":"overflow"}"#)],
                ending: .finish),
            .events([sse("next", #"{"i":2}"#, id: "2") + sse("end", "null")], ending: .finish),
        ])
        let (values, error) = await readAll(RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 2)))
        #expect(error == nil)
        #expect(values == [Tick(i: 1), Tick(i: 2)])
        #expect(transport.requests.count == 2)
        #expect(transport.requests[1].header("Last-Event-ID") == "1")
    }

    @Test("a non-retryable error event ends the loop with the typed error")
    func nonRetryableErrorEventEnds() async throws {
        let transport = ScriptedTransport([
            .events(
                [
                    sse("next", #"{"i":1}"#, id: "1")
                        + sse("error", #"{"code":"permission_denied","message":"left the session"}"#)
                ],
                ending: .hang),
            .events([sse("end", "null")], ending: .finish),
        ])
        let stream = RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 2))
        let (values, error) = await readAll(stream)
        #expect(values == [Tick(i: 1)])
        #expect(error == RemoteError(.permissionDenied, "left the session"))
        #expect(stream.state == .failed(RemoteError(.permissionDenied, "left the session")))
        #expect(transport.requests.count == 1)
    }

    @Test("a non-retryable HTTP error before the stream starts ends the loop without reconnecting")
    func earlyHTTPErrorEnds() async throws {
        let transport = ScriptedTransport([
            .json(
                #"{"error":{"code":"invalid_argument","message":"invalid argument at 'count': expected Int"}}"#,
                status: 400),
            .events([sse("end", "null")], ending: .finish),
        ])
        let (values, error) = await readAll(RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 2)))
        #expect(values.isEmpty)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "invalid argument at 'count': expected Int")
        #expect(transport.requests.count == 1)
    }

    @Test("a retryable HTTP error, or a proxy's 502 page, before the stream starts is retried")
    func earlyRetryableHTTPErrorReconnects() async throws {
        let proxyPage = ScriptedTransport.Step.reply(
            status: 502, headers: [(name: "Content-Type", value: "text/html")], chunks: [Array("<h1>502</h1>".utf8)],
            ending: .finish)
        let transport = ScriptedTransport([
            .json(#"{"error":{"code":"unavailable","message":"draining"}}"#, status: 503), proxyPage,
            .events([sse("next", #"{"i":1}"#) + sse("end", "null")], ending: .finish),
        ])
        let (values, error) = await readAll(RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 1)))
        #expect(error == nil)
        #expect(values == [Tick(i: 1)])
        #expect(transport.requests.count == 3)
    }

    @Test("reconnect delays grow 250 ms·2ⁿ up to 10 s, and restart after a connection delivers a value")
    func backoffGrowsCapsAndResets() async throws {
        var steps = [ScriptedTransport.Step](repeating: .fail, count: 8)
        steps.append(.events([sse("next", #"{"i":1}"#, id: "1")], ending: .drop))
        steps.append(.fail)
        steps.append(.events([sse("end", "null")], ending: .finish))
        let transport = ScriptedTransport(steps)
        let sleeper = SleepRecorder()
        let (values, error) = await readAll(
            RemoteClient.scripted(transport, sleeper: sleeper).stream(ticks, TickArguments(count: 1)))
        #expect(error == nil)
        #expect(values == [Tick(i: 1)])
        let milliseconds: [Int64] = [250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 250, 500]
        #expect(sleeper.recorded == milliseconds.map { .milliseconds($0) })
    }

    @Test("an opening frame restarts the backoff; a connection that delivers nothing does not")
    func openingFrameResetsBackoff() async throws {
        let transport = ScriptedTransport([
            .fail, .fail,
            .events([Array("retry: 250\n\n".utf8)], ending: .drop),
            .events([], ending: .drop),
            .events([sse("end", "null")], ending: .finish),
        ])
        let sleeper = SleepRecorder()
        let (_, error) = await readAll(
            RemoteClient.scripted(transport, sleeper: sleeper).stream(ticks, TickArguments(count: 1)))
        #expect(error == nil)
        let milliseconds: [Int64] = [250, 500, 250, 500]
        #expect(sleeper.recorded == milliseconds.map { .milliseconds($0) })
    }

    @Test("the server's retry: line sets the base delay")
    func serverRetrySetsBase() async throws {
        let transport = ScriptedTransport([
            .events([Array("retry: 1000\n\n".utf8) + sse("next", #"{"i":1}"#, id: "1")], ending: .drop),
            .events([sse("end", "null")], ending: .finish),
        ])
        let sleeper = SleepRecorder()
        _ = await readAll(RemoteClient.scripted(transport, sleeper: sleeper).stream(ticks, TickArguments(count: 1)))
        #expect(sleeper.recorded == [.milliseconds(1000)])
    }

    @Test("reconnects stop after the configured attempts with unavailable")
    func reconnectsAreBounded() async throws {
        let transport = ScriptedTransport([.fail, .fail, .fail, .fail])
        let client = RemoteClient.scripted(transport) { $0.streamReconnect.maximumAttempts = 3 }
        let stream = client.stream(ticks, TickArguments(count: 1))
        let (_, error) = await readAll(stream)
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("secret") == false)
        #expect(transport.requests.count == 3)
        #expect(stream.state.isFinal)
    }

    @Test("the states go connecting, open, reconnecting, connecting, open, closed")
    func reportsStates() async throws {
        let transport = ScriptedTransport([
            .events([sse("next", #"{"i":1}"#, id: "1")], ending: .drop),
            .events([sse("end", "null")], ending: .finish),
        ])
        let stream = RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 1))
        #expect(stream.state == .idle)
        let states = stream.states
        _ = await readAll(stream)
        var seen: [RemoteConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(
            seen == [
                .idle, .connecting, .open, .reconnecting(attempt: 1, after: .milliseconds(250)), .connecting, .open,
                .closed,
            ])
    }

    @Test("breaking out of the loop cancels the transport's body")
    func breakCancelsRequest() async throws {
        let transport = ScriptedTransport([.events([sse("next", #"{"i":1}"#, id: "1")], ending: .hang)])
        let stream = RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 100))
        for try await _ in stream { break }
        var cancellations = transport.cancellations.makeAsyncIterator()
        #expect(await cancellations.next() == 0)
        #expect(stream.state == .closed)
    }

    @Test("cancelling the task cancels the transport's body and ends the loop with cancelled")
    func taskCancellationCancelsRequest() async throws {
        let transport = ScriptedTransport([.events([sse("next", #"{"i":1}"#, id: "1")], ending: .hang)])
        let stream = RemoteClient.scripted(transport).stream(ticks, TickArguments(count: 100))
        let (firstValue, firstValueContinuation) = AsyncStream<Void>.makeStream()
        let task = Task {
            await readAll(
                stream.map { value in
                    firstValueContinuation.yield()
                    return value
                })
        }
        var iterator = firstValue.makeAsyncIterator()
        _ = await iterator.next()
        task.cancel()
        var cancellations = transport.cancellations.makeAsyncIterator()
        #expect(await cancellations.next() == 0)
        _ = await task.value
        #expect(stream.state == .closed)
        #expect(transport.requests.count == 1)
    }

    @Test("a stream that goes silent past the idle timeout reconnects from its cursor")
    func idleWatchdogReconnects() async throws {
        let transport = ScriptedTransport([
            .events([sse("next", #"{"i":1}"#, id: "1")], ending: .hang),
            .events([sse("next", #"{"i":2}"#, id: "2") + sse("end", "null")], ending: .finish),
        ])
        let client = RemoteClient.scripted(transport) { $0.streamIdleTimeout = .milliseconds(200) }
        let (values, error) = await readAll(client.stream(ticks, TickArguments(count: 2)))
        #expect(error == nil)
        #expect(values == [Tick(i: 1), Tick(i: 2)])
        #expect(transport.requests[1].header("Last-Event-ID") == "1")
        var cancellations = transport.cancellations.makeAsyncIterator()
        #expect(await cancellations.next() == 0)
    }
}

/// `readAll` for any throwing sequence (used with `map`).
func readAll<S: AsyncSequence>(_ sequence: S) async -> [S.Element] {
    var values: [S.Element] = []
    do {
        for try await value in sequence { values.append(value) }
    } catch {}
    return values
}

@Suite struct BackoffTests {
    @Test("nominal delays double from 250 ms and stop at 10 s")
    func nominalDelays() {
        let backoff = Backoff()
        let delays = (1...9).map { backoff.delay(attempt: $0, randomUnit: 0.5) }
        let expected: [Int64] = [250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]
        #expect(delays == expected.map { .milliseconds($0) })
    }

    @Test("jitter stays within ±20 % and under the cap", arguments: 1...12)
    func jitterBounds(attempt: Int) {
        let backoff = Backoff()
        let nominal = min(0.25 * pow(2, Double(attempt - 1)), 10)
        for unit in stride(from: 0.0, through: 1.0, by: 0.05) {
            let delay = backoff.delay(attempt: attempt, randomUnit: unit)
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            #expect(seconds >= nominal * 0.8 - 1e-9)
            #expect(seconds <= min(nominal * 1.2, 10) + 1e-9)
        }
        #expect(
            backoff.delay(attempt: attempt, randomUnit: 0) < backoff.delay(attempt: attempt, randomUnit: 0.5)
                || attempt > 7)
    }

    @Test("a server's retry value replaces the initial delay")
    func serverInitialDelay() {
        #expect(Backoff().delay(attempt: 2, initialDelay: .seconds(1), randomUnit: 0.5) == .seconds(2))
    }
}
