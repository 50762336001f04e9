import Foundation
import RemoteFunctionsPostgres
import Testing

extension PostgresLiveTests {
    @Suite struct Pool {
        @Test("typed parameters round-trip and statements are prepared once per connection")
        func parametersAndPreparedStatements() async throws {
            let pool = PostgresPool(
                url: try PostgresTestDatabase.requireURL(), configuration: .init(maximumConnections: 1))
            let date = Date(timeIntervalSince1970: 1_796_399_761.123456)
            let row = try await pool.withConnection { connection in
                try connection.queryFirst(
                    "SELECT $1::int8, $2::float8, $3::bool, $4::text, $5::timestamptz, $6::bytea, $7::text",
                    [Int64.max, 2.5, true, "héllo 'quoted'", date, Data([0, 1, 254, 255]), String?.none]
                ) { row in
                    (
                        try row.int64(0), try row.double(1), try row.bool(2), try row.string(3), try row.date(4),
                        try row.data(5), row.optionalString(6)
                    )
                }
            }
            let values = try #require(row)
            #expect(values.0 == Int64.max)
            #expect(values.1 == 2.5)
            #expect(values.2 == true)
            #expect(values.3 == "héllo 'quoted'")
            #expect(abs(values.4.timeIntervalSince(date)) < 0.000_002)
            #expect(values.5 == Data([0, 1, 254, 255]))
            #expect(values.6 == nil)

            let counts = try await pool.withConnection { connection in
                let before = connection.preparedStatementCount
                for value in 0..<50 {
                    _ = try connection.queryFirst("SELECT $1::int8 + 1", [value]) { try $0.int(0) }
                }
                let afterLoop = connection.preparedStatementCount
                let server = try connection.queryFirst("SELECT count(*) FROM pg_prepared_statements") { try $0.int(0) }
                return (before, afterLoop, server, connection.preparedStatementCount)
            }
            #expect(counts.1 == counts.0 + 1, "50 runs of one statement prepare it once")
            #expect(counts.2 == counts.3, "the server holds exactly the statements the cache knows")
            await pool.close()
        }

