internal import CLibPQ
import Foundation
import Glibc

/// One connection to PostgreSQL, owned by one dedicated thread.
///
/// You never create a connection yourself: ``PostgresPool/withConnection(_:)`` and
/// ``PostgresPool/transaction(isolation:_:)`` hand one to your closure on the connection's own
/// thread, where libpq's blocking calls are allowed. The type is deliberately not `Sendable`, so
/// the compiler keeps it (and the `PGconn` inside it) on that thread.
///
/// Statements with parameters are prepared once per connection (`PQprepare`) and then run with
/// `PQexecPrepared`; the cache key is the SQL text together with the parameters' types.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    let options: PostgresConnectionOptions
    private var statements: [StatementKey: String] = [:]
    private var statementCounter = 0
    private var savepointDepth = 0
    /// Whether a statement of the current job already reached the server (see
    /// ``withReconnectRetry(_:)``).
    private var hasRoundTrippedInJob = true

    private struct StatementKey: Hashable {
        let sql: String
        let types: [UInt32]
    }

    /// Creates a closed connection; ``open()`` connects it.
    init(options: PostgresConnectionOptions) {
        self.options = options
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    // MARK: Lifecycle

    /// Connects (closing any previous connection first) and prepares the session: UTC time
    /// zone and ISO dates, so that timestamps read back unambiguously.
    func open() throws(PostgresError) {
        close()
        let parameters = options.connectionParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        var keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers = values.map { UnsafePointer($0) } + [nil]
        let connection = PQconnectdbParams(&keywordPointers, &valuePointers, 1)
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.connectionMessage(connection)
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: "cannot connect: \(message)")
        }
        // Notices (such as "relation already exists, skipping") would go to stderr; drop them.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        let result = PQexec(
            connection, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET extra_float_digits TO 3")
        defer { PQclear(result) }
        try check(result)
    }

    /// Closes the connection; the next ``prepareForUse()`` reconnects.
    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
        savepointDepth = 0
    }

    /// Makes sure the connection is usable before a job runs: connects when there is none,
    /// and reconnects when it broke while idle. A pool connection listens to nothing, so an idle
    /// connection has nothing to read: a readable socket means the server sent something on its
    /// own, in practice a termination notice before closing (`pg_terminate_backend`, a restart).
    /// Such a connection is replaced rather than inspected.
    func prepareForUse() throws(PostgresError) {
        hasRoundTrippedInJob = false
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            try open()
            return
        }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) != 0 {
            try open()
        }
    }

    /// Rolls back a transaction that a job left open, so the next job starts clean.
    func resetAfterUse() {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return }
        if PQtransactionStatus(handle) != PQTRANS_IDLE {
            if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
        }
        savepointDepth = 0
    }

    /// Whether the connection is open and healthy as far as libpq knows.
    public var isOpen: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The process id of the server backend serving this connection (for `pg_terminate_backend`,
    /// `pg_stat_activity`); 0 when closed.
    /// A request that cancels this connection's running statement from another thread; `nil`
    /// when not connected.
    func makeCancelRequest() -> PostgresCancelRequest? {
        handle.flatMap { PostgresCancelRequest(connection: $0) }
    }

    /// After a cancel request raced with the end of a job: runs a throwaway statement, so that a
    /// cancel the server delivers late hits it rather than the next job's first statement.
    func absorbLateCancel() {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return }
        if let result = PQexec(handle, "SELECT 1") { PQclear(result) }
    }

    public var backendPID: Int32 {
        handle.map { PQbackendPID($0) } ?? 0
    }

    /// Whether a transaction is open (also when it failed and awaits `ROLLBACK`).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    var isInFailedTransaction: Bool {
        guard let handle else { return false }
        return PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    var savepointNestingDepth: Int {
        get { savepointDepth }
        set { savepointDepth = newValue }
    }

    // MARK: Statements

    /// Runs one or more SQL statements separated by `;`, without parameters (schema scripts,
    /// `SET`, `LISTEN`). Uses the simple query protocol, so nothing is prepared.
    public func execute(_ sql: String) throws(PostgresError) {
        try withReconnectRetry { () throws(PostgresError) in
            let handle = try openHandle()
            let result = PQexec(handle, sql)
            defer { PQclear(result) }
            try check(result)
        }
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted (or
    /// selected, for a `SELECT`).
    @discardableResult
    public func run(_ sql: String, _ bindings: [any PostgresBindable] = []) throws(PostgresError) -> Int {
        let result = try executePrepared(sql, bindings)
        defer { PQclear(result) }
        guard let tuples = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }

    /// Runs a query and maps every row with `transform`.
    public func query<Row>(
        _ sql: String, _ bindings: [any PostgresBindable] = [], _ transform: (PostgresRow) throws -> Row
    ) throws -> [Row] {
        let result = try executePrepared(sql, bindings)
        defer { PQclear(result) }
        let count = PQntuples(result)
        var rows: [Row] = []
        rows.reserveCapacity(Int(count))
        for index in 0..<count {
            rows.append(try transform(PostgresRow(result: result, row: index)))
        }
        return rows
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryFirst<Row>(
        _ sql: String, _ bindings: [any PostgresBindable] = [], _ transform: (PostgresRow) throws -> Row
    ) throws -> Row? {
        let result = try executePrepared(sql, bindings)
        defer { PQclear(result) }
        guard PQntuples(result) > 0 else { return nil }
        return try transform(PostgresRow(result: result, row: 0))
    }

    /// The number of statements currently prepared on this connection.
    public var preparedStatementCount: Int { statements.count }

    private func executePrepared(_ sql: String, _ bindings: [any PostgresBindable]) throws(PostgresError)
        -> OpaquePointer
    {
        try withReconnectRetry { () throws(PostgresError) in try executePreparedOnce(sql, bindings) }
    }

    /// Runs `body`; when it is the job's first round trip and the server answered that it is
    /// terminating this backend (SQLSTATE 57P01–57P03: `pg_terminate_backend`, a fast or
    /// immediate shutdown) the connection is reopened and `body` runs once more. Such an answer
    /// means the statement did not run to completion, and outside a transaction nothing else of
    /// the job can be lost, so the retry is safe. Every other failure is thrown as is.
    private func withReconnectRetry<Result>(_ body: () throws(PostgresError) -> Result) throws(PostgresError) -> Result
    {
        let isFirstRoundTrip = !hasRoundTrippedInJob && !isInTransaction
        hasRoundTrippedInJob = true
        do {
            return try body()
        } catch {
            guard isFirstRoundTrip, let sqlState = error.sqlState, ["57P01", "57P02", "57P03"].contains(sqlState) else {
                throw error
            }
            try open()
            hasRoundTrippedInJob = true
            return try body()
        }
    }

    private func executePreparedOnce(_ sql: String, _ bindings: [any PostgresBindable]) throws(PostgresError)
        -> OpaquePointer
    {
        let handle = try openHandle()
        let values = bindings.map(\.postgresValue)
        let key = StatementKey(sql: sql, types: values.map(\.typeOID))
        let name = try preparedName(for: key, handle: handle)
        let texts = values.map { $0.text.map { strdup($0) } ?? nil }
        defer {
            for text in texts { free(text) }
        }
        let pointers = texts.map { UnsafePointer($0) }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecPrepared(handle, name, Int32(buffer.count), buffer.baseAddress, nil, nil, 0)
        }
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        guard let result else {
            throw PostgresError(kind: .connectionFailed, message: "no result from the server")
        }
        return result
    }

    private func preparedName(for key: StatementKey, handle: OpaquePointer) throws(PostgresError) -> String {
        if let name = statements[key] { return name }
        if statements.count >= options.statementCacheLimit {
            try execute("DEALLOCATE ALL")
            statements.removeAll()
        }
        statementCounter += 1
        let name = "rf_\(statementCounter)"
        let result = key.types.withUnsafeBufferPointer { types in
            PQprepare(handle, name, key.sql, Int32(types.count), types.baseAddress)
        }
        defer { PQclear(result) }
        try check(result)
        statements[key] = name
        return name
    }

    // MARK: Errors

    func openHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .connectionFailed, message: "the connection is not open")
        }
        return handle
    }

    /// Throws when `result` is not a success; the error carries the SQLSTATE and primary message.
    private func check(_ result: OpaquePointer?) throws(PostgresError) {
        guard let result else {
            throw PostgresError(kind: .connectionFailed, message: handle.map(Self.connectionMessage) ?? "no connection")
        }
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        let sqlState = Self.field(result, "C")
        let message = Self.field(result, "M") ?? handle.map(Self.connectionMessage) ?? "statement failed"
        let broken = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
        throw PostgresError(kind: broken ? .connectionFailed : .statementFailed, sqlState: sqlState, message: message)
    }

    private static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(UInt8(ascii: code))).map { String(cString: $0) }
    }

    static func connectionMessage(_ handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown libpq error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Notifications (used by the listener)

    /// The socket of the connection, for `poll()`.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Reads what the server sent; `false` when the connection broke.
    func consumeInput() -> Bool {
        guard let handle else { return false }
        return PQconsumeInput(handle) == 1 && PQstatus(handle) == CONNECTION_OK
    }

    /// The next notification already received, if any.
    func nextNotification() -> (channel: String, payload: String, senderPID: Int32)? {
        guard let handle, let notification = PQnotifies(handle) else { return nil }
        defer { PQfreemem(notification) }
        let channel = notification.pointee.relname.map { String(cString: $0) } ?? ""
        let payload = notification.pointee.extra.map { String(cString: $0) } ?? ""
        return (channel, payload, notification.pointee.be_pid)
    }
}

/// A connection belongs to the one thread that owns it.
@available(*, unavailable)
extension PostgresConnection: Sendable {}
