import Synchronization

/// The rest of a streamed response after ``HTTPResponseWriter/detach()``: written without
/// suspending, from any thread, with no task behind it.
///
/// ``send(_:)`` frames the bytes (chunked when the response is) and writes them at once when nothing
/// is queued before them, without copying them (so one array can be sent to many connections);
/// what the socket does not take is queued whatever the outbound buffer holds, so a producer must
/// first ask ``hasRoom()``; when it answers `false`, the
/// writable handler runs once the buffer has drained to the low-water mark. The buffer therefore
/// never holds much more than the high-water mark plus one write. ``finish()`` ends the body and
/// closes the connection gracefully once the bytes have left; the close handler runs once when the
/// connection closes for any reason: after ``finish()``, when the client hangs up, when a write
/// stalls past the write timeout, or when the server shuts down.
///
/// Calls to ``send(_:)`` and ``finish()`` must not overlap (a producer serialises them); the
/// handlers run outside any lock, on a loop thread or on the thread of the call that noticed.
public final class HTTPDetachedResponse: Sendable {
    private let writer: HTTPResponseWriter
    // Held directly, not through the writer: a fan-out to many responses touches one object less
    // (one cache miss less) per response.
    private let channel: SocketChannel

    private let chunked: Bool
    private let bodySuppressed: Bool
    private let finished = Atomic(false)

    init(writer: HTTPResponseWriter, chunked: Bool, bodySuppressed: Bool) {
        self.writer = writer
        self.channel = writer.channel
        self.chunked = chunked
        self.bodySuppressed = bodySuppressed
    }

    /// Sets what runs when the connection closes (once; at once if it is closed already) and what
    /// runs when the outbound buffer has drained after ``hasRoom()`` answered `false`.
    public func setHandlers(
        onWritable: @escaping @Sendable () -> Void, onClose: @escaping @Sendable () -> Void
    ) {
        channel.setWritableHandler(onWritable)
        channel.addCloseHandler(onClose)
    }

    /// Whether the outbound buffer is below its high-water mark. When it is not, the writable
    /// handler runs once the buffer has drained.
    public func hasRoom() -> Bool {
        channel.hasRoomOrArmWritableHandler()
    }

    /// Queues `bytes` as body; returns `false` once the response or the connection has ended.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        if finished.load(ordering: .acquiring) { return false }
        if bytes.isEmpty || bodySuppressed { return !channel.isClosed }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        if !chunked { return channel.enqueue(head: none, body: bytes, tail: none) }
        // The chunk's size line is built on the stack, so the bytes themselves (often shared by
        // every subscriber of a broadcast) are neither copied nor reallocated.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { sizeLine in
            var length = 0
            HTTPResponseWriter.writeHex(bytes.count, into: sizeLine, length: &length)
            sizeLine[length] = 13
            sizeLine[length + 1] = 10
            return HTTPResponseWriter.crlf.withUnsafeBytes { crlf in
                channel.enqueue(
                    head: UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(sizeLine)[0..<(length + 2)]),
                    body: bytes, tail: crlf)
            }
        }
    }

    /// Ends the body and closes the connection once it has been sent. Later calls do nothing.
    public func finish() {
        finished.store(true, ordering: .releasing)
        writer.finishDetached()
    }

    /// Whether the connection has closed.
    public var isClosed: Bool { channel.isClosed }

    /// The bytes queued and not yet taken by the kernel.
    public var bufferedByteCount: Int { channel.outboundByteCount }
}
