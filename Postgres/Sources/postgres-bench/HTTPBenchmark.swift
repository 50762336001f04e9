import Foundation
import LiveSessionsAPI
import PostgresDemoFixture
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport
import Synchronization

/// Change→receive across two instances over HTTP: SUBSCRIBERS clients hold an `entities.watch`
/// stream on instance B; instance A receives `entities.update` commands, one at a time. The
/// latency of a change, for one subscriber, is from the moment the command is sent to A to the
/// moment that subscriber's SSE event with the new version has been parsed. The path: HTTP → A's
/// store → commit + NOTIFY → B's LISTEN connection → B's change feed → B's shared live query
/// (one read) → every subscriber's SSE stream → the client.
///
/// Both instances run in this process (each with its own pool, LISTEN connection and HTTP server
/// on its own port), so they share one clock, and so do the clients: by default they use
/// `HTTPClientTransport`; with `urlSession`, `URLSessionClientTransport`, whose streams spin on
/// Linux (see `HTTPClientTransport`) and take CPU from the instances being measured.
enum HTTPBenchmark {
    /// The measured durations, in milliseconds, each sorted.
    struct Figures {
        /// Command sent to A → event parsed by one client of B, for every (client, change) pair.
        var latencies: [Double]
        /// Command sent to A → A's answer received (HTTP, update, commit with NOTIFY), per change.
        var acknowledged: [Double]
        /// Command sent to A → the first client of B parsed the event, per change.
        var firstArrival: [Double]
        /// The first → the last client of B parsed the event, per change (B's fan-out).
        var spread: [Double]
    }

    /// Receive instants per (subscriber, version), with a signal when every subscriber has a version.
    final class Arrivals: Sendable {
        private struct State {
            var received: [[Int: ContinuousClock.Instant]]
            var waiter: (version: Int, continuation: CheckedContinuation<Void, Never>)?
        }

        private let state: Mutex<State>

        init(subscribers: Int) {
            state = Mutex(State(received: Array(repeating: [:], count: subscribers)))
        }

        func record(subscriber: Int, version: Int) {
            let now = ContinuousClock.now
            let ready = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.received[subscriber][version] = now
                guard let waiter = state.waiter, state.received.allSatisfy({ $0[waiter.version] != nil }) else {
                    return nil
                }
                state.waiter = nil
                return waiter.continuation
            }
            ready?.resume()
        }

        func waitForAll(version: Int) async {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.received.allSatisfy({ $0[version] != nil }) { return true }
                    state.waiter = (version, continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }

        var received: [[Int: ContinuousClock.Instant]] { state.withLock { $0.received } }
    }

    static func run(
        url: String, subscribers: Int, changes: Int, intervalMilliseconds: Int, urlSession: Bool
    ) async throws -> Figures {
        let channel = "bench_\(UInt32.random(in: 0...UInt32.max))"
        let instanceA = try await PostgresDemoInstance.start(url: url, channel: channel)
        let instanceB = try await PostgresDemoInstance.start(url: url, channel: channel)
        let transportA = HTTPServerTransport()
        let transportB = HTTPServerTransport()
        let servers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await instanceA.server.run(on: transportA) }
                group.addTask { try await instanceB.server.run(on: transportB) }
                try await group.waitForAll()
            }
        }
        guard let addressA = await transportA.listeningAddress(), let addressB = await transportB.listeningAddress(),
            let urlA = URL(string: "http://\(addressA)"), let urlB = URL(string: "http://\(addressB)")
        else { throw UsageError(message: "the instances did not start") }

        let transport: any ClientTransport =
            urlSession ? URLSessionClientTransport(maximumConnectionsPerHost: subscribers + 16) : HTTPClientTransport()
        let clientA = RemoteClient(baseURL: urlA, transport: transport)
        let session = try await clientA.call(
            LiveSessionsFunctions.createSession, CreateSessionArguments(name: "Benchmark"))
        var entity = try await clientA.call(
            LiveSessionsFunctions.createEntity, CreateEntityArguments(sessionCode: session.code, title: "Counter"))
        let entityID = entity.id

        let arrivals = Arrivals(subscribers: subscribers)
        let readers = Task {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<subscribers {
                    group.addTask {
                        let stream = RemoteClient(baseURL: urlB, transport: transport)
                            .stream(LiveSessionsFunctions.watchEntity, EntityIDArguments(entityID: entityID))
                        do {
                            for try await event in stream { arrivals.record(subscriber: index, version: event.version) }
                        } catch {}
                    }
                }
            }
        }
        await arrivals.waitForAll(version: 1)

        var sent: [Int: ContinuousClock.Instant] = [:]
        var acknowledged: [Double] = []
        for index in 0..<changes {
            let version = entity.version + 1
            sent[version] = .now
            let result = try await clientA.call(
                LiveSessionsFunctions.updateEntity,
                UpdateEntityArguments(
                    entityID: entityID, changes: EntityChanges(notes: "change \(index)"), baseVersion: entity.version))
            guard case .applied(let updated) = result else { throw UsageError(message: "unexpected conflict") }
            entity = updated
            if let start = sent[version] { acknowledged.append(milliseconds(.now - start)) }
            await arrivals.waitForAll(version: version)
            if intervalMilliseconds > 0 { try await Task.sleep(for: .milliseconds(intervalMilliseconds)) }
        }
        var latencies: [Double] = []
        let received = arrivals.received
        for perSubscriber in received {
            for (version, start) in sent {
                if let arrival = perSubscriber[version] { latencies.append(milliseconds(arrival - start)) }
            }
        }
        var firstArrival: [Double] = []
        var spread: [Double] = []
        for (version, start) in sent {
            let instants = received.compactMap { $0[version] }
            guard let first = instants.min(), let last = instants.max() else { continue }
            firstArrival.append(milliseconds(first - start))
            spread.append(milliseconds(last - first))
        }
        readers.cancel()
        instanceA.server.beginGracefulShutdown()
        instanceB.server.beginGracefulShutdown()
        _ = try? await servers.value
        await instanceA.stop()
        await instanceB.stop()
        return Figures(
            latencies: latencies.sorted(), acknowledged: acknowledged.sorted(), firstArrival: firstArrival.sorted(),
            spread: spread.sorted())
    }
}
