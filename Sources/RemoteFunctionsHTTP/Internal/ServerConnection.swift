import Synchronization

/// The HTTP/1.1 request loop of one accepted connection, run as one task on the connection's loop.
///
/// It reads a head, hands the request to the handler, finishes the response, and repeats while the
/// connection may be kept alive; responses are therefore sent in request order when clients
/// pipeline. Parse errors, limits and timeouts end the connection with their status code. The task is
/// cancelled by the server when the peer hangs up, when the write timeout passes, or at the
/// graceful-shutdown deadline.
final class ServerConnection: Sendable {
    enum HeadWaitError: Error {
        case idleTimeout
        case headerTimeout
    }

    let channel: SocketChannel
    let remoteAddress: String
    private let configuration: HTTPServerConfiguration
    private let handler: @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    private let isDraining: @Sendable () -> Bool
    private let rejected: Bool
    private let parser: Mutex<HTTPRequestParser>

    init(
        channel: SocketChannel, remoteAddress: String, configuration: HTTPServerConfiguration, rejected: Bool,
        isDraining: @escaping @Sendable () -> Bool,
        handler: @escaping @Sendable (HTTPServerRequest, HTTPResponseWriter) async throws -> Void
    ) {
        self.channel = channel
        self.remoteAddress = remoteAddress
        self.configuration = configuration
        self.rejected = rejected
        self.isDraining = isDraining
        self.handler = handler
        self.parser = Mutex(HTTPRequestParser(limits: HTTPParserLimits(maxHeaderBytes: configuration.maxHeaderBytes)))
    }

    /// Serves requests until the connection ends; returns `true` when a handler detached its
    /// response (``HTTPResponseWriter/detach()``), which then owns the still open connection.
    func run() async -> Bool {
        var detached = false
        defer { if !detached { channel.close() } }
        if rejected {
            await sendErrorAndClose(status: 503, message: "Too many connections")
            return false
        }
        var first = true
        while !Task.isCancelled {
            let head: HTTPRequestHead
            do {
                head = try await readHead(first: first)
            } catch let error as HTTPParseError {
                await sendErrorAndClose(status: error.status, message: error.reason)
                return false
            } catch HeadWaitError.headerTimeout {
                await sendErrorAndClose(status: 408, message: "Request header timeout")
                return false
            } catch {
                return false
            }
            first = false
            switch await serve(head) {
            case .next: continue
            case .close: return false
            case .detached:
                detached = true
                return true
            }
        }
        return false
    }

    /// What follows a request.
    private enum Outcome {
        /// Read the next request.
        case next
        /// The connection is done.
        case close
        /// The response lives on without this task.
        case detached
    }

    // MARK: Reading

    private func readHead(first: Bool) async throws -> HTTPRequestHead {
        var received = parser.withLock { $0.bufferedByteCount > 0 }
        var headerClock = first || received
        var deadline = ContinuousClock.now + (headerClock ? configuration.headerReadTimeout : configuration.idleTimeout)
        while true {
            let event = try parser.withLock { parser throws(HTTPParseError) in try parser.next() }
            switch event {
            case .head(let head):
                return head
            case .end:
                // The end of a previous request without a body (its body source never asked).
                continue
            case .body:
                throw HTTPParseError(status: 400, reason: "Unexpected message data")
            case nil:
                break
            }
            if !received && isDraining() { throw ChannelInterruption() }
            let bytes = try await channel.read(
                deadline: deadline,
                timeoutError: headerClock ? HeadWaitError.headerTimeout : HeadWaitError.idleTimeout,
                interruptible: !received)
            received = true
            if !headerClock {
                headerClock = true
                deadline = .now + configuration.headerReadTimeout
            }
            parser.withLock { $0.append(contentsOf: bytes) }
        }
    }

    /// The number of received bytes the parser has not consumed yet.
    var bufferedByteCount: Int {
        parser.withLock { $0.bufferedByteCount }
    }

