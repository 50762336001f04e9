/// The unkeyed container of ``WireJSONDecoder``: walks an array's elements in order. Like
/// Foundation's, it moves to the next element only when decoding the current one succeeds.
struct WireJSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: WireJSONDecoder
    let arrayStart: Int
    let path: CodingPathNode
    private(set) var currentIndex = 0
    /// The offset of the next element, or `nil` past the last one.
    private var next: Int?

    init(decoder: WireJSONDecoder, arrayStart: Int, path: CodingPathNode) {
        self.decoder = decoder
        self.arrayStart = arrayStart
        self.path = path
        let first = decoder.scanner.firstItem(at: arrayStart)
        self.next = decoder.scanner.bytes[first] == UInt8(ascii: "]") ? nil : first
    }

    var codingPath: [any CodingKey] { path.keys }
    var isAtEnd: Bool { next == nil }

    var count: Int? {
        let scanner = decoder.scanner
        let first = scanner.firstItem(at: arrayStart)
        guard scanner.bytes[first] != UInt8(ascii: "]") else { return 0 }
        var count = 1
        var position = first
        while let following = scanner.nextItem(after: scanner.skipValue(at: position)) {
            count += 1
            position = following
        }
        return count
    }

    mutating func decodeNil() throws -> Bool {
        let position = try current(Never?.self)
        guard decoder.decodeNil(at: position) else { return false }
        advance(past: position)
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let position = try current(type)
        let value = try decoder.decodeBool(at: position, path: elementPath)
        advance(past: position)
        return value
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let position = try current(type)
        let value = try decoder.decodeString(at: position, path: elementPath)
        advance(past: position)
        return value
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let position = try current(type)
        let value = try decoder.decodeDouble(at: position, path: elementPath)
        advance(past: position)
        return value
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        let position = try current(type)
        let value = try decoder.decodeFloat(at: position, path: elementPath)
        advance(past: position)
        return value
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        let position = try current(type)
        let value = try decoder.decodeInt(at: position, path: elementPath)
        advance(past: position)
        return value
    }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let position = try current(type)
        let value = try decoder.decodeValue(type, at: position, path: elementPath)
        advance(past: position)
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let position = try current([String: Any].self)
        let container = try decoder.keyedContainer(keyedBy: type, at: position, path: elementPath)
        advance(past: position)
        return KeyedDecodingContainer(container)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let position = try current([Any].self)
        let container = try decoder.unkeyedContainer(at: position, path: elementPath)
        advance(past: position)
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        throw decoder.fallback()
    }

    private var elementPath: CodingPathNode { .index(currentIndex, path) }

    private mutating func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        let position = try current(type)
        let value = try decoder.decodeInteger(type, at: position, path: elementPath)
        advance(past: position)
        return value
    }

    /// The offset of the current element; throws `valueNotFound` past the end.
    private func current(_ type: Any.Type) throws -> Int {
        guard let next else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: elementPath.keys, debugDescription: "Unkeyed container is at end."))
        }
        return next
    }

    private mutating func advance(past position: Int) {
        let scanner = decoder.scanner
        next = scanner.nextItem(after: scanner.skipValue(at: position))
        currentIndex += 1
    }
}
