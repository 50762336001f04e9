public import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsSQLite

extension LiveSessionsStore {
    /// Creates a session with a fresh random code.
    public func createSession(name: String) async throws -> Session {
        let name = try LiveSessionsValidation.name(
            name, field: "name", maximumLength: LiveSessionsValidation.maximumSessionNameLength)
        let now = clock()
        return try await write { connection in
            // A collision among ~10⁹ codes is rare; retry a few times rather than fail.
            for _ in 0..<16 {
                let code = SessionCodeGenerator.make()
                let inserted = try connection.run(
                    "INSERT OR IGNORE INTO sessions (code, name, created_at) VALUES (?, ?, ?)", [code, name, now])
                if inserted == 1 {
                    let session = Session(code: code, name: name, createdAt: Self.millisecondPrecision(now))
                    return (session, topics: [Self.sessionsTopic, Self.sessionTopic(code)])
                }
            }
            throw RemoteError(.unavailable, "could not allocate a session code; try again")
        }
    }

    /// The session with this code; `not_found` when there is none.
    public func session(code: String) async throws -> Session {
        let code = LiveSessionsValidation.sessionCode(code)
        return try await database.read { connection in
            try Self.requireSession(connection, code: code)
        }
    }

    /// The most recently created session, or `nil` when there is none.
    public func latestSession() async throws -> Session? {
        try await database.read { connection in
            try connection.queryFirst(
                "SELECT \(LiveSessionsRows.sessionColumns) FROM sessions ORDER BY created_at DESC, rowid DESC LIMIT 1",
                [], LiveSessionsRows.session)
        }
    }

    /// Reads a session inside a transaction, or throws `not_found`.
    static func requireSession(_ connection: SQLiteConnection, code: String) throws -> Session {
        guard
            let session = try connection.queryFirst(
                "SELECT \(LiveSessionsRows.sessionColumns) FROM sessions WHERE code = ?", [code],
                LiveSessionsRows.session)
        else {
            throw RemoteError(.notFound, "no session has the code '\(code.prefix(16))'")
        }
        return session
    }
}
