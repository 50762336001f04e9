import Synchronization

/// Writes one response to a request: a head, then a body that is either sent whole
/// (``respond(status:headers:body:)``) or streamed (``writeHead(status:headers:)``,
/// ``write(_:)``…, ``finish()``).
///
/// A streamed body without `Content-Length` uses chunked framing. `write` applies backpressure: it
/// suspends while the connection's outbound buffer is at its high-water mark, so a slow client never
/// makes the server buffer more than that. Once the client has gone, `write` throws
/// ``HTTPError/connectionClosed`` (and the handler's task is cancelled). For a `HEAD` request the
/// head is sent and body bytes are discarded. `Date` and, when needed, `Connection: close` are added.
public final class HTTPResponseWriter: Sendable, DeferredFlushing {
    private enum Phase {
        case initial
        case headPending([UInt8])
        case streaming
        case finished
    }

    private struct State {
        var phase = Phase.initial
        var chunked = false
        var bodySuppressed = false
        var closeAfter = false
        var declaredLength: Int?
        var bodyBytesSent = 0
        var detached = false
    }

    private static let lastChunk = Array("0\r\n\r\n".utf8)
    static let crlf = Array("\r\n".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    let channel: SocketChannel
    private let isHEAD: Bool
    private let isHTTP10: Bool
    private let keepAliveRequested: Bool
    private let closeRequested: @Sendable () -> Bool
    /// Closes the connection gracefully once a detached response has finished.
    private let closeDetached: @Sendable () -> Void
    private let state = Mutex(State())

    init(
        channel: SocketChannel, isHEAD: Bool, isHTTP10: Bool, keepAliveRequested: Bool,
        closeRequested: @escaping @Sendable () -> Bool,
        closeDetached: @escaping @Sendable () -> Void = {}
    ) {
        self.channel = channel
        self.isHEAD = isHEAD
        self.isHTTP10 = isHTTP10
        self.keepAliveRequested = keepAliveRequested
        self.closeRequested = closeRequested
        self.closeDetached = closeDetached
    }

    /// Sends the status line and headers. Without `Content-Length` the body that follows is chunked.
    /// The head is coalesced with the first body bytes when they follow at once.
    nonisolated(nonsending) public func writeHead(status: Int, headers: HTTPHeaders) async throws {
        try state.withLock { state throws(HTTPError) in
            guard case .initial = state.phase else { throw HTTPError(status: 500, message: "Response already started") }
            state.phase = .headPending(makeHead(&state, status: status, headers: headers, contentLength: nil))
        }
        if channel.loop.isCurrent {
            // Sent after this loop iteration's jobs, together with any body written meanwhile.
            channel.loop.deferFlush(self)
        } else {
            sendPendingHead()
        }
    }

    /// Sends part of the body, suspending while the client is slower than the handler.
    /// Writes an implicit `200` head first if none was written.
    nonisolated(nonsending) public func write(_ bytes: [UInt8]) async throws {
        if bytes.isEmpty { return }
        let output = try state.withLock { state throws(HTTPError) -> [UInt8] in
            guard !state.detached else { throw HTTPError(status: 500, message: "Response was detached") }
            return try frame(bytes, &state)
        }
        if let rest = try queue(output) { try await channel.send(rest) }
    }

    /// The bytes that carry `bytes` as body: the pending head first, chunk framing when chunked.
    private func frame(_ bytes: [UInt8], _ state: inout State) throws(HTTPError) -> [UInt8] {
        var output: [UInt8]
        switch state.phase {
        case .initial:
            output = makeHead(&state, status: 200, headers: HTTPHeaders(), contentLength: nil)
        case .headPending(let head):
            output = head
        case .streaming:
            output = []
        case .finished:
            throw HTTPError(status: 500, message: "Response already finished")
        }
        state.phase = .streaming
        if state.bodySuppressed { return output }
        state.bodyBytesSent += bytes.count
        if state.chunked {
            output.reserveCapacity(output.count + bytes.count + 20)
            Self.appendHex(bytes.count, to: &output)
            output.append(contentsOf: Self.crlf)
            output.append(contentsOf: bytes)
            output.append(contentsOf: Self.crlf)
        } else if output.isEmpty {
            output = bytes
        } else {
            output.append(contentsOf: bytes)
        }
        return output
    }

    /// Ends the response (the last chunk for chunked framing). Calling it again does nothing.
    /// Writes an implicit empty `200` response if nothing was written.
    nonisolated(nonsending) public func finish() async throws {
        let output = state.withLock { state -> [UInt8] in
            if state.detached { return [] }
            return finalBytes(&state)
        }
        if let rest = try queue(output) { try await channel.send(rest) }
    }

    /// The bytes that end the response (a pending head, the last chunk), moving to `.finished`.
    private func finalBytes(_ state: inout State) -> [UInt8] {
        var output: [UInt8]
        switch state.phase {
        case .initial:
            output = makeHead(&state, status: 200, headers: HTTPHeaders(), contentLength: 0)
        case .headPending(let head):
            output = head
        case .streaming:
            output = []
        case .finished:
            return []
        }
        state.phase = .finished
        if !state.bodySuppressed {
            if state.chunked {
                output.append(contentsOf: Self.lastChunk)
            } else if let declared = state.declaredLength, declared != state.bodyBytesSent {
                state.closeAfter = true
            }
        }
        return output
    }

    // MARK: Detaching

    /// Hands the rest of a started response to an ``HTTPDetachedResponse`` and lets the handler
    /// return without ending it: the connection's task then ends, and the response lives on with
    /// no task of its own, written from any thread by ``HTTPDetachedResponse/send(_:)``, until it
    /// is finished or the client goes away. Afterwards the connection closes; it is never reused.
    ///
    /// This is for long-lived streams fed by something else (a shared publisher): an idle one then
    /// costs the connection's buffers only. Throws when no head was written yet, the response has
    /// finished, or it was detached already.
    public func detach() throws(HTTPError) -> HTTPDetachedResponse {
        let (head, chunked, suppressed) = try state.withLock { state throws(HTTPError) in
            guard !state.detached else { throw HTTPError(status: 500, message: "Response already detached") }
            var head: [UInt8]?
            switch state.phase {
            case .initial: throw HTTPError(status: 500, message: "A response is detached after its head")
            case .finished: throw HTTPError(status: 500, message: "Response already finished")
            case .headPending(let pending):
                state.phase = .streaming
                head = pending
            case .streaming:
                break
            }
            state.detached = true
            // The detached response frames its own body from now on (and never checks a declared
            // length: its connection closes at the end whatever happens).
            return (head, state.chunked, state.bodySuppressed)
        }
        if let head { channel.enqueue(head) }
        channel.discardInput()
        return HTTPDetachedResponse(writer: self, chunked: chunked, bodySuppressed: suppressed)
    }

    /// Whether ``detach()`` handed the response over.
    var isDetached: Bool { state.withLock { $0.detached } }

    /// ``HTTPDetachedResponse/finish()``: queues the end of the body, then closes gracefully.
    func finishDetached() {
        let output = state.withLock { state -> [UInt8]? in
            guard case .streaming = state.phase else { return nil }
            return finalBytes(&state)
        }
        guard let output else { return }
        if !output.isEmpty { channel.enqueue(output) }
        closeDetached()
    }

    /// Sends a complete response with `Content-Length` in one write.
    ///
    /// The body's own length is sent as `Content-Length` and any `Transfer-Encoding` is dropped, so the
    /// framing always matches the bytes; only an empty answer to `HEAD` keeps a given `Content-Length`.
    nonisolated(nonsending) public func respond(status: Int, headers: HTTPHeaders, body: [UInt8]) async throws {
        var headers = headers
        headers.remove("transfer-encoding")
        if !(isHEAD && body.isEmpty), headers["content-length"] != nil, headers["content-length"] != String(body.count)
        {
            headers.remove("content-length")
        }
        let output = try state.withLock { [headers] state throws(HTTPError) -> [UInt8] in
            guard case .initial = state.phase else { throw HTTPError(status: 500, message: "Response already started") }
            var output = makeHead(&state, status: status, headers: headers, contentLength: body.count)
            state.phase = .finished
            if !state.bodySuppressed { output.append(contentsOf: body) }
            return output
        }
        if let rest = try queue(output) { try await channel.send(rest) }
    }

    /// Queues `bytes` without suspending as far as there is room (usually all of them) and returns
    /// the rest, which the caller awaits ``SocketChannel/send(_:)`` for. Synchronous, so the common
    /// case costs no executor switch.
    private func queue(_ bytes: [UInt8]) throws -> [UInt8]? {
        let offset = try channel.sendWithoutWaiting(bytes)
        return offset < bytes.count ? Array(bytes[offset...]) : nil
    }

    /// Whether a head was written (so an error can no longer become an error response).
    var hasStarted: Bool {
        state.withLock { state in
            if case .initial = state.phase { return false }
            return true
        }
    }

    /// Whether the response is complete.
    var isFinished: Bool {
        state.withLock { state in
            if case .finished = state.phase { return true }
            return false
        }
    }

    /// Whether the connection must close after this response.
    var closesConnection: Bool { state.withLock { $0.closeAfter } }

    /// Makes the connection close after this response; a head not yet sent says
    /// `connection: close`.
    func closeAfterResponse() {
        state.withLock { $0.closeAfter = true }
    }

    func performDeferredFlush() {
        sendPendingHead()
    }

    /// Queues a head that ``writeHead(status:headers:)`` left pending for the end of the loop
    /// iteration (so that it can be coalesced with the first body bytes); does nothing otherwise.
    func sendPendingHead() {
        state.withLock { state in
            guard case .headPending(let head) = state.phase else { return }
            state.phase = .streaming
            channel.enqueue(head)
        }
    }

    /// Writes `value` in hexadecimal at the start of `buffer` (16 bytes at most) and sets `length`.
    static func writeHex(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, length: inout Int) {
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        length = 0
        while shift >= 0 {
            buffer[length] = hexDigits[(value >> shift) & 0xF]
            length += 1
            shift -= 4
        }
    }

    private static func appendHex(_ value: Int, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            var length = 0
            writeHex(value, into: digits, length: &length)
            output.append(contentsOf: digits[0..<length])
        }
    }

