import Foundation
import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport
import RemoteFunctionsPostgres
import Synchronization
import Testing

/// What every watching client has received: its versions in order, and when each arrived.
final class VersionBoard: Sendable {
    private struct State {
        var versions: [[Int]]
        var arrivals: [[ContinuousClock.Instant]]
        var waiter: (version: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state: Mutex<State>

    init(clients: Int) {
        state = Mutex(
            State(versions: Array(repeating: [], count: clients), arrivals: Array(repeating: [], count: clients)))
    }

    func record(client: Int, version: Int) {
        let now = ContinuousClock.now
        let ready = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.versions[client].append(version)
            state.arrivals[client].append(now)
            guard let waiter = state.waiter, state.versions.allSatisfy({ ($0.last ?? 0) >= waiter.version }) else {
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        ready?.resume()
    }

    /// Waits until every client has received `version` (or a later one); `false` after `timeout`.
    func waitUntilEveryClient(reached version: Int, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let done = self.state.withLock { state in
                        if state.versions.allSatisfy({ ($0.last ?? 0) >= version }) { return true }
                        state.waiter = (version, continuation)
                        return false
                    }
                    if done { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Release the waiting child so the group can end.
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter?.continuation
                }
                waiter?.resume()
            }
            group.cancelAll()
            return first
        }
    }

    var versions: [[Int]] { state.withLock { $0.versions } }

    /// For each client, when it first received a version ≥ `version`.
    func arrivals(of version: Int) -> [ContinuousClock.Instant?] {
        state.withLock { state in
            zip(state.versions, state.arrivals).map { versions, arrivals in
                versions.firstIndex { $0 >= version }.map { arrivals[$0] }
            }
        }
    }
}

extension PostgresLiveTests {
    @Suite struct Failover {
        static let instanceExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("live-sessions-postgres").path
        static let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        static let nginxConfiguration = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/nginx.conf")
        static var canRun: Bool {
            nginx != nil && FileManager.default.isExecutableFile(atPath: instanceExecutable)
        }
        static let streamCount = Int(ProcessInfo.processInfo.environment["FAILOVER_STREAMS"] ?? "") ?? 500

        /// The established TCP connections whose local port is `port` (server side), from /proc/net/tcp.
        static func establishedConnections(toLocalPort port: Int) -> Int {
            // /proc files report a size of 0, so read until end of file rather than by size.
            guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else { return 0 }
            defer { try? handle.close() }
            let table = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            let suffix = ":" + String(format: "%04X", port)
            return table.split(separator: "\n").dropFirst().filter { line in
                let fields = line.split(separator: " ")
                return fields.count > 3 && fields[1].hasSuffix(suffix) && fields[3] == "01"
            }.count
        }

