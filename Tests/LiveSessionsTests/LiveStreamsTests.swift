import Foundation
import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsLive
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

/// The demo's change-driven streams through the runtime, over the in-process transport.
@Suite("LiveSessions live streams")
struct LiveStreamsTests {
    /// A store whose commits feed a change feed, served by a runtime on the in-process transport.
    struct Harness {
        let directory: TemporaryDirectory
        let store: LiveSessionsStore
        let feed = ChangeFeed()
        let queries: LiveQueries
        let server = RemoteServer()
        let transport = InProcessServerTransport()

        init() async throws {
            let feed = feed
            directory = try TemporaryDirectory()
            store = try await LiveSessionsStore.open(dataDirectory: directory.path, onCommit: { feed.publish($0) })
            queries = LiveQueries(feed: feed)
            LiveSessionsLiveStreams(store: store, queries: queries).register(on: server)
        }

        func tearDown() async {
            await store.close()
            directory.remove()
        }

        /// Opens a stream and returns a reader of its `next` frames.
        func open(_ id: RemoteFunctionID, _ arguments: String, lastEventID: String? = nil) async throws -> EventReader {
            var headers: [(name: String, value: String)] = [("Accept", "text/event-stream")]
            if let lastEventID { headers.append(("Last-Event-ID", lastEventID)) }
            let response = try await transport.send(
                ServerRequest(
                    method: "POST", path: "/_remote/\(id)", query: nil, headers: headers, remoteAddress: nil,
                    body: ServerRequestBody(bytes: Array(arguments.utf8))))
            #expect(response.status == 200)
            return EventReader(body: response.body)
        }
    }

    /// Reads `next`, `error` and `end` frames one at a time.
    struct EventReader {
        let body: InProcessResponseBody
        var iterator: InProcessResponseBody.AsyncIterator
        var parser = ServerSentEventParser()
        var pending: [ServerSentEvent] = []

        init(body: InProcessResponseBody) {
            self.body = body
            self.iterator = body.makeAsyncIterator()
        }

        mutating func next() async throws -> ServerSentEvent? {
            while true {
                if !pending.isEmpty {
                    let event = pending.removeFirst()
                    if event.event == "next" || event.event == "error" || event.event == "end" { return event }
                    continue
                }
                guard let chunk = await iterator.next() else { return nil }
                pending += try parser.feed(chunk)
            }
        }

        func cancel() { body.cancel() }
    }

    @Test("participants.stream hands every viewer the bytes encoded once, equal to the update's JSON")
    func participantsEncodedOnce() async throws {
        let harness = try await Harness()
        let session = try await harness.store.createSession(name: "Encoded")
        let streams = LiveSessionsLiveStreams(store: harness.store, queries: harness.queries)
        var first = streams.participants(sessionCode: session.code).makeAsyncIterator()
        var second = streams.participants(sessionCode: session.code).makeAsyncIterator()
        let a = try #require(try await first.next())
        let b = try #require(try await second.next())
        let encoded = try #require(a.encoded)
        #expect(b.encoded == encoded)
        let decoded = try RemoteJSON.decode(ParticipantsUpdate.self, from: Data(encoded.bytes))
        #expect(decoded.stats == a.element.stats)
        #expect(decoded.participants == a.element.participants)
        await harness.tearDown()
    }

    @Test("participants.stream: 50 viewers share one read per change and each sees the new participant")
    func participantsShareOneRead() async throws {
        let harness = try await Harness()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await harness.server.run(on: harness.transport) }
            let session = try await harness.store.createSession(name: "Live")
            let arguments = #"{"sessionCode":"\#(session.code)"}"#
            var readers: [EventReader] = []
            for _ in 0..<50 {
                readers.append(try await harness.open("participants.stream", arguments))
            }
            for index in readers.indices {
                let first = try #require(try await readers[index].next())
                let update = try RemoteJSON.decode(ParticipantsUpdate.self, from: Data(first.data.utf8))
                #expect(update.stats.total == 0)
            }
            #expect(harness.queries.metrics.evaluationCount(function: "participants.stream") == 1)
            _ = try await harness.store.join(sessionCode: session.code, name: "Ada")
            for index in readers.indices {
                let event = try #require(try await readers[index].next())
                let update = try RemoteJSON.decode(ParticipantsUpdate.self, from: Data(event.data.utf8))
                #expect(update.participants.map(\.name) == ["Ada"])
            }
            #expect(harness.queries.metrics.evaluationCount(function: "participants.stream") == 2)
            for reader in readers { reader.cancel() }
            harness.server.beginGracefulShutdown()
            group.cancelAll()
        }
        await harness.tearDown()
    }

    @Test("entities.watch: every new version with its cursor, and a resumed watch skips what it saw")
    func entityWatchResumes() async throws {
        let harness = try await Harness()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await harness.server.run(on: harness.transport) }
            let session = try await harness.store.createSession(name: "Board")
            let entity = try await harness.store.createEntity(sessionCode: session.code, title: "Card")
            let arguments = #"{"entityId":\#(entity.id)}"#
            var watcher = try await harness.open("entities.watch", arguments)
            let first = try #require(try await watcher.next())
            #expect(first.id == "1")
            _ = try await harness.store.updateEntity(
                id: entity.id, changes: EntityChanges(title: "Card 2"), baseVersion: 1)
            let second = try #require(try await watcher.next())
            #expect(second.id == "2")
            let event = try RemoteJSON.decode(EntityWatchEvent.self, from: Data(second.data.utf8))
            #expect(event.data.title == "Card 2")

            var resumed = try await harness.open("entities.watch", arguments, lastEventID: "2")
            _ = try await harness.store.updateEntity(
                id: entity.id, changes: EntityChanges(status: .doing), baseVersion: 2)
            let next = try #require(try await resumed.next())
            #expect(next.id == "3", "the resumed watch skips version 2, which it had seen")
            #expect(try await watcher.next()?.id == "3")
            watcher.cancel()
            resumed.cancel()
            harness.server.beginGracefulShutdown()
            group.cancelAll()
        }
        await harness.tearDown()
    }

    @Test("entities.watch of an unknown entity ends with not_found")
    func unknownEntity() async throws {
        let harness = try await Harness()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await harness.server.run(on: harness.transport) }
            var watcher = try await harness.open("entities.watch", #"{"entityId":999}"#)
            let event = try #require(try await watcher.next())
            #expect(event.event == "error")
            #expect(event.data.contains(#""code":"not_found""#))
            #expect(harness.queries.count == 0)
            harness.server.beginGracefulShutdown()
            group.cancelAll()
        }
        await harness.tearDown()
    }
}
