/// A stream item encoded once for every reader: its JSON, its cursor, and the bytes of the event
/// that carries it.
///
/// A source that hands the same value to many subscribers (a shared live query, a broadcast) makes
/// one of these per value. Served as a pushed stream (see ``EncodedStreamSource``), every
/// subscriber is sent the same bytes: nothing is encoded, framed or copied per subscriber.
public final class EncodedStreamItem: Sendable {
    /// The item's wire JSON.
    public let json: [UInt8]
    /// The item's cursor (the SSE `id:`), or `nil` when the stream cannot resume from it.
    public let cursor: String?
    /// The `event: next` frame carrying the item.
    let frame: [UInt8]

    /// Pairs JSON encoded by ``EncodedJSON`` with the item's cursor.
    public init<Value>(_ encoded: EncodedJSON<Value>, cursor: String?) {
        self.json = encoded.bytes
        self.cursor = cursor
        self.frame = StreamEventSink.frame(json: encoded.bytes, cursor: cursor)
    }

    /// The JSON as the ``EncodedJSON`` of `Value`, to attach to a ``StreamItem``. The caller vouches
    /// that the bytes encode a `Value` (as with ``EncodedJSON/reinterpreted(as:)``).
    public func encodedJSON<Value>(as _: Value.Type) -> EncodedJSON<Value> {
        EncodedJSON(bytes: json)
    }
}
