import Foundation
import RemoteFunctions
import RemoteFunctionsServer
import Testing

@Suite("Streams, in process")
struct StreamTests {
    @Test(
        "a stream sends its head and retry line, its values with cursors, then end",
        arguments: [
            TestFunctions.ticks.id, TestFunctions.sequenceTicks.id,
        ])
    func valuesAndEnd(id: RemoteFunctionID) async throws {
        let server = makeTestServer()
        let response = await Exchange(
            server, "POST", "/_remote/\(id)", headers: [("Accept", "text/event-stream")], body: #"{"count":3}"#
        ).response()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/event-stream")
        #expect(response.header("Cache-Control") == "no-store, no-transform")
        #expect(response.header("X-Accel-Buffering") == "no")
        #expect(response.header("Content-Length") == nil)
        #expect(response.text.hasPrefix("retry: 250\n\n"))
        let events = response.events
        #expect(events.first?.retry == 250)
        let values = events.filter { $0.event == "next" }
        #expect(values.map(\.data) == [#"{"i":0}"#, #"{"i":1}"#, #"{"i":2}"#])
        #expect(values.map(\.id) == ["0", "1", "2"])
        #expect(events.last?.event == "end")
        #expect(events.last?.data == "null")
        #expect(response.finished)
        #expect(server.openStreamCount == 0)
    }

    @Test("a stream over GET with args works like EventSource")
    func overGET() async throws {
        let server = makeTestServer()
        let response = await Exchange(
            server, "GET", "/_remote/test.ticks", query: "args=%7B%22count%22%3A2%7D",
            headers: [("Accept", "text/event-stream")]
        ).response()
        #expect(response.events.filter { $0.event == "next" }.count == 2)
        #expect(response.events.last?.event == "end")
    }

