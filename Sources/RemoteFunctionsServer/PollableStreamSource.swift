/// A source of stream items that the server can serve without a task of its own.
///
/// When a stream handler returns a sequence that also conforms to this protocol (as
/// `LiveSubscription` does), and the transport can detach responses, the server does not iterate
/// it in the request's task. It sets a readable handler, polls the source whenever that handler
/// runs and the client's connection has room, and writes each item at once; when the connection
/// is full it stops polling until the connection drains, and the source's own overflow policy
/// decides what a slow subscriber keeps. On other transports (and on a multiplexed channel) the
/// sequence is iterated as usual.
///
/// Conforming types must be safe to call from any thread. ``poll()`` is never called concurrently
/// with itself.
public protocol PollableStreamSource<Value>: Sendable {
    /// The type of the stream's values (its items are `StreamItem<Value>`).
    associatedtype Value: Sendable

    /// Sets the function to call (from any thread, outside the source's locks) when the source goes
    /// from nothing to read to something to read: an item, the end or an error. If something can
    /// be read already, it is called at once. After it runs, the reader polls until ``StreamPoll/empty``.
    func setReadableHandler(_ handler: @escaping @Sendable () -> Void)

    /// The next item, without waiting. Throws the error the stream ended with (a `RemoteError` is
    /// sent as is; any other error as `internal`).
    func poll() throws -> StreamPoll<Value>

    /// The reader has gone: release the subscription. Later polls return ``StreamPoll/finished``.
    func cancel()
}
