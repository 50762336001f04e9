import Synchronization

/// The body of one request on a ``ServerConnection``: pulls body events from the connection's
/// parser, enforces the size limit, and sends `100 Continue` on the first read when it was expected.
final class ServerBodySource: RequestBodySource {
    private struct State {
        var received = 0
        var complete: Bool
        var failed = false
        var continueSent = false
    }

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    let declaredLength: Int?
    private let connection: ServerConnection
    private let expectsContinue: Bool
    private let writer: HTTPResponseWriter
    private let state: Mutex<State>

    init(connection: ServerConnection, head: HTTPRequestHead, writer: HTTPResponseWriter) {
        self.connection = connection
        self.writer = writer
        self.expectsContinue = head.expectsContinue
        switch head.framing {
        case .contentLength(let length):
            declaredLength = length
            state = Mutex(State(complete: false))
        case .chunked:
            declaredLength = nil
            state = Mutex(State(complete: false))
        case .none, .untilClose:
            declaredLength = head.framing == .none ? 0 : nil
            state = Mutex(State(complete: true))
        }
    }

    /// Whether the whole body has been read.
    var isComplete: Bool { state.withLock { $0.complete } }

    func reject() {
        markFailed()
    }

    /// The body can no longer be read in step with the framing (too large, malformed, or cut
    /// short), so the connection must close after this response. Telling the writer now puts
    /// `connection: close` in the response head, so the client never reuses a connection the
    /// server is about to close.
    private func markFailed() {
        state.withLock { $0.failed = true }
        writer.closeAfterResponse()
    }

    func nextChunk(limit: Int) async throws -> [UInt8]? {
        switch try nextBufferedChunk(limit: limit) {
        case .chunk(let bytes): return bytes
        case .end: return nil
        case .needsRead: break
        }
        let event: HTTPRequestParser.Event
        do {
            event = try await connection.nextBodyEvent()
        } catch let error as HTTPParseError {
            markFailed()
            throw HTTPError(status: error.status, message: error.reason)
        } catch {
            markFailed()
            throw error
        }
        return try chunk(of: event, limit: limit)
    }

    func nextBufferedChunk(limit: Int) throws -> BufferedBodyChunk {
        let sendContinue = try state.withLock { state throws(HTTPError) -> Bool in
            if state.complete { return false }
            if state.failed { throw HTTPError.payloadTooLarge }
            if expectsContinue && !state.continueSent {
                state.continueSent = true
                return true
            }
            return false
        }
        if isComplete { return .end }
        if sendContinue && !writer.hasStarted { connection.channel.enqueue(Self.continueLine) }
        let event: HTTPRequestParser.Event?
        do {
            event = try connection.bufferedBodyEvent()
        } catch {
            markFailed()
            throw HTTPError(status: error.status, message: error.reason)
        }
        guard let event else { return .needsRead }
        guard let bytes = try chunk(of: event, limit: limit) else { return .end }
        return .chunk(bytes)
    }

    func collectIfReceived(limit: Int) throws -> [UInt8]? {
        // Only a `Content-Length` body tells how many bytes are still to come; one waiting for
        // `100 Continue` takes the regular path, which sends it.
        guard !expectsContinue, let declaredLength else { return nil }
        let (complete, failed, received) = state.withLock { ($0.complete, $0.failed, $0.received) }
        guard !complete, !failed, declaredLength - received <= connection.bufferedByteCount else { return nil }
        var bytes: [UInt8] = []
        while true {
            switch try nextBufferedChunk(limit: limit) {
            case .chunk(let chunk):
                if bytes.isEmpty { bytes = chunk } else { bytes.append(contentsOf: chunk) }
            case .end:
                return bytes
            case .needsRead:
                // Every byte the framing announced was buffered, so the parser cannot need more;
                // if it does, the request is not what it claimed to be.
                markFailed()
                throw HTTPError.badRequest
            }
        }
    }

    /// The chunk a body event carries (`nil` at the end), counted against `limit`.
    private func chunk(of event: HTTPRequestParser.Event, limit: Int) throws -> [UInt8]? {
        switch event {
        case .body(let bytes):
            let withinLimit = state.withLock { state in
                state.received += bytes.count
                return state.received <= limit
            }
            guard withinLimit else {
                markFailed()
                throw HTTPError.payloadTooLarge
            }
            return bytes
        case .end:
            state.withLock { $0.complete = true }
            return nil
        case .head:
            markFailed()
            throw HTTPError.badRequest
        }
    }

    /// Reads and drops the rest of the body if it is at most `limit` bytes; returns whether the
    /// connection is still in step (false: it must close).
    func discardRemainder(upTo limit: Int) async -> Bool {
        let (complete, failed, received, continueSent) = state.withLock {
            ($0.complete, $0.failed, $0.received, $0.continueSent)
        }
        if complete { return true }
        if failed || (expectsContinue && !continueSent) { return false }
        if let declaredLength, declaredLength - received > limit { return false }
        var discarded = 0
        do {
            while let chunk = try await nextChunk(limit: Int.max) {
                discarded += chunk.count
                if discarded > limit { return false }
            }
        } catch {
            return false
        }
        return true
    }
}
