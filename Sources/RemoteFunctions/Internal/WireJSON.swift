import Foundation

/// The wire's JSON coders: a fast path that reads and writes bytes directly
/// (``WireJSONDecoder``, ``WireJSONEncoder``), and Foundation's `JSONDecoder` and `JSONEncoder`
/// configured by ``RemoteJSON`` for everything the fast path leaves to them, errors included. The
/// two give the same bytes and the same values; the fast path only saves time.
package enum WireJSON {
    private static let foundationEncoder = RemoteJSON.makeEncoder()
    private static let foundationDecoder = RemoteJSON.makeDecoder()

    /// Encodes `value` as wire JSON.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = WireJSONEncoder()
        do {
            try encoder.encodeRoot(value)
            if !encoder.needsFallback { return encoder.output }
        } catch {
            // Foundation encodes it below, and throws its own error if it cannot.
        }
        return Array(try foundationEncoder.encode(value))
    }

    /// Decodes wire JSON (not empty: callers map an empty body to `null`). Throws what
    /// Foundation's `JSONDecoder` throws.
    package static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        let scanner = JSONScanner(bytes)
        if let root = scanner.validatedRoot() {
            let decoder = WireJSONDecoder(scanner: scanner, root: root)
            do {
                let value = try decoder.decodeValue(type, at: root, path: .root)
                if !decoder.needsFallback { return value }
            } catch {
                // Foundation decodes it below, and throws the error it finds.
            }
        }
        return try foundationDecoder.decode(type, from: Data(bytes))
    }
}
