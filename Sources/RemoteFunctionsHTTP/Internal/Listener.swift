import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
    init(host: String, port: Int, backlog: Int, loop: EventLoop, onAccept: @escaping @Sendable (Int32) -> Void)
        throws(SystemError)
    {
        guard let address = SocketAddress.resolve(host: host, port: port) else {
            throw SystemError(operation: "resolve \(host)", errno: EINVAL)
        }
        let fd = try PlatformShims.makeStreamSocket(family: address.family)
        do throws(SystemError) {
            try PlatformShims.allowAddressReuse(fd)
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
            let accepted = state.withLock { state -> Result<Int32?, SystemError> in
                guard state.fd >= 0 else { return .success(nil) }
                do throws(SystemError) {
                    return .success(try PlatformShims.accept(state.fd))
                } catch {
                    return .failure(error)
                }
            }
            switch accepted {
            case .success(let fd?):
                onAccept(fd)
            case .success(nil):
                return
            case .failure:
                // EMFILE, ENFILE, ENOBUFS…: the connection stays queued. Stop watching for 100 ms
                // instead of spinning on a level-triggered event that cannot be served.
                pauseAccepting()
                return
            }
        }
    }

    private func pauseAccepting() {
        let paused = state.withLock { state -> Bool in
            guard state.fd >= 0, let id = state.registrationID else { return false }
            return (try? loop.queue.modify(state.fd, id: id, interest: [])) != nil
        }
        guard paused else { return }
        loop.schedule(at: .now + .milliseconds(100)) { [self] in
            state.withLock { state in
                guard state.fd >= 0, let id = state.registrationID else { return }
                try? loop.queue.modify(state.fd, id: id, interest: .readable)
            }
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
