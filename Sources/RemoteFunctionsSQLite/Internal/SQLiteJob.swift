/// One unit of work for a database thread: run with the thread's connection, or fail when the
/// thread could not open one.
struct SQLiteJob: Sendable {
    let run: @Sendable (SQLiteConnection) -> Void
    let fail: @Sendable (any Error) -> Void
}
