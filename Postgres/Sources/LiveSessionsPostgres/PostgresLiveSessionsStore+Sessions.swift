public import LiveSessionsAPI
import LiveSessionsServer
import RemoteFunctions
import RemoteFunctionsPostgres

extension PostgresLiveSessionsStore {
    /// Creates a session with a fresh random code.
    public func createSession(name: String) async throws -> Session {
        let name = try LiveSessionsRules.name(
            name, field: "name", maximumLength: LiveSessionsRules.maximumSessionNameLength)
        let now = LiveSessionsRules.millisecondPrecision(clock())
        return try await write { connection in
            // A collision among ~10⁹ codes is rare; retry a few times rather than fail.
            for _ in 0..<16 {
                let code = LiveSessionsRules.makeSessionCode()
                let inserted = try connection.run(
                    "INSERT INTO sessions (code, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
                    [code, name, PostgresLiveSessionsRows.milliseconds(now)])
                if inserted == 1 {
                    let session = Session(code: code, name: name, createdAt: now)
                    return (session, topics: [LiveSessionsStore.sessionsTopic, LiveSessionsStore.sessionTopic(code)])
                }
            }
            throw RemoteError(.unavailable, "could not allocate a session code; try again")
        }
    }

    /// The session with this code; `not_found` when there is none.
    public func session(code: String) async throws -> Session {
        let code = LiveSessionsRules.sessionCode(code)
        return try await read { connection in try Self.requireSession(connection, code: code) }
    }

    /// The most recently created session, or `nil` when there is none.
    public func latestSession() async throws -> Session? {
        try await read { connection in
            try connection.queryFirst(
                "SELECT \(PostgresLiveSessionsRows.sessionColumns) FROM sessions ORDER BY created_at DESC, code DESC LIMIT 1",
                [], PostgresLiveSessionsRows.session)
        }
    }

    static func requireSession(_ connection: PostgresConnection, code: String) throws -> Session {
        guard
            let session = try connection.queryFirst(
                "SELECT \(PostgresLiveSessionsRows.sessionColumns) FROM sessions WHERE code = $1", [code],
                PostgresLiveSessionsRows.session)
        else {
            throw RemoteError(.notFound, "no session has the code '\(code.prefix(16))'")
        }
        return session
    }
}
