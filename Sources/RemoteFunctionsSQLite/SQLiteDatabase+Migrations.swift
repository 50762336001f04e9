internal import CSQLite
import Foundation

extension SQLiteDatabase {
    /// Brings the schema up to date: applies, in ascending version order and in one
    /// transaction, every migration whose version is not yet recorded in `schema_migrations`,
    /// and records them. Safe to call at every start: already-applied versions are skipped.
    ///
    /// - Returns: the versions applied by this call, in order (empty when the schema was
    ///   current).
    /// - Throws: ``SQLiteError`` when two migrations share a version, when a version is not
    ///   positive, or when a migration fails; nothing is applied then.
    @discardableResult
    public func migrate(_ migrations: [SQLiteMigration]) async throws -> [Int] {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw SQLiteError(resultCode: SQLITE_MISUSE, message: "two migrations have version \(next.version)")
        }
        if let first = sorted.first, first.version <= 0 {
            throw SQLiteError(resultCode: SQLITE_MISUSE, message: "migration versions must be positive")
        }
        return try await transaction { connection in
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at INTEGER NOT NULL
                )
                """)
            let applied = Set(try connection.query("SELECT version FROM schema_migrations") { $0.int(0) })
            var appliedNow: [Int] = []
            for migration in sorted where !applied.contains(migration.version) {
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    [migration.version, Date()])
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
    }

    /// The versions recorded in `schema_migrations`, ascending (empty for a new database).
    public func appliedMigrationVersions() async throws -> [Int] {
        try await read { connection in
            let exists =
                try connection.queryFirst(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                ) { _ in true } ?? false
            guard exists else { return [] }
            return try connection.query("SELECT version FROM schema_migrations ORDER BY version") { $0.int(0) }
        }
    }
}
