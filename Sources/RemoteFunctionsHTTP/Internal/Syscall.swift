#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The outcome of a non-blocking read or write.
enum IOResult: Equatable {
    /// This many bytes were transferred (never zero for a write of a non-empty buffer).
    case transferred(Int)
    /// The call would block; wait for readiness.
    case wouldBlock
    /// A read saw the end of the stream.
    case endOfFile
}

/// EINTR-safe wrappers around the system calls the HTTP layer makes. Each throws ``SystemError``
/// with the `errno` the call set.
enum Syscall {
    /// Runs `body` until it does not fail with `EINTR`; a result of -1 throws with `errno`.
    @inline(__always)
    static func retrying<Result: FixedWidthInteger>(
        _ operation: String, _ body: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = body()
            if result == -1 {
                let code = errno
                if code == EINTR { continue }
                throw SystemError(operation: operation, errno: code)
            }
            return result
        }
    }

    /// Reads into `buffer` without blocking.
    static func readNonBlocking(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult
    {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(operation: "read", errno: code)
        }
    }

    /// Sends `buffer` on a socket without blocking and without raising `SIGPIPE`.
    static func sendNonBlocking(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let count = send(fd, buffer.baseAddress, buffer.count, PlatformShims.sendFlags)
            if count >= 0 { return count == 0 && buffer.count > 0 ? .wouldBlock : .transferred(count) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(operation: "send", errno: code)
        }
    }

    /// Sends the buffers `parts` points to, in order, in one call (`sendmsg`), without blocking and
    /// without raising `SIGPIPE`.
    static func sendNonBlocking(_ fd: Int32, gathering parts: UnsafeMutableBufferPointer<iovec>) throws(SystemError)
        -> IOResult
    {
        var message = msghdr()
        message.msg_iov = parts.baseAddress
        message.msg_iovlen = numericCast(parts.count)
        while true {
            let count = sendmsg(fd, &message, PlatformShims.sendFlags)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .wouldBlock }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(operation: "sendmsg", errno: code)
        }
    }

    /// Closes a descriptor. `EINTR` is not retried (POSIX leaves the descriptor state unspecified and
    /// Linux always releases it).
    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    /// Starts connecting a socket (no retry: a non-blocking connect reports progress with errno).
    static func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        connect(fd, address, length)
    }

    /// Sets `O_NONBLOCK` on a descriptor.
    static func setNonBlocking(_ fd: Int32) throws(SystemError) {
        let flags = try retrying("fcntl") { fcntl(fd, F_GETFL) }
        _ = try retrying("fcntl") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sets an integer socket option.
    static func setSocketOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var value = value
        _ = try retrying("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
