/// A ``PollableStreamSource`` whose items are encoded ahead of time, once for all of its readers.
///
/// When the server serves such a source as a pushed stream, it polls ``pollEncoded()`` instead of
/// ``PollableStreamSource/poll()`` and sends each ``EncodedStreamItem``'s bytes as they are: the
/// per-subscriber work is then a buffer hand-over and a write, with no encoding and no generic
/// code. Both `poll` methods read the same items; the server uses one of them per stream.
public protocol EncodedStreamSource<Value>: PollableStreamSource {
    /// The next item, encoded, without waiting. Throws the error the stream ended with, like
    /// ``PollableStreamSource/poll()``; the item's JSON must be that of a `Value`.
    func pollEncoded() throws -> EncodedStreamPoll
}
