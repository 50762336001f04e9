import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization

/// A real LiveSessions server over HTTP on 127.0.0.1, port 0, on a fresh store, for the Swift
/// client scenarios. Every call passes through ``CallLog``, which counts calls per function and
/// can hold one writer's `entities.update` requests until released.
struct ClientScenarioFixture: Sendable {
    /// The header that names a test writer, for ``CallLog/hold(writer:)``.
    static let writerHeader = "X-Test-Writer"

    let store: LiveSessionsStore
    let baseURL: URL
    let calls: CallLog

    /// A new client over its own URLSession, optionally naming itself as `writer`.
    func client(writer: String? = nil) -> LiveSessionsClient {
        let headers = writer.map { [(name: Self.writerHeader, value: $0)] } ?? []
        return LiveSessionsClient(baseURL: baseURL, configuration: RemoteClient.Configuration(headers: headers))
    }

    /// Runs `body` against a fresh server and store, then shuts both down.
    static func with(_ body: (ClientScenarioFixture) async throws -> Void) async throws {
        let storage = try await StoreFixture(start: Date())
        let server = RemoteServer(configuration: .init(logger: .disabled))
        let calls = CallLog()
        server.use(calls.middleware)
        registerLiveSessions(store: storage.store, on: server)
        do {
            try await withRemoteServer(server) { url in
                try await body(ClientScenarioFixture(store: storage.store, baseURL: url, calls: calls))
            }
        } catch {
            calls.release()
            await storage.tearDown()
            throw error
        }
        await storage.tearDown()
    }

    /// Registers the demo's functions from the store, as `live-sessions` serves them (the seed's
    /// polling loops, with short intervals to keep the tests quick).
    ///
    /// To be replaced by `LiveSessionsApp(store:…).register(on:)` once the server wiring is on
    /// main.
    private static func registerLiveSessions(store: LiveSessionsStore, on server: RemoteServer) {
        typealias Functions = LiveSessionsFunctions
        server.register(Functions.createSession) { arguments, _ in
            try await store.createSession(name: arguments.name)
        }
        server.register(Functions.joinParticipant) { arguments, _ in
            try await store.join(sessionCode: arguments.sessionCode, name: arguments.name)
        }
        server.register(Functions.setParticipantStatus) { arguments, _ in
            try await store.setStatus(
                sessionCode: arguments.sessionCode, participantID: arguments.participantID, status: arguments.status)
        }
        server.register(Functions.leaveParticipant) { arguments, _ in
            try await store.leave(sessionCode: arguments.sessionCode, participantID: arguments.participantID)
            return Empty()
        }
        server.register(Functions.createEntity) { arguments, _ in
            try await store.createEntity(sessionCode: arguments.sessionCode, title: arguments.title)
        }
        server.register(Functions.updateEntity) { arguments, _ in
            try await store.updateEntity(
                id: arguments.entityID, changes: arguments.changes, baseVersion: arguments.baseVersion)
        }
        server.register(Functions.listEntities) { arguments, _ in
            try await store.entities(sessionCode: arguments.sessionCode)
        }
        server.register(Functions.participantsPage) { arguments, _ in
            try await store.participantsPage(
                sessionCode: arguments.sessionCode, cursor: arguments.cursor, pageSize: arguments.pageSize)
        }
        server.register(Functions.participantsStream) { arguments, _, yield in
            while true {
                try await yield(try await store.participantsUpdate(sessionCode: arguments.sessionCode))
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        server.register(Functions.loadProgressive) { arguments, _, yield in
            let code = arguments.sessionCode
            try await yield(.session(try await store.session(code: code)))
            try await yield(.participants(try await store.progressiveParticipants(sessionCode: code)))
            let analytics = try await store.analytics(sessionCode: code)
            try await yield(.analytics(analytics))
            try await yield(.insights(try await store.insights(sessionCode: code, analytics: analytics)))
        }
        server.register(Functions.watchEntity) { arguments, context, yield in
            var lastVersion = context.lastEventID.flatMap { Int($0) } ?? 0
            while true {
                let entity = try await store.entity(id: arguments.entityID)
                if entity.version > lastVersion {
                    try await yield(EntityWatchEvent(entity: entity), cursor: String(entity.version))
                    lastVersion = entity.version
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

/// Counts the calls a server receives, per function id, and can hold one writer's
/// `entities.update` requests at the server until ``release()``.
final class CallLog: Sendable {
    private struct State {
        var started: [String: Int] = [:]
        var finished: [String: Int] = [:]
        var heldWriter: String?
        var held: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// The writer of each request held, as it arrives.
    let heldRequests: AsyncStream<String>
    private let heldRequestsContinuation: AsyncStream<String>.Continuation

    init() {
        (heldRequests, heldRequestsContinuation) = AsyncStream.makeStream()
    }

    /// How many calls of `id` reached the server.
    func started(_ id: String) -> Int { state.withLock { $0.started[id, default: 0] } }

    /// How many calls of `id` have finished (for a stream: once it has ended).
    func finished(_ id: String) -> Int { state.withLock { $0.finished[id, default: 0] } }

    /// Holds the `entities.update` requests of `writer` from now on.
    func hold(writer: String) {
        state.withLock { $0.heldWriter = writer }
    }

    /// Lets every held request go, and stops holding.
    func release() {
        let held = state.withLock { state in
            state.heldWriter = nil
            defer { state.held = [] }
            return state.held
        }
        for request in held { request.resume() }
    }

    var middleware: ClosureMiddleware {
        ClosureMiddleware { [self] call, context, next in
            let id = call.functionID.rawValue
            state.withLock { $0.started[id, default: 0] += 1 }
            defer { state.withLock { $0.finished[id, default: 0] += 1 } }
            if id == LiveSessionsFunctions.updateEntity.id.rawValue,
                let writer = context.header(ClientScenarioFixture.writerHeader)
            {
                await holdIfNeeded(writer: writer)
            }
            try await next(context)
        }
    }

    private func holdIfNeeded(writer: String) async {
        await withCheckedContinuation { (request: CheckedContinuation<Void, Never>) in
            let isHeld = state.withLock { state in
                guard state.heldWriter == writer else { return false }
                state.held.append(request)
                return true
            }
            if isHeld {
                heldRequestsContinuation.yield(writer)
            } else {
                request.resume()
            }
        }
    }
}
