import Testing

/// Every test that talks to a real PostgreSQL server lives in a suite nested in this one. They
/// run one after another (`.serialized` applies to nested suites too) because one of them
/// restarts the server. Skipped when `REMOTE_FUNCTIONS_POSTGRES_URL` is unset; see
/// ``PostgresTestDatabase``.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.isAvailable, PostgresTestDatabase.skipMessage))
struct PostgresLiveTests {}
