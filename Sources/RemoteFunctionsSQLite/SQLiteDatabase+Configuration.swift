extension SQLiteDatabase {
    /// How a database is opened.
    public struct Configuration: Sendable {
        /// How many reader connections (and threads) serve ``SQLiteDatabase/read(_:)``.
        /// Default 2.
        public var readerCount: Int
        /// How long a connection waits for a lock held by another process before failing with
        /// `SQLITE_BUSY`. Default 5 s.
        public var busyTimeout: Duration
        /// When commits reach the disk. Default ``Synchronous/normal``.
        public var synchronous: Synchronous

        /// Creates a configuration.
        public init(readerCount: Int = 2, busyTimeout: Duration = .seconds(5), synchronous: Synchronous = .normal) {
            self.readerCount = readerCount
            self.busyTimeout = busyTimeout
            self.synchronous = synchronous
        }

        /// SQLite's `synchronous` pragma in WAL mode.
        public enum Synchronous: String, Sendable {
            /// Commits are written to the WAL but synced only at checkpoints: they survive a
            /// process crash or `kill -9`, not a power loss.
            case normal = "NORMAL"
            /// Every commit syncs the WAL: commits survive power loss as well.
            case full = "FULL"
        }
    }
}
