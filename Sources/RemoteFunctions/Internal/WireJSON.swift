import Foundation

/// The wire's JSON coders: a fast path that reads and writes bytes directly
/// (``WireJSONDecoder``, ``WireJSONEncoder``), and Foundation's `JSONDecoder` and `JSONEncoder`
/// configured by ``RemoteJSON`` for everything the fast path leaves to them, errors included. The
/// two give the same bytes and the same values; the fast path only saves time.
package enum WireJSON {
    /// What the fast path alone made of a value or a document.
    package enum Attempt<Value> {
        /// The fast path finished.
        case done(Value)
        /// The fast path threw (Foundation then decides, and throws its own error).
        case failed(any Error)
        /// The fast path handed the work to Foundation.
        case leftToFoundation
    }

    private static let foundationEncoder = RemoteJSON.makeEncoder()
    private static let foundationDecoder = RemoteJSON.makeDecoder()

    /// Encodes `value` as wire JSON.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        if case .done(let bytes) = fastEncode(value) { return bytes }
        return Array(try foundationEncoder.encode(value))
    }

    /// Decodes wire JSON (not empty: callers map an empty body to `null`). Throws what
    /// Foundation's `JSONDecoder` throws.
    package static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        if case .done(let value) = fastDecode(type, from: bytes) { return value }
        return try foundationDecoder.decode(type, from: Data(bytes))
    }

    /// Encodes with the fast path only.
    package static func fastEncode(_ value: some Encodable) -> Attempt<[UInt8]> {
        let encoder = WireJSONEncoder()
        do {
            try encoder.encodeRoot(value)
        } catch {
            return encoder.needsFallback ? .leftToFoundation : .failed(error)
        }
        return encoder.needsFallback ? .leftToFoundation : .done(encoder.output)
    }

    /// Decodes with the fast path only.
    package static func fastDecode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) -> Attempt<Value> {
        let scanner = JSONScanner(bytes)
        guard let root = scanner.validatedRoot() else { return .leftToFoundation }
        let decoder = WireJSONDecoder(scanner: scanner, root: root)
        do {
            let value = try decoder.decodeValue(type, at: root, path: .root)
            return decoder.needsFallback ? .leftToFoundation : .done(value)
        } catch {
            return decoder.needsFallback ? .leftToFoundation : .failed(error)
        }
    }
}
