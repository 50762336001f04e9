extension PostgresPool {
    /// A fixed key for `pg_advisory_xact_lock`, so that instances starting at the same time
    /// apply migrations one after the other.
    static let migrationLockKey: Int64 = 0x5246_4D49_4752  // "RFMIGR"

    /// Brings the schema up to date and returns the versions that were applied now (empty when
    /// the database was already current).
    ///
    /// Creates `schema_migrations (version, name, applied_at)` when missing, then applies every
    /// migration whose version is not recorded yet, in ascending order, each in its own
    /// transaction together with its record. The whole check-and-apply runs under a
    /// transaction-level advisory lock, so several instances starting at once are safe: the
    /// first applies, the others wait and then find nothing to do. Running it again is a no-op.
    @discardableResult
    public func migrate(_ migrations: [PostgresMigration]) async throws -> [Int] {
        let ordered = migrations.sorted { $0.version < $1.version }
        guard Set(ordered.map(\.version)).count == ordered.count, ordered.allSatisfy({ $0.version > 0 }) else {
            throw PostgresError(kind: .invalidArgument, message: "migration versions must be positive and unique")
        }
        return try await withConnection { connection in
            try connection.transaction { connection in
                try connection.run("SELECT pg_advisory_xact_lock($1)", [Self.migrationLockKey])
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
            }
            var applied: [Int] = []
            for migration in ordered {
                let didApply = try connection.transaction { connection in
                    try connection.run("SELECT pg_advisory_xact_lock($1)", [Self.migrationLockKey])
                    let exists =
                        try connection.queryFirst(
                            "SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]
                        ) { _ in true } ?? false
                    guard !exists else { return false }
                    try connection.execute(migration.sql)
                    try connection.run(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        [migration.version, migration.name])
                    return true
                }
                if didApply { applied.append(migration.version) }
            }
            return applied
        }
    }

    /// The versions recorded in `schema_migrations`, ascending (empty when the table is missing).
    public func appliedMigrationVersions() async throws -> [Int] {
        try await withConnection { connection in
            let exists = try connection.queryFirst("SELECT to_regclass('schema_migrations') IS NOT NULL") {
                try $0.bool(0)
            }
            guard exists == true else { return [] }
            return try connection.query("SELECT version FROM schema_migrations ORDER BY version") { try $0.int(0) }
        }
    }
}
