import RemoteFunctions
import RemoteFunctionsServer

/// One value as fanned out to subscribers, shared by all of them: the value, its cursor and its
/// encoding.
///
/// The value's type is erased so that everything done per subscriber (the buffers, the fan-out
/// loop, a pushed stream's polling) is plain, non-generic code: generic code compiled in this
/// module runs unspecialised for the application's types, and looks up type metadata at every
/// step. Only a reader that wants the typed value casts it back, once per value it reads.
final class LiveItem: Sendable {
    let value: any Sendable
    let cursor: String?
    /// `nil` when the value could not be encoded; a typed reader then encodes it itself (and
    /// reports the failure), and ``encodedOrThrow()`` fails.
    let encoded: EncodedStreamItem?

    init<Value: Sendable>(_ value: Value, cursor: String?, encoded: EncodedJSON<Value>?) {
        self.value = value
        self.cursor = cursor
        self.encoded = encoded.map { EncodedStreamItem($0, cursor: cursor) }
    }

    /// The item as its typed stream item.
    func streamItem<Value: Sendable>(as _: Value.Type) throws -> StreamItem<Value> {
        guard let value = value as? Value else {
            // Unreachable: a subscription's items are made from its query's values.
            throw RemoteError(.internal, "internal error")
        }
        if let encoded {
            return StreamItem(value, encoded: encoded.encodedJSON(as: Value.self), cursor: cursor)
        }
        return StreamItem(value, cursor: cursor)
    }

    /// The item's encoding, for a pushed stream.
    func encodedOrThrow() throws -> EncodedStreamItem {
        guard let encoded else { throw RemoteError(.internal, "a stream value could not be encoded") }
        return encoded
    }
}
