import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// Runs `server` on an in-process transport for the scope of `body`, then shuts it down and
/// waits for it to drain.
func withInProcessServer<T: Sendable>(
    _ server: RemoteServer, _ body: (InProcessClientTransport) async throws -> T
) async throws -> T {
    let transport = InProcessServerTransport()
    let running = Task { try await server.run(on: transport) }
    do {
        let result = try await body(InProcessClientTransport(transport))
        server.beginGracefulShutdown()
        try await running.value
        return result
    } catch {
        server.beginGracefulShutdown()
        _ = try? await running.value
        throw error
    }
}

/// Reads SSE events from a client body until `stop` says so, returning them.
func readEvents(
    _ body: ClientResponseBody, until stop: (ServerSentEvent) -> Bool = { _ in false }
) async throws -> [ServerSentEvent] {
    var parser = ServerSentEventParser()
    var events: [ServerSentEvent] = []
    for try await chunk in body {
        for event in try parser.feed(chunk) {
            events.append(event)
            if stop(event) { return events }
        }
    }
    return events
}

let baseURL = URL(string: "http://localhost:8080")!

@Suite("In-process transport pair")
struct InProcessTransportTests {
    @Test("a query round-trips through the in-process client transport")
    func unary() async throws {
        let server = makeTestServer()
        let response = try await withInProcessServer(server) { client in
            try await client.send(
                ClientRequest(
                    method: "POST", url: baseURL.appending(path: "_remote/test.echo"), body: Data(#"{"n":2}"#.utf8)))
        }
        #expect(response.status == 200)
        let body = try await response.body.collect(upTo: 1024)
        #expect(String(decoding: body, as: UTF8.self) == #"{"n":2,"ok":true}"#)
    }

    @Test("a stream's frames arrive through the in-process client transport")
    func stream() async throws {
        let server = makeTestServer()
        let events = try await withInProcessServer(server) { client in
            let response = try await client.send(
                ClientRequest(
                    method: "POST", url: baseURL.appending(path: "_remote/test.ticks"),
                    headers: [("Accept", "text/event-stream")], body: Data(#"{"count":50}"#.utf8)))
            #expect(response.header("Content-Type") == "text/event-stream")
            return try await readEvents(response.body)
        }
        #expect(events.filter { $0.event == "next" }.map(\.id) == (0..<50).map { String($0) })
        #expect(events.last?.event == "end")
        #expect(server.openStreamCount == 0)
    }

    @Test("leaving the loop cancels the server handler within 100 ms")
    func leavingTheLoopLatency() async throws {
        let started = Signal()
        let ended = Signal()
        let server = makeTestServer(onForeverStart: started, onForeverEnd: ended)
        try await withInProcessServer(server) { client in
            let response = try await client.send(
                ClientRequest(method: "GET", url: baseURL.appending(path: "_remote/test.forever")))
            let events = try await readEvents(response.body) { $0.event == "next" }
            #expect(events.last?.event == "next")
            // `readEvents` has left its loop: that released the body and cancelled the request.
            try await started.wait()
        }
        let elapsed = try await ended.wait()
        #expect(elapsed < .milliseconds(100))
        #expect(server.openStreamCount == 0)
    }

    @Test("resuming after a cut connection delivers every element exactly once")
    func resume() async throws {
        let server = makeTestServer()
        let received = try await withInProcessServer(server) { client in
            var received: [Int] = []
            var lastEventID: String?
            for cut in [10, 25, 1000] {
                var headers: [(name: String, value: String)] = [("Accept", "text/event-stream")]
                if let lastEventID { headers.append(("Last-Event-ID", lastEventID)) }
                let response = try await client.send(
                    ClientRequest(
                        method: "POST", url: baseURL.appending(path: "_remote/test.ticks"), headers: headers,
                        body: Data(#"{"count":40}"#.utf8)))
                let events = try await readEvents(response.body) { event in
                    event.event == "next" && Int(event.id ?? "") == cut
                }
                for event in events where event.event == "next" {
                    received.append(try RemoteJSON.decode(Tick.self, from: Data(event.data.utf8)).i)
                    lastEventID = event.id
                }
            }
            return received
        }
        #expect(received == Array(0..<40))
    }

    @Test("pre-encoded items are sent as encoded, and a cursor cannot forge a field")
    func preEncoded() async throws {
        let server = makeTestServer()
        let response = await Exchange(server, "GET", "/_remote/test.shared").response()
        #expect(response.text.contains("event: next\nid: cid: forged\ndata: {\"i\":7}\n\n"))
    }

    @Test("run returns after a graceful shutdown while a stream is open, which ends as unavailable")
    func shutdownDrains() async throws {
        let started = Signal()
        let server = makeTestServer(onForeverStart: started)
        let transport = InProcessServerTransport()
        let running = Task { try await server.run(on: transport) }
        let client = InProcessClientTransport(transport)
        let response = try await client.send(
            ClientRequest(method: "GET", url: baseURL.appending(path: "_remote/test.forever")))
        try await started.wait()
        server.beginGracefulShutdown()
        let events = try await readEvents(response.body)
        #expect(events.last?.event == "error")
        #expect(events.last?.data.contains(#""code":"unavailable""#) == true)
        try await running.value
        #expect(server.openStreamCount == 0)
    }
}
