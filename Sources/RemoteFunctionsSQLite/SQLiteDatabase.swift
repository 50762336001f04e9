import Foundation

/// An SQLite database file, served by dedicated threads: one writer connection and a small pool
/// of reader connections.
///
/// SQLite work never runs on the caller's thread (and so never on an event loop): ``write(_:)``
/// queues the closure on the writer thread, ``read(_:)`` on a reader thread, and both suspend the
/// caller until the thread resumes it with the result. Writes are serialised; reads run
/// concurrently with each other and with the write, because the file is in WAL mode.
///
/// ## Durability
/// The file uses `journal_mode=WAL` and, by default, `synchronous=NORMAL`: a commit appends to
/// the write-ahead log with `write(2)` but does not `fsync` it (SQLite syncs at checkpoints).
/// A transaction that returned is therefore in the operating system's page cache and survives
/// the process being killed (`kill -9`, a crash); it can be lost only if the machine loses power
/// or the kernel crashes before the next checkpoint, and even then the database stays consistent.
/// Set ``Configuration/synchronous`` to ``Configuration/Synchronous/full`` to `fsync` every
/// commit and survive power loss too, at the cost of one disk flush per write.
///
/// ```swift
/// let database = try await SQLiteDatabase(path: "data/app.sqlite")
/// try await database.migrate([SQLiteMigration(version: 1, sql: "CREATE TABLE notes (body TEXT)")])
/// try await database.write { try $0.run("INSERT INTO notes VALUES (?)", ["hi"]) }
/// let count = try await database.read { try $0.queryFirst("SELECT count(*) FROM notes") { $0.int(0) } }
/// ```
public final class SQLiteDatabase: Sendable {
    /// The path of the database file.
    public let path: String
    private let writer: SQLiteWorkerPool
    private let readers: SQLiteWorkerPool

    /// Opens (creating it, and its directory, when needed) the database file at `path`.
    ///
    /// Returns once the writer connection is open and in WAL mode; throws ``SQLiteError`` when
    /// the file cannot be opened.
    public init(path: String, configuration: Configuration = Configuration()) async throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.path = path
        self.writer = SQLiteWorkerPool(name: "sqlite-writer", threadCount: 1) {
            try SQLiteConnection(path: path, readOnly: false, configuration: configuration)
        }
        // Open the writer first: it creates the file and switches it to WAL before any reader
        // connects.
        try await writer.submit(interruptOnCancel: false) { _ in }
        self.readers = SQLiteWorkerPool(name: "sqlite-reader", threadCount: max(1, configuration.readerCount)) {
            try SQLiteConnection(path: path, readOnly: true, configuration: configuration)
        }
    }

    /// Runs `body` on the writer thread and returns its result.
    ///
    /// Writes run one at a time, in the order they were submitted. `body` runs in autocommit
    /// mode: wrap several statements in ``SQLiteConnection/transaction(_:)`` (or use
    /// ``transaction(_:)``) to make them atomic. Once started, a write is never interrupted by
    /// the caller's cancellation; a write still queued when the caller is cancelled is skipped
    /// and throws `CancellationError`.
    @discardableResult
    public func write<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result
    ) async throws -> Result {
        try await writer.submit(interruptOnCancel: false, body)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT` transaction on the writer thread; any error
    /// rolls the transaction back and is rethrown.
    @discardableResult
    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result
    ) async throws -> Result {
        try await writer.submit(interruptOnCancel: false) { connection in
            try connection.transaction(body)
        }
    }

    /// Runs `body` on a reader thread, inside one read transaction so that every statement in it
    /// sees the same snapshot of the database. Reader connections are read-only (`query_only`).
    ///
    /// Cancelling the calling task interrupts a running read (it then throws an ``SQLiteError``
    /// whose ``SQLiteError/isInterrupted`` is true) or skips a queued one.
    public func read<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws -> Result
    ) async throws -> Result {
        try await readers.submit(interruptOnCancel: true) { connection in
            try connection.readTransaction(body)
        }
    }

    /// Finishes the queued work, closes every connection and stops the threads. Later calls
    /// throw ``SQLiteError/closed``.
    public func close() async {
        await readers.close()
        await writer.close()
    }
}
