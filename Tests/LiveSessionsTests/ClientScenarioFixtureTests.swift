import Foundation
import LiveSessionsAPI
import LiveSessionsClient
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsLive
import RemoteFunctionsServer
import RemoteFunctionsTesting
import Synchronization
import Testing

/// A real LiveSessions server over HTTP on 127.0.0.1, port 0, on a fresh store, for the Swift
/// client scenarios. Every call passes through ``CallLog``, which counts calls per function and
/// can hold one writer's `entities.update` requests until released.
struct ClientScenarioFixture: Sendable {
    /// The header that names a test writer, for ``CallLog/hold(writer:)``.
    static let writerHeader = "X-Test-Writer"

    let store: LiveSessionsStore
    let baseURL: URL
    let calls: CallLog
    /// The store the server uses: `store` itself, or `store` behind a gate on `analytics`.
    var gatedStorage: GatedAnalyticsStorage?

    /// A new client over its own URLSession, optionally naming itself as `writer`.
    func client(writer: String? = nil) -> LiveSessionsClient {
        let headers = writer.map { [(name: Self.writerHeader, value: $0)] } ?? []
        return LiveSessionsClient(baseURL: baseURL, configuration: RemoteClient.Configuration(headers: headers))
    }

    /// How the server produces `participants.stream` and `entities.watch`.
    enum Streams: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// The seed's loops in ``LiveSessionsApp`` (read, yield, sleep), with short intervals.
        case polling
        /// The change-driven live queries (``LiveSessionsLiveStreams``), fed by the store's
        /// commits, as `live-sessions serve` runs them.
        case live

        var testDescription: String { rawValue }
    }

    /// Runs `body` against a fresh server and store, then shuts both down.
    /// With `gateAnalytics`, the server's `analytics` reads wait for ``GatedAnalyticsStorage/open()``.
    static func with(
        streams: Streams = .live, gateAnalytics: Bool = false, _ body: (ClientScenarioFixture) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let feed = ChangeFeed()
        let store = try await LiveSessionsStore.open(dataDirectory: directory.path, onCommit: { feed.publish($0) })
        let server = RemoteServer(configuration: .init(logger: .disabled))
        let calls = CallLog()
        server.use(calls.middleware)
        // As `live-sessions serve` wires it, with short polling intervals for the polling mode.
        let gated = gateAnalytics ? GatedAnalyticsStorage(base: store) : nil
        LiveSessionsApp(
            store: gated ?? store, participantsPollInterval: .milliseconds(50), entityPollInterval: .milliseconds(20),
            liveQueries: streams == .live ? LiveQueries(feed: feed) : nil
        ).register(on: server)
        do {
            try await withRemoteServer(server) { url in
                try await body(ClientScenarioFixture(store: store, baseURL: url, calls: calls, gatedStorage: gated))
            }
        } catch {
            calls.release()
            gated?.open()
            await store.close()
            directory.remove()
            throw error
        }
        await store.close()
        directory.remove()
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
