public import RemoteFunctionsPostgres

/// The LiveSessions schema on PostgreSQL, version for version the same as the SQLite schema
/// (`LiveSessionsSchema`): the same tables, columns and constraints, written in PostgreSQL's
/// dialect. Dates are `bigint` milliseconds since 1970, as on SQLite; ids come from sequences
/// (`bigserial`), so they only grow and are never reused, which keyset pagination relies on.
public enum PostgresLiveSessionsSchema {
    /// Every migration, oldest first.
    public static let migrations: [PostgresMigration] = [
        PostgresMigration(
            version: 1, name: "sessions, participants, participant events, entities",
            sql: """
                CREATE TABLE sessions (
                    code text PRIMARY KEY,
                    name text NOT NULL,
                    created_at bigint NOT NULL
                );
                CREATE INDEX sessions_created_at ON sessions (created_at);

                CREATE TABLE participants (
                    id bigserial PRIMARY KEY,
                    session_code text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    name text NOT NULL,
                    status text NOT NULL CHECK (status IN ('active', 'idle', 'away')),
                    joined_at bigint NOT NULL
                );
                CREATE INDEX participants_session_id ON participants (session_code, id);
                CREATE INDEX participants_session_status ON participants (session_code, status);

                CREATE TABLE participant_events (
                    id bigserial PRIMARY KEY,
                    session_code text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    participant_id bigint NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('join', 'leave', 'status')),
                    at bigint NOT NULL
                );
                CREATE INDEX participant_events_session_kind ON participant_events (session_code, kind, at);

                CREATE TABLE entities (
                    id bigserial PRIMARY KEY,
                    session_code text NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
                    title text NOT NULL,
                    notes text NOT NULL DEFAULT '',
                    status text NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
                    version bigint NOT NULL CHECK (version >= 1),
                    updated_at bigint NOT NULL
                );
                CREATE INDEX entities_session_id ON entities (session_code, id);
                """)
    ]
}
