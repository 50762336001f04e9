import Foundation
import LiveSessionsServer
import RemoteFunctionsHTTP
import RemoteFunctionsHTTPTransport
import RemoteFunctionsLive
import RemoteFunctionsServer
import Synchronization

/// `live-sessions serve`: the demo server on SQLite, with the web app.
struct ServeCommand {
    var options: LiveSessionsCommand.ServeOptions

    func run() async throws {
        // Every commit is published to the change feed that drives the live streams.
        let feed = ChangeFeed()
        let store = try await LiveSessionsStore.open(
            dataDirectory: options.dataDirectory, onCommit: { topics in feed.publish(topics) })
        let liveQueries = LiveQueries(feed: feed)
        if let count = options.seedLargeCount {
            let started = ContinuousClock.now
            let session = try await store.seedLargeSession(participantCount: count)
            let seconds = Self.seconds(ContinuousClock.now - started)
            Self.printFlushed(
                "seeded session \(session.code) with \(count) participants in \(String(format: "%.1f", seconds)) s")
        }

        let server = RemoteServer(configuration: .init(logger: .standardError(minimumLevel: .warning)))
        server.addMetricsSource(liveQueries.metrics)
        LiveSessionsApp(store: store, liveQueries: liveQueries).register(on: server)

        var simulation: Task<Void, Never>?
        if options.simulate {
            let simulator = LiveSessionsSimulator(store: store)
            let session = try await simulator.prepareSession()
            Self.printFlushed("simulating participants in session \(session.code) (\(session.name))")
            simulation = Task { await simulator.run() }
        }

        // Room for the 10 000 viewers of one session that the live streams are built for, plus
        // the calls beside them (the HTTP core's default is 10 000 connections in all).
        let transport = HTTPServerTransport(
            host: options.host, port: options.port, staticFilesDirectory: LiveSessionsResources.publicDirectory?.path,
            configuration: HTTPServerConfiguration(maxConnections: 16_384)
        ) { address in
            Self.printFlushed("listening on \(address.host):\(address.port)")
        }

        // The first SIGINT/SIGTERM drains gracefully; a second one exits at once.
        let signalCount = Mutex(0)
        let signals = ShutdownSignals { _ in
            let count = signalCount.withLock { count in
                count += 1
                return count
            }
            if count == 1 {
                Self.printFlushed("shutting down")
                server.beginGracefulShutdown()
            } else {
                exit(130)
            }
        }
        defer { signals.cancel() }

        do {
            try await server.run(on: transport)
        } catch {
            simulation?.cancel()
            await store.close()
            throw error
        }
        simulation?.cancel()
        await simulation?.value
        await store.close()
    }

    /// Prints a line and flushes standard output at once, so that a script waiting for it (such
    /// as `listening on …`) sees it even when the output is a pipe.
    static func printFlushed(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
