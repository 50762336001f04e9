internal import CLibPQ
import Synchronization

/// Asks the server to cancel whatever statement one connection is running (`PQcancel`), from any
/// thread, while that connection's own thread is blocked in libpq.
///
/// `@unchecked Sendable`: the `PGcancel` object is made by `PQgetCancel` on the connection's
/// thread and never touched by that connection again (libpq documents it as independent of the
/// `PGconn`, and `PQcancel` as safe to call from other threads); here it is only used under
/// `lock`, and freed in `deinit`, when no other reference is left.
final class PostgresCancelRequest: @unchecked Sendable {
    private let cancel: OpaquePointer
    private let lock = Mutex(())

    init?(connection: OpaquePointer) {
        guard let cancel = PQgetCancel(connection) else { return nil }
        self.cancel = cancel
    }

    /// Sends the cancel request and waits for the server to take it; `false` when it could not
    /// be sent. The statement, if it still runs, then fails with SQLSTATE 57014.
    @discardableResult
    func send() -> Bool {
        lock.withLock { _ in
            var errorBuffer = [CChar](repeating: 0, count: 256)
            return PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count)) == 1
        }
    }

    deinit {
        PQfreeCancel(cancel)
    }
}
