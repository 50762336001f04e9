import Foundation

/// A `Decoder` that reads a validated JSON document in place, without building a tree first.
///
/// One instance serves a whole decode: entering a nested value saves and restores ``position`` and
/// ``path``, and containers capture the position and path they were made at. Whatever it is not
/// certain to decode exactly like Foundation's `JSONDecoder` configured by `RemoteJSON` sets
/// ``needsFallback`` and throws ``JSONFallback``; ``WireJSON`` then decodes with Foundation.
final class WireJSONDecoder: Decoder {
    let scanner: JSONScanner
    // Exclusivity is not checked dynamically for these: one decode runs on one thread, and no
    // access to them overlaps another.
    /// The offset of the value being decoded.
    @exclusivity(unchecked) private(set) var position: Int
    /// The path of the value being decoded.
    @exclusivity(unchecked) private(set) var path: CodingPathNode = .root
    /// Set when Foundation must decode the document instead.
    @exclusivity(unchecked) private(set) var needsFallback = false

    init(scanner: JSONScanner, root: Int) {
        self.scanner = scanner
        self.position = root
    }

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try KeyedDecodingContainer(keyedContainer(keyedBy: type, at: position, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try unkeyedContainer(at: position, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        WireJSONSingleValueDecodingContainer(decoder: self, position: position, path: path)
    }

    // MARK: Containers

    func keyedContainer<Key: CodingKey>(
        keyedBy _: Key.Type, at index: Int, path: CodingPathNode
    ) throws -> WireJSONKeyedDecodingContainer<Key> {
        switch scanner.bytes[index] {
        case UInt8(ascii: "{"):
            var count = 0
            try scanner.forEachMember(ofObjectAt: index) { member in
                count += 1
                // Foundation reads every key of an object; one that is not valid UTF-8 fails there.
                if !member.keyIsPlainASCII, scanner.string(from: member.keyStart, to: member.keyEnd) == nil {
                    throw fallback()
                }
                return false
            }
            // A small object is scanned again for each key looked up, which costs less than
            // allocating an index of its members.
            let members =
                count > WireJSONKeyedDecodingContainer<Key>.maximumUnindexedMembers
                ? scanner.members(ofObjectAt: index) : nil
            return WireJSONKeyedDecodingContainer(decoder: self, objectStart: index, members: members, path: path)
        case UInt8(ascii: "n"):
            throw DecodingError.valueNotFound(
                [String: Any].self,
                DecodingError.Context(
                    codingPath: path.keys, debugDescription: "Cannot get keyed container -- found null"))
        default:
            throw mismatch([String: Any].self, at: index, path: { path })
        }
    }

    func unkeyedContainer(at index: Int, path: CodingPathNode) throws -> WireJSONUnkeyedDecodingContainer {
        switch scanner.bytes[index] {
        case UInt8(ascii: "["):
            return WireJSONUnkeyedDecodingContainer(decoder: self, arrayStart: index, path: path)
        case UInt8(ascii: "n"):
            throw DecodingError.valueNotFound(
                [Any].self,
                DecodingError.Context(
                    codingPath: path.keys, debugDescription: "Cannot get unkeyed container -- found null"))
        default:
            throw mismatch([Any].self, at: index, path: { path })
        }
    }

    // MARK: Values

    /// Decodes the value at `index`: scalars directly, anything else through its `init(from:)`
    /// with this decoder moved to `index` and `path`.
    func decodeValue<Value: Decodable>(
        _ type: Value.Type, at index: Int, path: @autoclosure () -> CodingPathNode
    ) throws -> Value {
        if Value.self == String.self, let value = try decodeString(at: index, path: path()) as? Value { return value }
        if Value.self == Int.self, let value = try decodeInt(at: index, path: path()) as? Value {
            return value
        }
        if Value.self == Bool.self, let value = try decodeBool(at: index, path: path()) as? Value { return value }
        if Value.self == Double.self, let value = try decodeDouble(at: index, path: path()) as? Value { return value }
        if Value.self == Date.self, let value = try decodeDate(at: index, path: path()) as? Value { return value }
        if Value.self == Float.self || Value.self == Data.self || Value.self == URL.self || Value.self == Decimal.self {
            // Foundation has its own rules for these (base64, URL validation, decimal parsing).
            throw fallback()
        }
        let saved = (position, self.path)
        position = index
        self.path = path()
        defer { (position, self.path) = saved }
        return try Value(from: self)
    }

    func decodeNil(at index: Int) -> Bool {
        scanner.bytes[index] == UInt8(ascii: "n")
    }

    func decodeBool(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> Bool {
        switch scanner.bytes[index] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw mismatch(Bool.self, at: index, path: path)
        }
    }

    func decodeString(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> String {
        guard scanner.bytes[index] == UInt8(ascii: "\"") else { throw mismatch(String.self, at: index, path: path) }
        guard let string = scanner.string(at: index) else { throw fallback() }
        return string
    }

    func decodeInteger<Integer: FixedWidthInteger>(
        _ type: Integer.Type, at index: Int, path: @autoclosure () -> CodingPathNode
    ) throws -> Integer {
        let byte = scanner.bytes[index]
        guard byte == UInt8(ascii: "-") || JSONScanner.isDigit(byte) else {
            throw mismatch(type, at: index, path: path)
        }
        guard let value = scanner.integer(at: index, as: type) else { throw fallback() }
        return value
    }

    /// Decodes `Int` without generic code.
    func decodeInt(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> Int {
        let byte = scanner.bytes[index]
        guard byte == UInt8(ascii: "-") || JSONScanner.isDigit(byte) else {
            throw mismatch(Int.self, at: index, path: path)
        }
        guard let value = scanner.integer(at: index) else { throw fallback() }
        return value
    }

    func decodeDouble(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> Double {
        let byte = scanner.bytes[index]
        guard byte == UInt8(ascii: "-") || JSONScanner.isDigit(byte) else {
            throw mismatch(Double.self, at: index, path: path)
        }
        guard let value = scanner.double(at: index) else { throw fallback() }
        return value
    }

    func decodeFloat(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> Float {
        _ = index
        _ = path
        // Parsing a float through a double may round twice; Foundation parses it directly.
        throw fallback()
    }

    private func decodeDate(at index: Int, path: @autoclosure () -> CodingPathNode) throws -> Date {
        let text = try decodeString(at: index, path: path())
        guard let date = RemoteJSON.parseDate(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path().keys, debugDescription: "expected an ISO 8601 date"))
        }
        return date
    }

    // MARK: Errors

    /// Records that Foundation must decode the document and returns the error to throw.
    func fallback() -> JSONFallback {
        needsFallback = true
        return JSONFallback()
    }

    /// A type mismatch (or a missing value, for `null`) for the value at `index`.
    func mismatch(_ type: Any.Type, at index: Int, path: () -> CodingPathNode) -> DecodingError {
        let found: String
        switch scanner.bytes[index] {
        case UInt8(ascii: "n"):
            return DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: path().keys,
                    debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        case UInt8(ascii: "{"): found = "a dictionary"
        case UInt8(ascii: "["): found = "an array"
        case UInt8(ascii: "\""): found = "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "bool"
        default: found = "number"
        }
        return DecodingError.typeMismatch(
            type,
            DecodingError.Context(
                codingPath: path().keys, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }
}
