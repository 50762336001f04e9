import Dispatch
import RemoteFunctionsPostgres
import Testing

extension PostgresLiveTests {
    @Suite struct ChangeListener {
        /// A listener on a channel of its own, recording changes and resyncs.
        struct Harness {
            let channel: String
            let changes = Recorder<PostgresChange>()
            let resyncs = Recorder<Int>()
            let listener: PostgresChangeListener

            init(url: String) throws {
                channel = PostgresTestDatabase.uniqueName("changes")
                let changes = changes
                let resyncs = resyncs
                listener = try PostgresChangeListener(
                    options: PostgresConnectionOptions(url: url),
                    configuration: .init(channels: [channel], healthCheckInterval: .seconds(1)),
                    onChange: { changes.append($0) },
                    onResync: { resyncs.append(1) })
            }

            var backendPID: Int32? {
                if case .listening(let pid) = listener.state { return pid }
                return nil
            }
        }

        @Test("a change published in a transaction is delivered only after the commit, never after a rollback")
        func deliveredOnCommitOnly() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let harness = try Harness(url: url)
            harness.listener.start()
            #expect(await harness.resyncs.waitFor(count: 1) != nil, "the listener starts listening")
            let pool = PostgresPool(url: url, configuration: .init(maximumConnections: 2))
            let channel = harness.channel

            // The writer publishes inside its transaction, then holds the transaction open until
            // the test has seen a later, already-committed marker arrive.
            let published = Recorder<Int>()
            let gate = DispatchSemaphore(value: 0)
            let writer = Task {
                try await pool.transaction { connection in
                    try connection.publish(PostgresChange(topic: "entity:1", version: 1), channel: channel)
                    published.append(1)
                    _ = gate.wait(timeout: .now() + 30)
                }
            }
            #expect(await published.waitFor(count: 1) != nil)
            try await pool.withConnection {
                try $0.publish(PostgresChange(topic: "marker", version: 1), channel: channel)
            }
            let beforeCommit = try #require(await harness.changes.waitFor(count: 1))
            #expect(beforeCommit.map(\.topics.first) == ["marker"], "nothing of the open transaction is delivered")
            gate.signal()
            try await writer.value
            let afterCommit = try #require(await harness.changes.waitFor(count: 2))
            #expect(afterCommit.map(\.topics.first) == ["marker", "entity:1"])

            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await pool.transaction { connection in
                    try connection.publish(PostgresChange(topic: "entity:rolled-back", version: 2), channel: channel)
                    throw Abort()
                }
            }
            try await pool.withConnection {
                try $0.publish(PostgresChange(topic: "marker", version: 2), channel: channel)
            }
            let afterRollback = try #require(await harness.changes.waitFor(count: 3))
            #expect(afterRollback.map(\.topics.first) == ["marker", "entity:1", "marker"])
            #expect(afterRollback.last?.version == 2)

            await harness.listener.stop()
            #expect(harness.listener.state == .stopped)
            await pool.close()
        }

        @Test("a listener whose backend is terminated reconnects, resyncs and receives again")
        func reconnectsAfterTermination() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let harness = try Harness(url: url)
            harness.listener.start()
            #expect(await harness.resyncs.waitFor(count: 1) != nil)
            let firstPID = try #require(harness.backendPID)
            let pool = PostgresPool(url: url, configuration: .init(maximumConnections: 1))

            let terminated = try await pool.withConnection { connection in
                try connection.queryFirst("SELECT pg_terminate_backend($1::int4, 10000)", [firstPID]) { try $0.bool(0) }
            }
            #expect(terminated == true)
            #expect(await harness.resyncs.waitFor(count: 2) != nil, "onResync is called after reconnecting")
            let secondPID = try #require(harness.backendPID)
            #expect(secondPID != firstPID)

            try await pool.withConnection {
                try $0.publish(PostgresChange(topic: "after", version: 7), channel: harness.channel)
            }
            let changes = try #require(await harness.changes.waitFor(count: 1))
            #expect(changes == [PostgresChange(topic: "after", version: 7)])
            await harness.listener.stop()
            await pool.close()
        }

        @Test(
            "after a full PostgreSQL restart the listener and the pool reconnect",
            .enabled(if: PostgresTestDatabase.canRestart, "needs a cluster started by scripts/postgres-test-cluster.sh")
        )
        func reconnectsAfterServerRestart() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let harness = try Harness(url: url)
            harness.listener.start()
            #expect(await harness.resyncs.waitFor(count: 1) != nil)
            let pool = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            _ = try await pool.withConnection { $0.backendPID }

            try PostgresTestDatabase.runClusterScript("restart")

            #expect(await harness.resyncs.waitFor(count: 2) != nil, "onResync is called after the restart")
            // The pool's idle connection was closed by the restart; the next job reconnects.
            try await pool.withConnection {
                try $0.publish(PostgresChange(topic: "restarted", version: 1), channel: harness.channel)
            }
            let changes = try #require(await harness.changes.waitFor(count: 1))
            #expect(changes.map(\.topics) == [["restarted"]])
            await harness.listener.stop()
            await pool.close()
        }

        @Test("stop() ends a listener that keeps failing to connect, without a resync")
        func stopWhileDisconnected() async throws {
            let resyncs = Recorder<Int>()
            let listener = try PostgresChangeListener(
                options: PostgresConnectionOptions(url: "postgres://nobody@127.0.0.1:1/none", connectTimeoutSeconds: 1),
                configuration: .init(maximumReconnectDelay: .seconds(60)),
                onChange: { _ in }, onResync: { resyncs.append(1) })
            listener.start()
            await listener.stop()
            #expect(listener.state == .stopped)
            #expect(resyncs.values.isEmpty)
        }
    }
}
