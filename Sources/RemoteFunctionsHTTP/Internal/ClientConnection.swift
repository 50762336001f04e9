import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One client-side HTTP/1.1 connection on an ``EventLoop``: sends a request, parses the response,
/// and streams its body. Any error or cancellation while reading closes the socket.
final class ClientConnection: Sendable {
    private struct State {
        var parser = HTTPResponseParser()
        var bodyDone = false
        var reusable = false
        var released = false
    }

    let channel: SocketChannel
    let key: String
    private let state = Mutex(State())
    private let onReusable: @Sendable (ClientConnection) -> Void

    private init(channel: SocketChannel, key: String, onReusable: @escaping @Sendable (ClientConnection) -> Void) {
        self.channel = channel
        self.key = key
        self.onReusable = onReusable
    }

    deinit {
        channel.close()
    }

    /// Connects to `host:port` (numeric or `localhost`).
    static func connect(
        host: String, port: Int, loop: EventLoop, limits: SocketChannel.Limits,
        onReusable: @escaping @Sendable (ClientConnection) -> Void
    ) async throws -> ClientConnection {
        guard let address = SocketAddress.resolve(host: host, port: port) else {
            throw SystemError(operation: "resolve \(host)", errno: EINVAL)
        }
        let fd = try PlatformShims.makeStreamSocket(family: address.family)
        let result = address.withSockAddr { pointer, length in Syscall.connectSocket(fd, pointer, length) }
        var connecting = false
        if result != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else {
                Syscall.closeDescriptor(fd)
                throw SystemError(operation: "connect", errno: code)
            }
            connecting = true
        }
        try? Syscall.setSocketOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let channel = SocketChannel(fd: fd, loop: loop, limits: limits)
        do {
            try channel.register(connecting: connecting)
        } catch {
            channel.close()
            throw error
        }
        let connection = ClientConnection(channel: channel, key: "\(host):\(port)", onReusable: onReusable)
        if connecting { try await channel.waitUntilConnected() }
        return connection
    }

    /// Sends a request and reads the response head.
    func send(request: [UInt8], isHEAD: Bool) async throws -> HTTPClientResponse {
        state.withLock {
            $0.parser.expectResponse(toHEAD: isHEAD)
            $0.bodyDone = false
            $0.released = false
        }
        do {
            try await channel.send(request)
            while true {
                switch try await nextEvent() {
                case .head(let head):
                    state.withLock { $0.reusable = head.keepAlive }
                    return HTTPClientResponse(
                        status: head.status, headers: head.headers, body: HTTPClientResponseBody(connection: self))
                case .body, .end:
                    throw HTTPError.invalidResponse
                }
            }
        } catch {
            channel.close()
            throw error
        }
    }

    /// The next body chunk, or `nil` (and the connection handed back for reuse) at the end.
    func nextBodyChunk() async throws -> [UInt8]? {
        if state.withLock({ $0.bodyDone }) { return nil }
        do {
            switch try await nextEvent() {
            case .body(let bytes):
                return bytes
            case .end:
                let reusable = state.withLock { state -> Bool in
                    state.bodyDone = true
                    let reusable = state.reusable && !state.released
                    state.released = true
                    return reusable
                }
                if reusable && !channel.isClosed && !channel.hasBufferedInput {
                    onReusable(self)
                } else {
                    channel.close()
                }
                return nil
            case .head:
                throw HTTPError.invalidResponse
            }
        } catch {
            channel.close()
            throw error
        }
    }

    /// Gives up on the connection (closing it).
    func abandon() {
        state.withLock { $0.released = true }
        channel.close()
    }

    private func nextEvent() async throws -> HTTPResponseParser.Event {
        while true {
            if let event = try state.withLock({ state throws(HTTPParseError) in try state.parser.next() }) {
                return event
            }
            let bytes: [UInt8]
            do {
                bytes = try await channel.read()
            } catch let error as HTTPError where error == .connectionClosed {
                // End of stream: a close-delimited body ends here; anything else was cut short.
                if let event = try state.withLock({ state throws(HTTPParseError) in try state.parser.finishInput() }) {
                    state.withLock { $0.reusable = false }
                    return event
                }
                throw HTTPError.connectionClosed
            }
            state.withLock { $0.parser.append(contentsOf: bytes) }
        }
    }
}
