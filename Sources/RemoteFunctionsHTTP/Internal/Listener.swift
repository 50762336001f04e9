#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A listening socket registered with one loop; each accepted descriptor goes to `onAccept` on that
/// loop's thread.
final class Listener: EventHandler {
    private struct State {
        var fd: Int32
        var registrationID: UInt64?
    }

    let loop: EventLoop
    /// The bound port.
    let port: Int
    private let onAccept: @Sendable (Int32) -> Void
    private let state: Mutex<State>

    /// Binds and listens on `host:port` (0 = any free port).
    init(host: String, port: Int, backlog: Int, loop: EventLoop, onAccept: @escaping @Sendable (Int32) -> Void) throws(SystemError) {
        guard let address = SocketAddress.resolve(host: host, port: port) else {
            throw SystemError(operation: "resolve \(host)", errno: EINVAL)
        }
        let fd = try PlatformShims.makeStreamSocket(family: address.family)
        do throws(SystemError) {
            try Syscall.setSocketOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            let result = address.withSockAddr { pointer, length in bind(fd, pointer, length) }
            if result != 0 { throw SystemError(operation: "bind", errno: errno) }
            _ = try Syscall.retrying("listen") { listen(fd, Int32(clamping: backlog)) }
        } catch {
            Syscall.closeDescriptor(fd)
            throw error
        }
        self.loop = loop
        self.port = SocketAddress.localPort(of: fd)
        self.onAccept = onAccept
        self.state = Mutex(State(fd: fd))
        let id: UInt64
        do {
            id = try loop.register(self, fd: fd, interest: .readable)
        } catch {
            Syscall.closeDescriptor(fd)
            throw error
        }
        state.withLock { $0.registrationID = id }
    }

    func handle(_ event: ReadinessEvent) {
        while true {
            let accepted = state.withLock { state -> Int32? in
                guard state.fd >= 0 else { return nil }
                do {
                    return try PlatformShims.accept(state.fd)
                } catch {
                    // EMFILE/ENFILE and the like: leave the connection queued and try again later.
                    return nil
                }
            }
            guard let accepted else { return }
            onAccept(accepted)
        }
    }

    func checkDeadlines(now: ContinuousClock.Instant) {}

    /// Stops listening (idempotent).
    func close() {
        state.withLock { state in
            guard state.fd >= 0 else { return }
            if let id = state.registrationID { loop.deregister(id: id, fd: state.fd) }
            Syscall.closeDescriptor(state.fd)
            state.fd = -1
        }
    }
}
