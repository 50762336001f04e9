import Foundation
import RemoteFunctions

/// The server's JSON coding: `RemoteFunctions`' wire coders (a byte-level fast path with
/// Foundation's `JSONEncoder`/`JSONDecoder` configured by `RemoteJSON` behind it), with decoding
/// failures turned into `invalid_argument` errors.
enum WireCoders {
    /// Encodes like `RemoteJSON.encode`.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        try WireJSON.encode(value)
    }

    /// Decodes like `RemoteJSON.decode`: an empty body is `null`, and a failure is
    /// `invalid_argument` naming the path of the bad field.
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws(RemoteError) -> Value {
        do {
            return try WireJSON.decode(type, from: bytes.isEmpty ? Array("null".utf8) : bytes)
        } catch let error as DecodingError {
            throw RemoteError(.invalidArgument, RemoteJSON.describe(error))
        } catch {
            throw RemoteError(.invalidArgument, "the body is not valid JSON")
        }
    }
}
