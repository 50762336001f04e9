import Foundation

/// Marks the database's own threads, so that tests (and assertions) can tell them apart from
/// the caller's threads. A thread-specific value rather than the thread's name, because on Linux
/// `Thread.current.name` sometimes reports the name inherited from the creating thread.
enum SQLiteThreadMarker {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Marks the calling thread as a database thread.
    static func markCurrentThread() {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }

    /// Whether the calling thread is one of the database's threads.
    static var isDatabaseThread: Bool {
        pthread_getspecific(key) != nil
    }
}