    @Test("an error in the middle of a stream is a final error frame")
    func errorMidStream() async throws {
        let server = makeTestServer()
        let response = await Exchange(server, "POST", "/_remote/test.failingStream", body: #"{"count":2}"#).response()
        #expect(response.status == 200)
        let events = response.events
        #expect(events.filter { $0.event == "next" }.count == 2)
        let last = try #require(events.last)
        #expect(last.event == "error")
        let error = try RemoteJSON.decode(RemoteError.self, from: Data(last.data.utf8))
        #expect(error.code == .aborted)
        #expect(error.message == "stopped after 2")
        #expect(response.finished)
    }

    @Test("a stream handler's internal error is sent as internal without detail")
    func internalErrorMidStream() async throws {
        let server = makeTestServer()
        let response = await Exchange(server, "POST", "/_remote/test.crashingStream", body: "null").response()
        let last = try #require(response.events.last)
        #expect(last.event == "error")
        #expect(last.data.contains(#""code":"internal""#))
        #expect(!response.text.contains("hunter2"))
    }

    @Test("early stream errors are plain HTTP errors, not event streams")
    func earlyErrors() async throws {
        let server = makeTestServer()
        let badArguments = await Exchange(
            server, "POST", "/_remote/test.ticks", headers: [("Accept", "text/event-stream")], body: #"{"count":"x"}"#
        ).response()
        #expect(badArguments.status == 400)
        #expect(badArguments.header("Content-Type") == "application/json")
        #expect(badArguments.error?.message.contains("count") == true)
        let unauthenticated = await Exchange(
            server, "GET", "/_remote/test.guarded", headers: [("Accept", "text/event-stream")]
        ).response()
        #expect(unauthenticated.status == 401)
        #expect(server.openStreamCount == 0)
    }

    @Test("the resume cursor reaches the handler from the header or the query parameter")
    func resumeCursor() async throws {
        let server = makeTestServer()
        let fromHeader = await Exchange(
            server, "GET", "/_remote/test.resumeCursor", headers: [("Last-Event-ID", "41")]
        ).response()
        #expect(fromHeader.events.first { $0.event == "next" }?.data == #""41""#)
        let fromQuery = await Exchange(server, "GET", "/_remote/test.resumeCursor", query: "lastEventId=42").response()
        #expect(fromQuery.events.first { $0.event == "next" }?.data == #""42""#)
        let fresh = await Exchange(server, "GET", "/_remote/test.resumeCursor").response()
        #expect(fresh.events.first { $0.event == "next" }?.data == #""none""#)
    }

    @Test("when the client leaves, the handler's cleanup runs within 100 ms and nothing stays open")
    func cancellationLatency() async throws {
        let started = Signal()
        let ended = Signal()
        let server = makeTestServer(onForeverStart: started, onForeverEnd: ended)
        let exchange = Exchange(server, "GET", "/_remote/test.forever")
        try await started.wait()
        #expect(server.openStreamCount == 1)
        exchange.cancel()
        let elapsed = try await ended.wait()
        #expect(elapsed < .milliseconds(100))
        await exchange.task.value
        #expect(server.openStreamCount == 0)
    }

    @Test("yield throws CancellationError once the client has gone")
    func yieldThrowsAfterClientLeft() async throws {
        let server = RemoteServer(configuration: .init(logger: .disabled))
        let firstSent = Signal()
        let outcome = Signal()
        let stream = RemoteStream<Empty, Int>("test.producer")
        server.register(stream) { _, _, yield in
            try await yield(0)
            firstSent.raise()
            do {
                while true { try await yield(1) }
            } catch is CancellationError {
                outcome.raise()
                throw CancellationError()
            }
        }
        let exchange = Exchange(server, "GET", "/_remote/test.producer")
        try await firstSent.wait()
        exchange.cancel()
        try await outcome.wait()
        await exchange.task.value
        #expect(server.openStreamCount == 0)
    }

    @Test("an idle stream gets heartbeat comments at the configured interval")
    func heartbeats() async throws {
        let started = Signal()
        let server = makeTestServer(
            configuration: .init(heartbeatInterval: .milliseconds(40), logger: .disabled), onForeverStart: started)
        let exchange = Exchange(server, "GET", "/_remote/test.forever")
        try await started.wait()
        let snapshot = try await exchange.recorder.wait { $0.text.components(separatedBy: ":\n\n").count > 3 }
        #expect(snapshot.events.filter { $0.event == "next" }.count == 1)
        exchange.cancel()
        await exchange.task.value
    }

    @Test("a graceful shutdown ends open streams with a resumable unavailable error")
    func gracefulShutdown() async throws {
        let started = Signal()
        let ended = Signal()
        let server = makeTestServer(onForeverStart: started, onForeverEnd: ended)
        let exchange = Exchange(server, "GET", "/_remote/test.forever")
        try await started.wait()
        server.beginGracefulShutdown()
        let response = await exchange.response()
        try await ended.wait()
        let last = try #require(response.events.last)
        #expect(last.event == "error")
        let error = try RemoteJSON.decode(RemoteError.self, from: Data(last.data.utf8))
        #expect(error.code == .unavailable)
        #expect(error.isRetryable)
        #expect(response.finished)
        #expect(server.openStreamCount == 0)
        let refused = await Exchange(server, "GET", "/_remote/test.ticks", query: "args=%7B%22count%22%3A1%7D")
            .response()
        #expect(refused.status == 503)
    }

    @Test("stream endings are counted in /metrics")
    func metrics() async throws {
        let server = makeTestServer()
        _ = await Exchange(server, "POST", "/_remote/test.ticks", body: #"{"count":1}"#).response()
        _ = await Exchange(server, "POST", "/_remote/test.failingStream", body: #"{"count":1}"#).response()
        let text = server.metricsText()
        #expect(text.contains(#"remote_requests_total{function="test.ticks",code="ok"} 1"#))
        #expect(text.contains(#"remote_requests_total{function="test.failingStream",code="aborted"} 1"#))
    }
}
