import Synchronization

/// A small HTTP/1.1 client on the same event-loop core as ``HTTPServer``.
///
/// Response bodies stream (``HTTPClientResponseBody`` is an `AsyncSequence` of chunks), so it can
/// follow server-sent events. Connections whose response was read to the end are kept for reuse
/// when ``init(eventQueue:reuseConnections:)`` allows it. Cancelling a task that waits on a response
/// closes its socket. Only `http://` is supported.
public final class HTTPClient: Sendable {
    private struct State {
        var group: EventLoopGroup?
        var idle: [String: [ClientConnection]] = [:]
        var shutDown = false
    }

    private let eventQueue: EventQueueKind
    private let reuseConnections: Bool
    private let state = Mutex(State())

    /// Creates a client with its own event-loop thread, started on first use.
    public init(eventQueue: EventQueueKind = .platformDefault, reuseConnections: Bool = true) {
        self.eventQueue = eventQueue
        self.reuseConnections = reuseConnections
    }

    /// Sends a request to `http://host:port/path…` and returns once the response head arrived.
    public func execute(
        method: String = "GET", url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) async throws -> HTTPClientResponse {
        guard let target = ClientURL(url) else { throw HTTPError(status: 400, message: "Unsupported URL") }
        return try await execute(
            method: method, host: target.host, port: target.port, path: target.path, headers: headers, body: body)
    }

    /// Sends a request to `host:port` for `path` (with any query) and returns once the response head
    /// arrived. A `content-length` is added when there is a body.
    public func execute(
        method: String = "GET", host: String, port: Int, path: String, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) async throws -> HTTPClientResponse {
        var request: [UInt8] = []
        request.reserveCapacity(256 + body.count)
        request.append(contentsOf: "\(method) \(path) HTTP/1.1\r\n".utf8)
        if headers["host"] == nil {
            request.append(contentsOf: "host: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\n".utf8)
        }
        headers.write(into: &request)
        if headers["content-length"] == nil && headers["transfer-encoding"] == nil
            && (!body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH")
        {
            request.append(contentsOf: "content-length: \(body.count)\r\n".utf8)
        }
        request.append(contentsOf: "\r\n".utf8)
        request.append(contentsOf: body)

        let key = "\(host):\(port)"
        if let reused = takeIdle(key) {
            do {
                return try await reused.send(request: request, isHEAD: method == "HEAD")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // A kept-alive connection the server closed meanwhile. Retry once on a fresh one, but
                // only an idempotent request: the server may have seen a POST before closing.
                guard ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].contains(method) else { throw error }
            }
        }
        let connection = try await ClientConnection.connect(
            host: host, port: port, loop: try loop(),
            limits: SocketChannel.Limits(
                outboundHighWaterMark: 256 * 1024, outboundLowWaterMark: 64 * 1024, writeTimeout: .seconds(60),
                closeOnCancel: true)
        ) { [weak self] connection in
            self?.release(connection)
        }
        return try await connection.send(request: request, isHEAD: method == "HEAD")
    }

    /// Closes idle connections and stops the client's thread. Requests still running fail.
    public func shutdown() async {
        let (group, idle) = state.withLock { state in
            state.shutDown = true
            let group = state.group
            let idle = state.idle.values.flatMap { $0 }
            state.group = nil
            state.idle = [:]
            return (group, idle)
        }
        for connection in idle { connection.channel.close() }
        await group?.shutdown()
    }

    deinit {
        let group = state.withLock { state -> EventLoopGroup? in
            for connection in state.idle.values.flatMap({ $0 }) { connection.channel.close() }
            return state.group
        }
        if let group { Task { await group.shutdown() } }
    }

    private func loop() throws -> EventLoop {
        try state.withLock { state throws(SystemError) -> EventLoop in
            if state.shutDown { throw SystemError(operation: "HTTPClient used after shutdown", errno: 0) }
            if let group = state.group { return group.loops[0] }
            let group = try EventLoopGroup(
                count: 1, kind: eventQueue, sweepInterval: .milliseconds(100), name: "http-client")
            state.group = group
            return group.loops[0]
        }
    }

    private func takeIdle(_ key: String) -> ClientConnection? {
        state.withLock { state in
            while let connection = state.idle[key]?.popLast() {
                if !connection.channel.isClosed && !connection.channel.hasBufferedInput { return connection }
            }
            return nil
        }
    }

    private func release(_ connection: ClientConnection) {
        guard reuseConnections else {
            connection.channel.close()
            return
        }
        let kept = state.withLock { state -> Bool in
            guard !state.shutDown, state.idle[connection.key, default: []].count < 16 else { return false }
            state.idle[connection.key, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close() }
    }
}

/// The parts of an `http://host[:port]/path` URL.
struct ClientURL {
    var host: String
    var port: Int
    var path: String

    init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : 80
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        } else {
            host = String(authority)
            port = 80
        }
        guard (1...65535).contains(port), !host.isEmpty else { return nil }
        self.path = path
    }
}
