#if canImport(Glibc)
    import Glibc
    import CEpoll
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every Linux-only call outside the epoll backend lives here, each with its portable fallback.
enum PlatformShims {
    /// Flags for `send(2)`: `MSG_NOSIGNAL` on Linux; elsewhere sockets get `SO_NOSIGPIPE` instead.
    static var sendFlags: Int32 {
        #if os(Linux)
            return Int32(MSG_NOSIGNAL)
        #else
            return 0
        #endif
    }

    /// The `poll(2)` flag for "peer closed its writing side": `POLLRDHUP` on Linux, nothing elsewhere
    /// (there a read of 0 bytes reports the hang-up).
    static var pollReadHangUp: Int16 {
        #if os(Linux)
            return 0x2000
        #else
            return 0
        #endif
    }

    /// A file's modification time in nanoseconds since the epoch (`st_mtim` on Linux,
    /// `st_mtimespec` on Darwin).
    static func modificationTimeNanoseconds(_ info: stat) -> Int {
        #if os(Linux)
            return Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
        #else
            return Int(info.st_mtimespec.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtimespec.tv_nsec)
        #endif
    }

    /// An identifier of the calling thread, comparable for equality.
    static func currentThreadID() -> UInt {
        #if os(Linux)
            return UInt(pthread_self())
        #else
            return UInt(bitPattern: pthread_self())
        #endif
    }

    /// Creates a non-blocking, close-on-exec stream socket.
    static func makeStreamSocket(family: Int32) throws(SystemError) -> Int32 {
        #if os(Linux)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(O_NONBLOCK) | Int32(O_CLOEXEC)
            return try Syscall.retrying("socket") { socket(family, type, 0) }
        #else
            let fd = try Syscall.retrying("socket") { socket(family, SOCK_STREAM, 0) }
            try Syscall.setNonBlocking(fd)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            try Syscall.setSocketOption(fd, SOL_SOCKET, SO_NOSIGPIPE, 1)
            return fd
        #endif
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket; `nil` when none is waiting.
    static func accept(_ listener: Int32) throws(SystemError) -> Int32? {
        while true {
            #if os(Linux)
                let fd = accept4(listener, nil, nil, Int32(O_NONBLOCK) | Int32(O_CLOEXEC))
            #else
                let fd = Darwin.accept(listener, nil, nil)
            #endif
            if fd >= 0 {
                #if !os(Linux)
                    try Syscall.setNonBlocking(fd)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    try Syscall.setSocketOption(fd, SOL_SOCKET, SO_NOSIGPIPE, 1)
                #endif
                // Responses and stream events are written whole, so Nagle's algorithm could only
                // hold a small event back until the previous one is acknowledged (up to the peer's
                // delayed-ACK time). Not a TCP socket (never here): nothing to turn off.
                try? Syscall.setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                return fd
            }
            let code = errno
            switch code {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SystemError(operation: "accept", errno: code)
            }
        }
    }

    /// Lets a restarted server bind its port again while old connections sit in TIME_WAIT
    /// (`SO_REUSEADDR`, the same on every platform).
    ///
    /// `SO_REUSEPORT` is deliberately not set: on Linux it lets a second process of the same user bind
    /// the same port and silently take half the connections, and on the BSDs it means something else
    /// again. One listener on loop 0 hands accepted sockets to the loops round-robin instead.
    static func allowAddressReuse(_ fd: Int32) throws(SystemError) {
        try Syscall.setSocketOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
    }

    /// A descriptor pair for waking a blocked event loop: an eventfd on Linux (both ends the same
    /// descriptor), a non-blocking pipe elsewhere.
    static func makeWakeChannel() throws(SystemError) -> (read: Int32, write: Int32) {
        #if os(Linux)
            let fd = try Syscall.retrying("eventfd") { eventfd(0, Int32(O_NONBLOCK) | Int32(O_CLOEXEC)) }
            return (fd, fd)
        #else
            var fds: [Int32] = [0, 0]
            _ = try Syscall.retrying("pipe") { pipe(&fds) }
            for fd in fds {
                try Syscall.setNonBlocking(fd)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            return (fds[0], fds[1])
        #endif
    }

    /// Signals a wake channel. A full channel already wakes the loop, so `EAGAIN` is ignored.
    static func signal(_ writeEnd: Int32) {
        var one: UInt64 = 1
        while true {
            #if os(Linux)
                let result = write(writeEnd, &one, 8)
            #else
                let result = write(writeEnd, &one, 1)
            #endif
            if result < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Empties a wake channel after a wake-up.
    static func drain(_ readEnd: Int32) {
        var buffer: (UInt64, UInt64) = (0, 0)
        while true {
            let result = withUnsafeMutableBytes(of: &buffer) { read(readEnd, $0.baseAddress, $0.count) }
            if result > 0 {
                #if os(Linux)
                    return
                #else
                    continue
                #endif
            }
            if result < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Closes a wake channel.
    static func closeWakeChannel(_ channel: (read: Int32, write: Int32)) {
        Syscall.closeDescriptor(channel.read)
        if channel.write != channel.read { Syscall.closeDescriptor(channel.write) }
    }
}
