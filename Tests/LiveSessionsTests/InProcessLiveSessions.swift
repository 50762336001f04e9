import Foundation
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsServer
import RemoteFunctionsTesting

/// A LiveSessions server on an in-process transport, over a fresh store.
struct InProcessLiveSessions: Sendable {
    let fixture: StoreFixture
    let server: RemoteServer
    let transport: InProcessServerTransport
    let running: Task<Void, any Error>

    static func with(_ body: (InProcessLiveSessions) async throws -> Void) async throws {
        let fixture = try await StoreFixture(start: Date())
        let server = RemoteServer(configuration: .init(logger: .disabled))
        LiveSessionsApp(
            store: fixture.store, participantsPollInterval: .milliseconds(50), entityPollInterval: .milliseconds(20)
        ).register(on: server)
        let transport = InProcessServerTransport()
        let running = Task { try await server.run(on: transport) }
        let app = InProcessLiveSessions(fixture: fixture, server: server, transport: transport, running: running)
        do {
            try await body(app)
        } catch {
            await app.stop()
            throw error
        }
        await app.stop()
    }

    private func stop() async {
        server.beginGracefulShutdown()
        _ = try? await running.value
        await fixture.tearDown()
    }

    private func request(_ id: String, _ arguments: some Encodable, headers: [(String, String)] = []) throws
        -> ServerRequest
    {
        ServerRequest(
            method: "POST", path: "/_remote/\(id)", query: nil,
            headers: [("Content-Type", "application/json"), ("Accept", "text/event-stream")]
                + headers.map { (name: $0.0, value: $0.1) },
            remoteAddress: nil, body: ServerRequestBody(bytes: Array(try RemoteJSON.encode(arguments))))
    }

    /// Calls a query or command and decodes its output, or throws the `RemoteError` it answered.
    func call<Output: Decodable>(_ id: String, _ arguments: some Encodable, as: Output.Type = Output.self)
        async throws -> Output
    {
        let response = try await transport.send(try request(id, arguments))
        let body = Data(await response.body.collect())
        guard response.status == 200 else {
            throw try RemoteJSON.decode(RemoteError.Envelope.self, from: body).error
        }
        return try RemoteJSON.decode(Output.self, from: body)
    }

    /// Opens a stream and returns a reader of its events.
    func stream(_ id: String, _ arguments: some Encodable, lastEventID: String? = nil) async throws -> EventReader {
        let headers = lastEventID.map { [("Last-Event-ID", $0)] } ?? []
        let response = try await transport.send(try request(id, arguments, headers: headers))
        return EventReader(response: response)
    }

    /// Reads server-sent events from a response body.
    struct EventReader {
        let response: InProcessResponse
        private var iterator: InProcessResponseBody.AsyncIterator
        private var parser = ServerSentEventParser()
        private var pending: [ServerSentEvent] = []

        init(response: InProcessResponse) {
            self.response = response
            self.iterator = response.body.makeAsyncIterator()
        }

        /// The next `next` event's data decoded, with its id; `nil` at the end of the stream.
        mutating func next<Element: Decodable>(_ type: Element.Type) async throws -> (Element, id: String?)? {
            while true {
                if !pending.isEmpty {
                    let event = pending.removeFirst()
                    if event.event == RemoteWire.errorEvent {
                        throw try RemoteJSON.decode(RemoteError.self, from: Data(event.data.utf8))
                    }
                    guard event.event == RemoteWire.nextEvent else { continue }
                    return (try RemoteJSON.decode(Element.self, from: Data(event.data.utf8)), event.id)
                }
                guard let chunk = await iterator.next() else { return nil }
                pending += try parser.feed(chunk)
            }
        }

        func cancel() {
            response.body.cancel()
        }
    }
}
