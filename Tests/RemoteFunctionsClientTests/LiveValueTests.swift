import Foundation
import Observation
import RemoteFunctions
import RemoteFunctionsClient
import Testing

/// Waits, without polling, until `condition` holds; re-checked on each change of what it reads.
@MainActor
func waitUntil(_ condition: @MainActor () -> Bool) async {
    while !condition() {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            withObservationTracking {
                _ = condition()
            } onChange: {
                continuation.resume()
            }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) @MainActor struct LiveValueTests {
    @Test("a live value follows the stream's values and connection state")
    func followsStream() async throws {
        let transport = ScriptedTransport([
            .events([sse("next", #"{"i":1}"#, id: "1"), sse("next", #"{"i":2}"#, id: "2")], ending: .drop),
            .events([sse("next", #"{"i":3}"#, id: "3") + sse("end", "null")], ending: .finish),
        ])
        let model = LiveValue(
            client: .scripted(transport), stream: ticks, arguments: TickArguments(count: 3), initialValue: Tick(i: 0))
        #expect(model.value == Tick(i: 0))
        #expect(model.connectionState == .idle)
        model.start()
        await waitUntil { model.connectionState == .closed && !model.isRunning }
        #expect(model.value == Tick(i: 3))
        #expect(model.lastError == nil)
        #expect(transport.requests.last?.header("Last-Event-ID") == "2")
    }

    @Test("a terminal error is kept in lastError and the state is failed")
    func keepsLastError() async throws {
        let transport = ScriptedTransport([
            .json(#"{"error":{"code":"not_found","message":"no such session"}}"#, status: 404)
        ])
        let model = LiveValue(client: .scripted(transport), stream: ticks, arguments: TickArguments(count: 3))
        model.start()
        await waitUntil { !model.isRunning }
        #expect(model.lastError == RemoteError(.notFound, "no such session"))
        #expect(model.connectionState == .failed(RemoteError(.notFound, "no such session")))
    }

    @Test("stop cancels the request and closes the state")
    func stopCancels() async throws {
        let transport = ScriptedTransport([.events([sse("next", #"{"i":1}"#, id: "1")], ending: .hang)])
        let model = LiveValue(client: .scripted(transport), stream: ticks, arguments: TickArguments(count: 3))
        model.start()
        await waitUntil { model.value == Tick(i: 1) }
        model.stop()
        #expect(model.connectionState == .closed)
        var cancellations = transport.cancellations.makeAsyncIterator()
        #expect(await cancellations.next() == 0)
        #expect(model.lastError == nil)
    }
}
