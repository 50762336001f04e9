import Foundation
import RemoteFunctions
import RemoteFunctionsHTTP
import RemoteFunctionsHTTPTransport
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Testing

/// Reads SSE events from an HTTP client body until `stop` says so.
func readEvents(
    _ body: HTTPClientResponseBody, until stop: (ServerSentEvent) -> Bool = { _ in false }
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

extension HTTPClientResponse {
    var text: String {
        get async throws { String(decoding: try await body.collect(upTo: 1 << 20), as: UTF8.self) }
    }
}

func jsonError(_ text: String) -> RemoteError? {
    try? RemoteJSON.decode(RemoteError.Envelope.self, from: Data(text.utf8)).error
}

@Suite("End to end over real sockets")
struct HTTPEndToEndTests {
    let client = HTTPClient()

    @Test("unary calls succeed over POST and GET")
    func unary() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let post = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.echo", headers: ["Content-Type": "application/json"],
                body: Array(#"{"n":41}"#.utf8))
            #expect(post.status == 200)
            #expect(post.headers["content-type"] == "application/json")
            #expect(try await post.text == #"{"n":41,"ok":true}"#)
            let get = try await client.execute(url: "\(url)/_remote/test.echo?args=%7B%22n%22%3A7%7D")
            #expect(try await get.text == #"{"n":7,"ok":true}"#)
        }
        await client.shutdown()
    }

    @Test("every error code reaches the client with its status", arguments: RemoteError.Code.allCases)
    func errorCodes(code: RemoteError.Code) async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let response = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.fail", body: Array(#"{"code":"\#(code.wireName)"}"#.utf8))
            #expect(response.status == code.httpStatus)
            #expect(jsonError(try await response.text)?.code == code)
        }
        await client.shutdown()
    }

    @Test("protocol errors: CSRF 403, 413, 400 naming the field, 404, 405")
    func protocolErrors() async throws {
        let server = makeTestServer(configuration: .init(maxBodySize: 1024, logger: .disabled))
        try await withRemoteServer(server) { url in
            let csrf = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.increment", headers: ["Origin": "https://evil.example"],
                body: Array(#"{"n":1}"#.utf8))
            #expect(csrf.status == 403)
            #expect(jsonError(try await csrf.text)?.code == .permissionDenied)
            let sameOrigin = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.increment", headers: ["Origin": "\(url)"],
                body: Array(#"{"n":1}"#.utf8))
            #expect(sameOrigin.status == 200)
            _ = try await sameOrigin.text

            let large = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.echo", body: Array(repeating: UInt8(ascii: " "), count: 4096))
            #expect(large.status == 413)
            #expect(jsonError(try await large.text)?.code == .resourceExhausted)

            let bad = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.nested", body: Array(#"{"inner":{"values":[1,"x"]}}"#.utf8))
            #expect(bad.status == 400)
            #expect(jsonError(try await bad.text)?.message.contains("inner.values[1]") == true)

            let missing = try await client.execute(method: "POST", url: "\(url)/_remote/nope", body: Array("null".utf8))
            #expect(missing.status == 404)
            #expect(jsonError(try await missing.text)?.code == .notFound)

            let wrongMethod = try await client.execute(url: "\(url)/_remote/test.increment")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.headers["allow"] == "POST")
            _ = try await wrongMethod.text
        }
        await client.shutdown()
    }

    @Test("a stream delivers values with cursors and ends; an error mid-stream is final")
    func streams() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            let response = try await client.execute(
                url: "\(url)/_remote/test.ticks?args=%7B%22count%22%3A100%7D", headers: ["Accept": "text/event-stream"])
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream")
            #expect(response.headers["cache-control"] == "no-store, no-transform")
            #expect(response.headers["x-accel-buffering"] == "no")
            let events = try await readEvents(response.body)
            #expect(events.first?.retry == 250)
            #expect(events.filter { $0.event == "next" }.compactMap(\.id) == (0..<100).map { String($0) })
            #expect(events.last?.event == "end")

            let failing = try await client.execute(
                method: "POST", url: "\(url)/_remote/test.failingStream", headers: ["Accept": "text/event-stream"],
                body: Array(#"{"count":3}"#.utf8))
            let failingEvents = try await readEvents(failing.body)
            #expect(failingEvents.filter { $0.event == "next" }.count == 3)
            #expect(failingEvents.last?.event == "error")
            #expect(failingEvents.last?.data.contains(#""code":"aborted""#) == true)
        }
        await client.shutdown()
    }

    @Test("when the client hangs up, the handler's cleanup runs within 100 ms")
    func cancellationLatency() async throws {
        let started = Signal()
        let ended = Signal()
        let server = makeTestServer(onForeverStart: started, onForeverEnd: ended)
        try await withRemoteServer(server) { url in
            let client = self.client
            let reader = Task {
                let response = try await client.execute(
                    url: "\(url)/_remote/test.forever", headers: ["Accept": "text/event-stream"])
                _ = try await readEvents(response.body)
            }
            try await started.wait()
            #expect(server.openStreamCount == 1)
            reader.cancel()
            let elapsed = try await ended.wait()
            #expect(elapsed < .milliseconds(100))
            _ = await reader.result
        }
        #expect(server.openStreamCount == 0)
        await client.shutdown()
    }

    @Test("after a cut connection, resuming with Last-Event-ID delivers every element exactly once")
    func resume() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            var received: [Int] = []
            var lastEventID: String?
            for cut in [100, 350, Int.max] {
                var headers: HTTPHeaders = ["Accept": "text/event-stream"]
                if let lastEventID { headers.add("Last-Event-ID", lastEventID) }
                let client = HTTPClient(reuseConnections: false)
                let response = try await client.execute(
                    url: "\(url)/_remote/test.ticks?args=%7B%22count%22%3A500%7D", headers: headers)
                let events = try await readEvents(response.body) { Int($0.id ?? "") == cut }
                for event in events where event.event == "next" {
                    received.append(try RemoteJSON.decode(Tick.self, from: Data(event.data.utf8)).i)
                    lastEventID = event.id
                }
                await client.shutdown()  // cuts the connection mid-stream
            }
            #expect(received == Array(0..<500))
        }
        await client.shutdown()
    }

    @Test("an idle stream receives heartbeats at the configured interval")
    func heartbeats() async throws {
        let started = Signal()
        let server = makeTestServer(
            configuration: .init(heartbeatInterval: .milliseconds(50), logger: .disabled), onForeverStart: started)
        try await withRemoteServer(server) { url in
            let response = try await client.execute(
                url: "\(url)/_remote/test.forever", headers: ["Accept": "text/event-stream"])
            var text = ""
            for try await chunk in response.body {
                text += String(decoding: chunk, as: UTF8.self)
                if text.components(separatedBy: "\n:\n\n").count > 3 { break }
            }
            #expect(text.contains("event: next"))
            await client.shutdown()
        }
    }

    @Test("/metrics includes the runtime's and the transport's metrics")
    func metrics() async throws {
        try await withRemoteServer(makeTestServer()) { url in
            _ = try await client.execute(method: "POST", url: "\(url)/_remote/test.echo", body: Array(#"{"n":1}"#.utf8))
                .text
            let text = try await client.execute(url: "\(url)/metrics").text
            #expect(text.contains(#"remote_requests_total{function="test.echo",code="ok"} 1"#))
            #expect(text.contains("remote_http_open_connections"))
            #expect(text.contains("remote_open_streams 0"))
        }
        await client.shutdown()
    }

    @Test("with a static files directory, other paths serve files and /_remote/ still reaches functions")
    func staticFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "remote-static-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<h1>hello</h1>".utf8).write(to: directory.appending(path: "index.html"))
        let transport = HTTPServerTransport(staticFilesDirectory: directory.path)
        try await withRemoteServer(makeTestServer(), transport: transport) { url async throws in
            #expect(try await client.execute(url: "\(url)/index.html").text == "<h1>hello</h1>")
            #expect(
                try await client.execute(url: "\(url)/_remote/test.echo?args=%7B%22n%22%3A1%7D").text
                    == #"{"n":1,"ok":true}"#)
            #expect(try await client.execute(url: "\(url)/_remote/client.js").status == 200)
        }
        await client.shutdown()
    }
}