    /// The next body event of the current request if the bytes already received hold it,
    /// without reading (and without suspending).
    func bufferedBodyEvent() throws(HTTPParseError) -> HTTPRequestParser.Event? {
        try parser.withLock { parser throws(HTTPParseError) in try parser.next() }
    }

    /// The next body event of the current request, waiting at most the idle timeout for bytes.
    func nextBodyEvent() async throws -> HTTPRequestParser.Event {
        while true {
            let event = try parser.withLock { parser throws(HTTPParseError) in try parser.next() }
            if let event { return event }
            let bytes = try await channel.read(
                deadline: .now + configuration.idleTimeout, timeoutError: HTTPError.timeout)
            parser.withLock { $0.append(contentsOf: bytes) }
        }
    }

    // MARK: Serving

    /// Serves one request.
    private func serve(_ head: HTTPRequestHead) async -> Outcome {
        let writer = HTTPResponseWriter(
            channel: channel, isHEAD: head.method == "HEAD", isHTTP10: head.version == .http1_0,
            keepAliveRequested: head.keepAlive, closeRequested: isDraining,
            closeDetached: { [self] in
                Task(executorPreference: channel.loop) { [self] in
                    await closeGracefully()
                    channel.close()
                }
            })
        let body = ServerBodySource(connection: self, head: head, writer: writer)
        let request = HTTPServerRequest(
            head: head, remoteAddress: remoteAddress,
            body: HTTPRequestBody(source: body, defaultLimit: configuration.maxBodySize))
        var failure: (any Error)?
        do {
            try await handler(request, writer)
        } catch {
            failure = error
        }
        if writer.isDetached {
            // The response continues without this task; a handler error after detaching is ignored
            // (the detached response's owner ends it).
            return .detached
        }
        if channel.isClosed || Task.isCancelled { return .close }
        if let failure {
            if writer.hasStarted {
                // The response cannot become an error response any more: end it by closing the
                // connection, but only after what the handler wrote has left (a head still pending,
                // then the outbound buffer). No last chunk is sent, so the client sees it cut short.
                writer.sendPendingHead()
                await closeGracefully()
                return .close
            }
            let httpError = failure as? HTTPError
            let status = httpError?.status ?? 500
            if status == HTTPError.connectionClosed.status { return .close }
            let message = httpError?.message ?? "Internal server error"
            var headers = HTTPHeaders()
            headers.add("content-type", "text/plain; charset=utf-8")
            if status == 413 || !body.isComplete { headers.add("connection", "close") }
            do {
                try await writer.respond(status: status, headers: headers, body: Array("\(message)\n".utf8))
            } catch {
                return .close
            }
        }
        do {
            try await writer.finish()
        } catch {
            return .close
        }
        var reusable = !writer.closesConnection && !isDraining()
        if reusable && !body.isComplete {
            reusable = await body.discardRemainder(upTo: 64 * 1024)
        }
        if !reusable {
            await closeGracefully()
            return .close
        }
        return .next
    }

    private func sendErrorAndClose(status: Int, message: String) async {
        let writer = HTTPResponseWriter(
            channel: channel, isHEAD: false, isHTTP10: false, keepAliveRequested: false, closeRequested: { true })
        var headers = HTTPHeaders()
        headers.add("content-type", "text/plain; charset=utf-8")
        do {
            try await writer.respond(status: status, headers: headers, body: Array("\(message)\n".utf8))
        } catch {
            return
        }
        await closeGracefully()
    }

    /// Sends what is queued, half-closes, and reads (discarding) until the peer closes or a short
    /// deadline passes, so that a final response is not lost to a TCP reset.
    private func closeGracefully() async {
        do {
            try await channel.flush()
        } catch {
            return
        }
        channel.shutdownOutput()
        let deadline = ContinuousClock.now + .seconds(2)
        var discarded = 0
        while discarded < 1 << 20 {
            do {
                discarded += try await channel.read(deadline: deadline).count
            } catch {
                return
            }
        }
    }
}
