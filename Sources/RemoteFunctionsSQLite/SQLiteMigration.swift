/// One step of a database schema: a version number and the SQL that moves the schema from the
/// previous version to this one.
///
/// Migrations are applied by ``SQLiteDatabase/migrate(_:)`` in ascending version order, each
/// exactly once; applied versions are recorded in the table `schema_migrations`. Never edit a
/// migration that has shipped: add a new one.
public struct SQLiteMigration: Sendable, Hashable {
    /// The schema version this migration produces; unique and positive.
    public var version: Int
    /// One or more SQL statements separated by `;`.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}
