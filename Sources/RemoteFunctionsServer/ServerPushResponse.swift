/// The rest of a streamed response once the handler has returned: written without suspending,
/// from any thread, with no task behind it (see ``ServerResponseWriter/detach()``).
///
/// The runtime uses it for streams fed by a ``PollableStreamSource`` (a shared live query, a
/// broadcast): an idle stream then costs a connection's buffers and a small record, not a task,
/// and a new value reaches each subscriber by a direct write instead of a task switch.
///
/// Calls to ``send(_:)`` and ``finish()`` must not overlap; the runtime serialises them.
public protocol ServerPushResponse: Sendable {
    /// Sets what runs when the outbound buffer has drained after ``hasRoom()`` answered `false`,
    /// and what runs once the response's connection closes for any reason (at once if it has).
    func setHandlers(onWritable: @escaping @Sendable () -> Void, onClose: @escaping @Sendable () -> Void)

    /// Whether the outbound buffer is below its high-water mark; when it is not, the writable
    /// handler runs once it has drained.
    func hasRoom() -> Bool

    /// Queues body bytes whatever the buffer holds; returns `false` once the response has ended.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool

    /// Ends the response once the queued bytes have been sent.
    func finish()
}
