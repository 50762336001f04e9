public import RemoteFunctionsSQLite

/// The schema of the LiveSessions database, as ordered migrations.
///
/// Dates are integer milliseconds since 1970. Ids come from `AUTOINCREMENT`, so they only grow and
/// are never reused: keyset pagination by id stays stable while rows are inserted, and "newest"
/// means "highest id". The PostgreSQL adapter mirrors these versions one for one.
public enum LiveSessionsSchema {
    /// Every migration, oldest first.
    public static let migrations: [SQLiteMigration] = [
        SQLiteMigration(
            version: 1,
            sql: """
                CREATE TABLE sessions (
                    code TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX sessions_created_at ON sessions (created_at);

                CREATE TABLE participants (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'idle', 'away')),
                    joined_at INTEGER NOT NULL
                );
                CREATE INDEX participants_session_id ON participants (session_code, id);
                CREATE INDEX participants_session_status ON participants (session_code, status);

                CREATE TABLE participant_events (
                    id INTEGER PRIMARY KEY,
                    session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    participant_id INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('join', 'leave', 'status')),
                    at INTEGER NOT NULL
                );
                CREATE INDEX participant_events_session_kind ON participant_events (session_code, kind, at);

                CREATE TABLE entities (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    notes TEXT NOT NULL DEFAULT '',
                    status TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
                    version INTEGER NOT NULL CHECK (version >= 1),
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX entities_session_id ON entities (session_code, id);
                """)
    ]
}
