/// The isolation level of a transaction (PostgreSQL's `BEGIN ISOLATION LEVEL …`).
public enum PostgresIsolationLevel: String, Sendable, Hashable, CaseIterable {
    /// Each statement sees the data committed before it began (PostgreSQL's default).
    case readCommitted = "READ COMMITTED"
    /// Every statement sees one snapshot taken at the first statement; a concurrent update of the
    /// same row fails with a serialization failure.
    case repeatableRead = "REPEATABLE READ"
    /// As if transactions ran one at a time; conflicting ones fail with SQLSTATE `40001`.
    case serializable = "SERIALIZABLE"
}