        @Test("more concurrent jobs than connections all complete, on at most that many backends")
        func waitersQueue() async throws {
            let pool = PostgresPool(
                url: try PostgresTestDatabase.requireURL(), configuration: .init(maximumConnections: 3))
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            try connection.run("SELECT pg_sleep(0.01)")
                            return connection.backendPID
                        }
                    }
                }
                var pids: Set<Int32> = []
                for try await pid in group { pids.insert(pid) }
                return pids
            }
            #expect(pids.count <= 3)
            #expect(pids.count >= 1)
            await pool.close()
        }

        @Test("a transaction commits, a throwing one rolls back, a nested one rolls back alone")
        func transactions() async throws {
            let pool = PostgresPool(url: try PostgresTestDatabase.requireURL())
            let table = PostgresTestDatabase.uniqueName("items")
            try await pool.withConnection {
                try $0.execute("CREATE TABLE \(table) (id int8 PRIMARY KEY, title text NOT NULL)")
            }

            try await pool.transaction { connection in
                try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [1, "one"])
                try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [2, "two"])
            }
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await pool.transaction(isolation: .serializable) { connection in
                    try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [3, "three"])
                    throw Abort()
                }
            }
            try await pool.transaction { connection in
                try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [4, "four"])
                _ = try? connection.transaction { connection in
                    try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [5, "five"])
                    throw Abort()
                }
            }
            let ids = try await pool.withConnection { connection in
                try connection.query("SELECT id FROM \(table) ORDER BY id") { try $0.int(0) }
            }
            #expect(ids == [1, 2, 4])

            // A constraint violation carries its SQLSTATE; a swallowed failure cannot commit.
            let duplicate = await #expect(throws: PostgresError.self) {
                try await pool.withConnection { try $0.run("INSERT INTO \(table) VALUES ($1, $2)", [1, "again"]) }
            }
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.isConstraintViolation == true)
            let aborted = await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try connection.run("INSERT INTO \(table) VALUES ($1, $2)", [6, "six"])
                    _ = try? connection.run("INSERT INTO \(table) VALUES ($1, $2)", [1, "again"])
                }
            }
            #expect(aborted?.kind == .transactionAborted)
            let count = try await pool.withConnection { connection in
                try connection.queryFirst("SELECT count(*) FROM \(table)") { try $0.int(0) }
            }
            #expect(count == 3)
            try await pool.withConnection { try $0.execute("DROP TABLE \(table)") }
            await pool.close()
        }

        @Test("a job that leaves a transaction open does not leak it into the next job")
        func openTransactionIsRolledBack() async throws {
            let pool = PostgresPool(
                url: try PostgresTestDatabase.requireURL(), configuration: .init(maximumConnections: 1))
            try await pool.withConnection { try $0.execute("BEGIN; CREATE TEMP TABLE leaked (id int)") }
            let inTransaction = try await pool.withConnection { $0.isInTransaction }
            #expect(!inTransaction)
            let exists = try await pool.withConnection { connection in
                try connection.queryFirst("SELECT to_regclass('pg_temp.leaked') IS NOT NULL") { try $0.bool(0) }
            }
            #expect(exists == false)
            await pool.close()
        }

        @Test("a pool connection killed by pg_terminate_backend is replaced before the next job")
        func reconnectsAfterTermination() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let pool = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            let admin = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            let first = try await pool.withConnection { $0.backendPID }
            let terminated = try await admin.withConnection { connection in
                try connection.queryFirst("SELECT pg_terminate_backend($1::int4, 10000)", [first]) { try $0.bool(0) }
            }
            #expect(terminated == true)
            // The timeout argument makes pg_terminate_backend wait until the backend has exited,
            // so its termination notice and close have been sent. The pool notices before the
            // next job (the idle socket is readable) and reconnects.
            let second = try await pool.withConnection { connection in
                try connection.queryFirst("SELECT pg_backend_pid()") { try $0.int(0) }
            }
            #expect(second != nil)
            #expect(second.map(Int32.init) != first)
            await pool.close()
            await admin.close()
        }

        @Test("cancelling the task of a running statement cancels it on the server; the connection serves the next job")
        func cancelRunningStatement() async throws {
            let url = try PostgresTestDatabase.requireURL()
            let pool = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            let admin = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            let marker = "cancel-test-\(UInt32.random(in: 0...UInt32.max))"
            let started = ContinuousClock.now
            let sleeper = Task {
                try await pool.withConnection { connection in
                    try connection.run("SELECT pg_sleep(60) -- \(marker)")
                }
            }
            // No signal tells when the statement runs on the server: poll pg_stat_activity.
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let active = try await admin.withConnection { connection in
                    try connection.queryFirst(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1",
                        ["%\(marker)%"]
                    ) { try $0.int(0) }
                }
                if active == 1 { break }
                try #require(ContinuousClock.now < deadline, "the statement never started")
                try await Task.sleep(for: .milliseconds(20))
            }
            sleeper.cancel()
            let outcome = await sleeper.result
            #expect(throws: CancellationError.self) { try outcome.get() }
            #expect(ContinuousClock.now - started < .seconds(30), "the 60 s statement was cut short")
            let next = try await pool.withConnection { connection in
                try connection.queryFirst("SELECT 41 + 1") { try $0.int(0) }
            }
            #expect(next == 42)
            await pool.close()
            await admin.close()
        }

        @Test("a closed pool refuses work and an unreachable server is a connection failure")
        func closedAndUnreachable() async throws {
            let pool = PostgresPool(url: try PostgresTestDatabase.requireURL())
            await pool.close()
            let closed = await #expect(throws: PostgresError.self) { try await pool.withConnection { _ in 1 } }
            #expect(closed?.kind == .poolClosed)

            let unreachable = PostgresPool(
                options: PostgresConnectionOptions(url: "postgres://nobody@127.0.0.1:1/none", connectTimeoutSeconds: 2))
            let failed = await #expect(throws: PostgresError.self) { try await unreachable.withConnection { _ in 1 } }
            #expect(failed?.isConnectionFailure == true)
            await unreachable.close()
        }
    }
}
