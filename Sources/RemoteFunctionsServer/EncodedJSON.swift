import Foundation
import RemoteFunctions

/// A value already encoded as wire JSON, so that a stream that sends the same value to many
/// subscribers (a broadcast, a shared live query) encodes it once instead of once per subscriber.
///
/// The type parameter ties the bytes to the element type they encode, so a stream can only send
/// the JSON of its own element type. Attach it to a ``StreamItem`` with
/// ``StreamItem/init(_:encoded:cursor:)``.
public struct EncodedJSON<Value>: Sendable, Hashable {
    /// The JSON bytes, on one line (wire JSON never contains a raw line break).
    public let bytes: [UInt8]

    /// Encodes `value` with the wire conventions of `RemoteJSON`.
    public init(_ value: Value) throws where Value: Encodable {
        self.bytes = try WireCoders.encode(value)
    }

    /// Encodes `value` when its dynamic type is `Encodable`, for generic code (such as a shared
    /// live query) that fans one value out to many subscribers; `nil` when it is not encodable
    /// or encoding fails, in which case each subscriber's stream encodes it (and reports any
    /// failure) as usual.
    public init?(encodingIfPossible value: Value) {
        guard let encodable = value as? any Encodable, let bytes = try? WireCoders.encode(encodable) else {
            return nil
        }
        self.bytes = bytes
    }

    /// The same bytes, as the JSON of `Other`: for a wrapper whose `encode(to:)` encodes exactly
    /// the value it wraps, so the bytes encoded once for the wrapper can be sent as the wrapped
    /// value. The caller vouches that the two types encode identically.
    public func reinterpreted<Other>(as _: Other.Type) -> EncodedJSON<Other> {
        EncodedJSON<Other>(bytes: bytes)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