        /// Starts nginx with deploy/nginx.conf, its upstreams and port replaced.
        static func startNginx(upstreams: [Int]) async throws -> (ChildProcess, URL) {
            let prefix = FileManager.default.temporaryDirectory.appendingPathComponent(
                "nginx-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(
                at: prefix.appendingPathComponent("temp"), withIntermediateDirectories: true)
            let port = try freeLocalPort()
            var text = try String(contentsOf: nginxConfiguration, encoding: .utf8)
            text = text.replacingOccurrences(of: "127.0.0.1:8081", with: "127.0.0.1:\(upstreams[0])")
            text = text.replacingOccurrences(of: "127.0.0.1:8082", with: "127.0.0.1:\(upstreams[1])")
            text = text.replacingOccurrences(of: "listen 8080;", with: "listen 127.0.0.1:\(port);")
            let path = prefix.appendingPathComponent("nginx.conf").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let process = try ChildProcess(
                try #require(nginx), ["-p", prefix.path + "/", "-c", path, "-g", "daemon off; user root;"])
            let url = try #require(URL(string: "http://127.0.0.1:\(port)"))
            // nginx prints nothing when ready: wait until a request through it is answered.
            let client = RemoteClient(baseURL: url)
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if (try? await client.call(LiveSessionsFunctions.createSession, CreateSessionArguments(name: "probe")))
                    != nil
                {
                    return (process, url)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            process.terminate()
            throw PostgresError(kind: .poolTimeout, message: "nginx did not start")
        }

        @Test(
            "500 streams through nginx survive kill -9 of an instance: all resume on the other, nothing lost or duplicated",
            .enabled(
                if: canRun,
                "needs nginx and the live-sessions-postgres executable (swift build --package-path Postgres)"))
        func killAnInstance() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let channel = PostgresTestDatabase.uniqueName("failover")
            let portA = try freeLocalPort()
            let portB = try freeLocalPort()
            let instanceA = try ChildProcess(
                Self.instanceExecutable,
                ["--database", url, "--channel", channel, "--port", String(portA), "--pool-size", "4"])
            let instanceB = try ChildProcess(
                Self.instanceExecutable,
                ["--database", url, "--channel", channel, "--port", String(portB), "--pool-size", "4"])
            defer {
                instanceA.terminate(SIGKILL)
                instanceB.terminate(SIGKILL)
            }
            _ = try await instanceA.waitForLine(startingWith: "listening on ")
            _ = try await instanceB.waitForLine(startingWith: "listening on ")
            let (nginx, nginxURL) = try await Self.startNginx(upstreams: [portA, portB])
            defer { nginx.terminate(SIGQUIT) }

            // The 500 clients share one HTTPClientTransport (epoll, one thread). Not URLSession: on
            // Linux it spins on every open stream (see HTTPClientTransport), so 500 streams in one
            // process kept both cores busy and its reconnects queued behind the spin for up to 20 s.
            let transport = HTTPClientTransport()
            let client = RemoteClient(baseURL: nginxURL, transport: transport)
            let session = try await client.call(
                LiveSessionsFunctions.createSession, CreateSessionArguments(name: "Failover"))
            var entity = try await client.call(
                LiveSessionsFunctions.createEntity, CreateEntityArguments(sessionCode: session.code, title: "Card"))

            let board = VersionBoard(clients: Self.streamCount)
            let entityID = entity.id
            let streamCount = Self.streamCount
            let watchers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<streamCount {
                        group.addTask {
                            let watcher = RemoteClient(baseURL: nginxURL, transport: transport)
                            let stream = watcher.stream(
                                LiveSessionsFunctions.watchEntity, EntityIDArguments(entityID: entityID))
                            do {
                                for try await event in stream { board.record(client: index, version: event.version) }
                            } catch {}
                        }
                    }
                }
            }
            defer { watchers.cancel() }
            #expect(await board.waitUntilEveryClient(reached: 1, timeout: .seconds(60)), "every stream attached")

            func update(_ notes: String) async throws {
                let result = try await client.call(
                    LiveSessionsFunctions.updateEntity,
                    UpdateEntityArguments(
                        entityID: entity.id, changes: EntityChanges(notes: notes), baseVersion: entity.version))
                guard case .applied(let updated) = result else {
                    Issue.record("unexpected conflict")
                    return
                }
                entity = updated
            }
            try await update("before the crash")
            #expect(await board.waitUntilEveryClient(reached: 2, timeout: .seconds(30)))

            // least_conn spreads the streams: a good share of them must be on the instance we kill.
            let connectionsToA = Self.establishedConnections(toLocalPort: portA)
            print(
                "failover: \(connectionsToA) connections to instance A and \(Self.establishedConnections(toLocalPort: portB)) to B before the kill"
            )
            #expect(connectionsToA >= Self.streamCount / 4, "instance A carries streams")

            let killedAt = ContinuousClock.now
            instanceA.terminate(SIGKILL)
            try await update("after the crash")
            let everyoneBack = await board.waitUntilEveryClient(reached: 3, timeout: .seconds(30))
            #expect(everyoneBack, "every client received the update made after the crash")

            let delays = board.arrivals(of: 3).compactMap { $0.map { $0 - killedAt } }.sorted()
            let slowest = delays.last ?? .seconds(999)
            print(
                "failover: \(delays.count)/\(Self.streamCount) streams back; median \(delays[delays.count / 2]), slowest \(slowest)"
            )
            #expect(delays.count == Self.streamCount)
            // Issue 6: every client streaming again within 5 s of the kill. Measured on the shared
            // 2-core machine: slowest 0.32–0.55 s in 47 runs at load 2–13 (the first reconnect waits
            // the client's 250 ms ±20 % backoff, then lands on the survivor through nginx at once).
            #expect(slowest < .seconds(5), "every client is streaming again within 5 s of the kill")
            for versions in board.versions {
                #expect(versions == [1, 2, 3], "nothing lost, nothing duplicated: \(versions)")
            }
        }
    }
}
