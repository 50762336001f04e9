/// One step of a schema: a version number and the SQL that brings the schema from the previous
/// version to this one.
///
/// Versions are applied in ascending order and recorded in the `schema_migrations` table, so
/// each runs exactly once per database. The LiveSessions schema uses the same version numbers
/// on SQLite and PostgreSQL: version N means the same tables and columns on both, written in
/// each engine's dialect.
public struct PostgresMigration: Sendable, Hashable {
    /// The version this step produces; positive and unique within a list of migrations.
    public var version: Int
    /// A short description recorded next to the version, such as `create sessions`.
    public var name: String
    /// One or more statements separated by `;`, run in one transaction with the recording.
    public var sql: String

    /// Creates a migration step.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
