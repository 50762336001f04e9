import Foundation
import Testing

@testable import RemoteFunctionsSQLite

@Suite("SQLite database layer")
struct SQLiteDatabaseTests {
    private func withDatabase(_ body: (SQLiteDatabase, TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase(
            path: directory.url.appendingPathComponent("nested/dir/test.sqlite").path)
        do {
            try await body(database, directory)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    @Test("opening creates the directories and sets WAL, synchronous NORMAL and foreign keys")
    func openSetsPragmas() async throws {
        try await withDatabase { database, directory in
            #expect(
                FileManager.default.fileExists(
                    atPath: directory.url.appendingPathComponent("nested/dir/test.sqlite").path))
            let journal = try await database.write { try $0.queryFirst("PRAGMA journal_mode") { $0.string(0) } }
            #expect(journal == "wal")
            let synchronous = try await database.write { try $0.queryFirst("PRAGMA synchronous") { $0.int(0) } }
            #expect(synchronous == 1)
            let foreignKeys = try await database.read { try $0.queryFirst("PRAGMA foreign_keys") { $0.int(0) } }
            #expect(foreignKeys == 1)
        }
    }

    @Test("work runs on the database's own threads, never on the caller's")
    func workRunsOnDedicatedThreads() async throws {
        try await withDatabase { database, _ in
            #expect(!SQLiteThreadMarker.isDatabaseThread)
            let writerMarked = try await database.write { _ in SQLiteThreadMarker.isDatabaseThread }
            let readerMarked = try await database.read { _ in SQLiteThreadMarker.isDatabaseThread }
            #expect(writerMarked)
            #expect(readerMarked)
            let writerThreads = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await database.write { _ in UInt(bitPattern: Int(bitPattern: pthread_self())) }
                    }
                }
                return try await group.reduce(into: Set<UInt>()) { $0.insert($1) }
            }
            #expect(writerThreads.count == 1, "every write runs on the one writer thread")
        }
    }

    @Test("typed values round-trip through bindings and columns")
    func valuesRoundTrip() async throws {
        try await withDatabase { database, _ in
            let date = Date(timeIntervalSince1970: 1_764_863_160.123)
            let blob = Data([0, 1, 2, 255])
            try await database.write { connection in
                try connection.execute(
                    "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, d INTEGER, iso TEXT)")
                try connection.run(
                    "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [Int64.max, 2.5, "héllo 👋", blob, String?.none, date, SQLiteValue.iso8601(date)])
            }
            let row = try await database.read { connection in
                try connection.queryFirst("SELECT i, r, s, b, n, d, iso FROM t") { row in
                    (
                        row.int64(0), row.double(1), row.string(2), row.data(3), row.optionalString(4), row.isNull(4),
                        row.date(5), row.date(6), row.value(2)
                    )
                }
            }
            let values = try #require(row)
            #expect(values.0 == Int64.max)
            #expect(values.1 == 2.5)
            #expect(values.2 == "héllo 👋")
            #expect(values.3 == blob)
            #expect(values.4 == nil)
            #expect(values.5)
            #expect(abs(values.6.timeIntervalSince(date)) < 0.0005)
            #expect(abs(values.7.timeIntervalSince(date)) < 0.002)  // ISO text keeps milliseconds
            #expect(values.8 == .text("héllo 👋"))
        }
    }

    @Test("a transaction that throws rolls back every statement in it")
    func transactionRollsBack() async throws {
        struct Abort: Error {}
        try await withDatabase { database, _ in
            try await database.write { try $0.execute("CREATE TABLE t (v INTEGER)") }
            await #expect(throws: Abort.self) {
                try await database.transaction { connection in
                    try connection.run("INSERT INTO t VALUES (1)")
                    try connection.run("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            try await database.transaction { try $0.run("INSERT INTO t VALUES (3)") }
            let values = try await database.read { try $0.query("SELECT v FROM t") { $0.int(0) } }
            #expect(values == [3])
        }
    }

    @Test("a nested transaction rolls back alone through a savepoint")
    func nestedTransactionUsesSavepoint() async throws {
        struct Abort: Error {}
        try await withDatabase { database, _ in
            try await database.write { try $0.execute("CREATE TABLE t (v INTEGER)") }
            try await database.transaction { connection in
                try connection.run("INSERT INTO t VALUES (1)")
                _ = try? connection.transaction { inner in
                    try inner.run("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            let values = try await database.read { try $0.query("SELECT v FROM t") { $0.int(0) } }
            #expect(values == [1])
        }
    }

    @Test("migrations apply once, in order, and are skipped on restart")
    func migrationsAreIdempotent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("m.sqlite").path
        let migrations = [
            SQLiteMigration(version: 2, sql: "ALTER TABLE notes ADD COLUMN author TEXT"),
            SQLiteMigration(version: 1, sql: "CREATE TABLE notes (body TEXT NOT NULL)"),
        ]
        let first = try await SQLiteDatabase(path: path)
        #expect(try await first.migrate(migrations) == [1, 2])
        #expect(try await first.migrate(migrations) == [])
        try await first.write { try $0.run("INSERT INTO notes (body, author) VALUES ('kept', 'me')") }
        await first.close()

        let second = try await SQLiteDatabase(path: path)
        #expect(try await second.migrate(migrations) == [])
        let added = SQLiteMigration(version: 3, sql: "CREATE INDEX notes_author ON notes (author)")
        #expect(try await second.migrate(migrations + [added]) == [3])
        #expect(try await second.appliedMigrationVersions() == [1, 2, 3])
        let body = try await second.read { try $0.queryFirst("SELECT body FROM notes") { $0.string(0) } }
        #expect(body == "kept")
        await second.close()
    }

    @Test("a failing migration leaves nothing applied")
    func failingMigrationRollsBack() async throws {
        try await withDatabase { database, _ in
            let migrations = [
                SQLiteMigration(version: 1, sql: "CREATE TABLE ok (v INTEGER)"),
                SQLiteMigration(version: 2, sql: "CREATE TABLE broken (v INTEGER"),
            ]
            await #expect(throws: SQLiteError.self) { try await database.migrate(migrations) }
            #expect(try await database.appliedMigrationVersions() == [])
            let tables = try await database.read {
                try $0.query("SELECT name FROM sqlite_master WHERE name = 'ok'") { $0.string(0) }
            }
            #expect(tables.isEmpty)
        }
    }

    @Test("two migrations with one version are refused")
    func duplicateMigrationVersionsAreRefused() async throws {
        try await withDatabase { database, _ in
            await #expect(throws: SQLiteError.self) {
                try await database.migrate([
                    SQLiteMigration(version: 1, sql: "CREATE TABLE a (v)"),
                    SQLiteMigration(version: 1, sql: "CREATE TABLE b (v)"),
                ])
            }
        }
    }

    @Test("errors carry the SQLite result code and a loggable message without bound values")
    func errorsAreTyped() async throws {
        try await withDatabase { database, _ in
            try await database.write { try $0.execute("CREATE TABLE u (v TEXT UNIQUE)") }
            try await database.write { try $0.run("INSERT INTO u VALUES (?)", ["secret-value"]) }
            let error = await #expect(throws: SQLiteError.self) {
                try await database.write { try $0.run("INSERT INTO u VALUES (?)", ["secret-value"]) }
            }
            #expect(error?.isConstraintViolation == true)
            #expect(error?.extendedResultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
            #expect(error?.message.contains("secret-value") == false)
        }
    }

    @Test("reader connections refuse writes")
    func readersAreReadOnly() async throws {
        try await withDatabase { database, _ in
            try await database.write { try $0.execute("CREATE TABLE t (v INTEGER)") }
            await #expect(throws: SQLiteError.self) {
                try await database.read { try $0.run("INSERT INTO t VALUES (1)") }
            }
        }
    }

    @Test("a read sees one snapshot while a write commits concurrently")
    func readsSeeOneSnapshot() async throws {
        try await withDatabase { database, _ in
            try await database.write { connection in
                try connection.execute("CREATE TABLE t (v INTEGER)")
                try connection.run("INSERT INTO t VALUES (1)")
            }
            let (readStarted, readStartedContinuation) = AsyncStream<Void>.makeStream()
            let writeDoneSemaphore = DispatchSemaphore(value: 0)
            async let counts: (Int, Int) = database.read { connection in
                let before = try connection.queryFirst("SELECT count(*) FROM t") { $0.int(0) } ?? -1
                readStartedContinuation.yield()
                // Block this reader thread until the writer has committed.
                writeDoneSemaphore.wait()
                let after = try connection.queryFirst("SELECT count(*) FROM t") { $0.int(0) } ?? -1
                return (before, after)
            }
            for await _ in readStarted { break }
            try await database.write { try $0.run("INSERT INTO t VALUES (2)") }
            writeDoneSemaphore.signal()
            let (before, after) = try await counts
            #expect(before == 1)
            #expect(after == 1)
            let now = try await database.read { try $0.queryFirst("SELECT count(*) FROM t") { $0.int(0) } }
            #expect(now == 2)
        }
    }

    @Test("cancelling the caller interrupts a long read")
    func cancellationInterruptsRead() async throws {
        try await withDatabase { database, _ in
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let task = Task {
                try await database.read { connection in
                    startedContinuation.yield()
                    return try connection.queryFirst(
                        """
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
                        SELECT count(*) FROM n
                        """
                    ) { $0.int(0) }
                }
            }
            for await _ in started { break }
            task.cancel()
            let error = await #expect(throws: SQLiteError.self) { try await task.value }
            #expect(error?.isInterrupted == true)
        }
    }

    @Test("a closed database refuses work")
    func closedDatabaseRefusesWork() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await SQLiteDatabase(path: directory.url.appendingPathComponent("c.sqlite").path)
        await database.close()
        await #expect(throws: SQLiteError.closed) { try await database.read { _ in 1 } }
        await #expect(throws: SQLiteError.closed) { try await database.write { _ in 1 } }
    }
}
