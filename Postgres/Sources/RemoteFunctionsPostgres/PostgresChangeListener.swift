import Foundation
import Glibc
import Synchronization

/// Receives the changes other instances publish with `NOTIFY`, on a dedicated connection and a
/// dedicated thread.
///
/// The thread runs `LISTEN` on each channel, then waits with `poll()` on the connection's socket
/// and on a wake-up pipe (so ``stop()`` interrupts it at once), reads what arrived with
/// `PQconsumeInput` and hands every notification whose payload is a ``PostgresChange`` to
/// `onChange`, in the order the server sent them (commit order).
///
/// When the connection drops (server restart, `pg_terminate_backend`, network) the thread
/// reconnects with exponential backoff. Each time listening (re)starts, including the first
/// time, it calls `onResync` *after* `LISTEN` is active: a notification missed while the
/// connection was down cannot be recovered, so the consumer re-evaluates everything it derived
/// from the feed (the live-query registry calls `invalidateAll()`); anything that commits after
/// the resync started is notified normally. While idle the thread checks the connection every
/// ``Configuration/healthCheckInterval`` with `SELECT 1`.
///
/// Both callbacks run on the listener's thread, one at a time; they must return quickly (hand
/// work to a task or a feed, do not block).
public final class PostgresChangeListener: Sendable {
    /// How the listener behaves.
    public struct Configuration: Sendable, Hashable {
        /// The channels to listen on.
        public var channels: [String]
        /// The first reconnection delay; it doubles after each failed attempt.
        public var minimumReconnectDelay: Duration
        /// The longest reconnection delay.
        public var maximumReconnectDelay: Duration
        /// How long the connection may stay silent before it is checked with `SELECT 1`.
        public var healthCheckInterval: Duration

        /// Creates a configuration: channel `remote_changes`, reconnect delays from 50 ms to
        /// 2 s, a health check after 5 s of silence.
        public init(
            channels: [String] = [PostgresChange.defaultChannel], minimumReconnectDelay: Duration = .milliseconds(50),
            maximumReconnectDelay: Duration = .seconds(2), healthCheckInterval: Duration = .seconds(5)
        ) {
            self.channels = channels
            self.minimumReconnectDelay = minimumReconnectDelay
            self.maximumReconnectDelay = maximumReconnectDelay
            self.healthCheckInterval = healthCheckInterval
        }
    }

    /// Where the listener is in its life.
    public enum State: Sendable, Hashable {
        /// Created, ``start()`` not called yet.
        case idle
        /// Opening the connection (first time or after a drop).
        case connecting
        /// `LISTEN` is active on the connection served by this backend process.
        case listening(backendPID: Int32)
        /// The connection dropped or could not be opened; a reconnection is scheduled.
        case disconnected
        /// ``stop()`` was called.
        case stopped
    }

    private struct Shared {
        var state = State.idle
        var isStopping = false
        var resyncCount = 0
        var receivedCount = 0
    }

    /// The connection options of the listening connection.
    public let options: PostgresConnectionOptions
    /// The listener's configuration.
    public let configuration: Configuration
    private let onChange: @Sendable (PostgresChange) -> Void
    private let onResync: @Sendable () -> Void
    private let shared = Mutex(Shared())
    private let wakePipe: WakePipe
    private let exits = ThreadExits(threadCount: 1)

    /// Creates a listener; ``start()`` starts it.
    public init(
        options: PostgresConnectionOptions, configuration: Configuration = Configuration(),
        onChange: @escaping @Sendable (PostgresChange) -> Void, onResync: @escaping @Sendable () -> Void
    ) throws(PostgresError) {
        self.options = options
        self.configuration = configuration
        self.onChange = onChange
        self.onResync = onResync
        self.wakePipe = try WakePipe()
    }

    /// The current state.
    public var state: State { shared.withLock { $0.state } }

    /// How many times listening has (re)started, which is how many times `onResync` was called.
    public var resyncCount: Int { shared.withLock { $0.resyncCount } }

    /// How many changes were delivered to `onChange`.
    public var receivedCount: Int { shared.withLock { $0.receivedCount } }

    /// Starts the listener's thread; calling it again does nothing.
    public func start() {
        let shouldStart = shared.withLock { shared in
            guard case .idle = shared.state else { return false }
            shared.state = .connecting
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            run()
            exits.threadExited()
        }
        thread.name = "postgres-listener"
        thread.start()
    }

    /// Stops listening, closes the connection and returns once the thread has exited.
    public func stop() async {
        let wasRunning = shared.withLock { shared in
            shared.isStopping = true
            if case .idle = shared.state {
                shared.state = .stopped
                return false
            }
            return true
        }
        guard wasRunning else { return }
        wakePipe.wake()
        await exits.waitForAll()
    }

    private var isStopping: Bool { shared.withLock { $0.isStopping } }

    private func setState(_ state: State) {
        shared.withLock { $0.state = state }
    }

    // MARK: The listener thread

    private func run() {
        let connection = PostgresConnection(options: options)
        var delay = configuration.minimumReconnectDelay
        while !isStopping {
            setState(.connecting)
            do {
                try connection.open()
                for channel in configuration.channels {
                    try connection.execute("LISTEN \(Self.quotedIdentifier(channel))")
                }
            } catch {
                connection.close()
                setState(.disconnected)
                waitForWakeUp(timeout: delay)
                delay = min(delay * 2, configuration.maximumReconnectDelay)
                continue
            }
            delay = configuration.minimumReconnectDelay
            let pid = connection.backendPID
            shared.withLock { shared in
                shared.state = .listening(backendPID: pid)
                shared.resyncCount += 1
            }
            onResync()
            listen(on: connection)
            connection.close()
            if !isStopping { setState(.disconnected) }
        }
        connection.close()
        setState(.stopped)
    }

    /// Delivers notifications until the connection breaks or the listener stops.
    private func listen(on connection: PostgresConnection) {
        let healthCheckMilliseconds = Self.milliseconds(configuration.healthCheckInterval)
        while !isStopping {
            deliverPending(from: connection)
            var descriptors = [
                pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakePipe.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, healthCheckMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 { wakePipe.drain() }
            if isStopping { return }
            if descriptors[0].revents != 0 {
                guard connection.consumeInput() else { return }
            } else if ready == 0 {
                // Silence for a whole interval: make sure the server is still there.
                do { try connection.execute("SELECT 1") } catch { return }
            }
        }
    }

    private func deliverPending(from connection: PostgresConnection) {
        while let notification = connection.nextNotification() {
            guard let change = PostgresChange(payload: notification.payload) else { continue }
            shared.withLock { $0.receivedCount += 1 }
            onChange(change)
        }
    }

    /// Sleeps up to `timeout`, returning early when ``stop()`` wakes the thread.
    private func waitForWakeUp(timeout: Duration) {
        var descriptor = pollfd(fd: wakePipe.readDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Self.milliseconds(timeout))
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// `"name"`, with inner quotes doubled, as SQL wants identifiers.
    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