    private func makeHead(_ state: inout State, status: Int, headers: HTTPHeaders, contentLength: Int?) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(contentsOf: "HTTP/1.1 \(status) \(HTTPStatusPhrase.phrase(for: status))\r\n".utf8)
        headers.write(into: &output)
        if headers["date"] == nil { output.append(contentsOf: DateHeaderCache.line) }
        let forbidsBody = HTTPStatusPhrase.forbidsBody(status)
        state.bodySuppressed = isHEAD || forbidsBody
        if let declared = headers["content-length"] {
            state.declaredLength = Int(declared)
        } else if headers["transfer-encoding"] != nil {
            state.chunked = !forbidsBody
        } else if let contentLength {
            if !forbidsBody { output.append(contentsOf: "content-length: \(contentLength)\r\n".utf8) }
            state.declaredLength = contentLength
        } else if forbidsBody {
            state.declaredLength = 0
        } else if isHTTP10 {
            state.closeAfter = true
        } else {
            output.append(contentsOf: "transfer-encoding: chunked\r\n".utf8)
            state.chunked = true
        }
        if let connection = headers["connection"], connection.lowercased().contains("close") {
            state.closeAfter = true
        }
        if !keepAliveRequested || closeRequested() { state.closeAfter = true }
        if headers["connection"] == nil {
            if state.closeAfter {
                output.append(contentsOf: "connection: close\r\n".utf8)
            } else if isHTTP10 {
                output.append(contentsOf: "connection: keep-alive\r\n".utf8)
            }
        }
        output.append(contentsOf: Self.crlf)
        return output
    }
}
