import RemoteFunctionsPostgres
import Testing

extension PostgresLiveTests {
    @Suite struct Migrations {
        @Test("migrations apply once, in order, and running them again does nothing")
        func idempotent() async throws {
            let url = try PostgresTestDatabase.requireURL()
            // A database of its own, so schema_migrations starts empty.
            let database = PostgresTestDatabase.uniqueName("migrations")
            let admin = PostgresPool(url: url, configuration: .init(maximumConnections: 1))
            try await admin.withConnection { try $0.execute("CREATE DATABASE \(database)") }
            let pool = PostgresPool(url: Self.url(url, database: database), configuration: .init(maximumConnections: 4))

            let migrations = [
                PostgresMigration(
                    version: 2, name: "add notes", sql: "ALTER TABLE cards ADD COLUMN notes text NOT NULL DEFAULT ''"),
                PostgresMigration(
                    version: 1, name: "create cards",
                    sql: "CREATE TABLE cards (id bigserial PRIMARY KEY, title text NOT NULL)"),
            ]
            // Four instances starting at once: the advisory lock makes one apply and the rest wait.
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 { group.addTask { try await pool.migrate(migrations) } }
                var results: [[Int]] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.flatMap { $0 }.sorted() == [1, 2])
            #expect(try await pool.migrate(migrations) == [])
            #expect(try await pool.appliedMigrationVersions() == [1, 2])

            let third =
                migrations + [
                    PostgresMigration(version: 3, name: "index", sql: "CREATE INDEX cards_title ON cards (title)")
                ]
            #expect(try await pool.migrate(third) == [3])
            #expect(try await pool.appliedMigrationVersions() == [1, 2, 3])

            let broken =
                third + [PostgresMigration(version: 4, name: "broken", sql: "ALTER TABLE missing ADD COLUMN x int")]
            await #expect(throws: PostgresError.self) { try await pool.migrate(broken) }
            #expect(try await pool.appliedMigrationVersions() == [1, 2, 3])

            await pool.close()
            try await admin.withConnection { try $0.execute("DROP DATABASE \(database)") }
            await admin.close()
        }

        static func url(_ url: String, database: String) -> String {
            guard let slash = url.lastIndex(of: "/") else { return url }
            return url[..<slash] + "/" + database
        }
    }
}
