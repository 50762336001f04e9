extension PostgresConnection {
    /// Runs `body` in a transaction: `BEGIN` (with `isolation` when given), then `COMMIT`; any
    /// error thrown by `body` or by the commit rolls everything back and is rethrown. Called
    /// inside another transaction it uses a savepoint, so the inner part rolls back alone (the
    /// isolation level is then the outer transaction's).
    ///
    /// When a statement failed inside the transaction and `body` caught the error and returned
    /// normally, PostgreSQL would turn the `COMMIT` into a silent `ROLLBACK`; this method rolls
    /// back and throws ``PostgresError/Kind/transactionAborted`` instead.
    public func transaction<Result>(
        isolation: PostgresIsolationLevel? = nil, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        if isInTransaction {
            savepointNestingDepth += 1
            defer { savepointNestingDepth -= 1 }
            let name = "rf_nested_\(savepointNestingDepth)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body(self)
                try execute("RELEASE SAVEPOINT \(name)")
                return result
            } catch {
                try? execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
                throw error
            }
        }
        try execute(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        do {
            let result = try body(self)
            if isInFailedTransaction {
                throw PostgresError(
                    kind: .transactionAborted,
                    message: "a statement failed inside the transaction, which was rolled back")
            }
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Sends a notification on `channel` with `payload` (`pg_notify`). Inside a transaction it
    /// is delivered to listeners only when the transaction commits, and not at all if it rolls
    /// back. Payloads must be shorter than 8000 bytes.
    public func notify(channel: String, payload: String) throws(PostgresError) {
        try run("SELECT pg_notify($1, $2)", [channel, payload])
    }
}
