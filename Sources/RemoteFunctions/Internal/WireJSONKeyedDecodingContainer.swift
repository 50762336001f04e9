/// The keyed container of ``WireJSONDecoder``: an object's members, found by scanning the
/// object (or, for a large one, through an index made once). As with Foundation, the first of
/// duplicate keys wins, and keys compare as Swift strings (canonical equivalence); plain ASCII
/// keys compare byte for byte, which is the same thing for them.
struct WireJSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// Objects with more members than this get an index.
    static var maximumUnindexedMembers: Int { 8 }

    let decoder: WireJSONDecoder
    let objectStart: Int
    /// The index of a large object's members, in document order.
    let members: [JSONMember]?
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    var allKeys: [Key] {
        var names: [String] = []
        forEachMember { member in
            if let name = keyString(member), !names.contains(name) { names.append(name) }
            return false
        }
        return names.compactMap { Key(stringValue: $0) }
    }

    /// Calls `body` with each member in document order until it returns `true`; returns that
    /// member.
    @discardableResult
    private func forEachMember(_ body: (JSONMember) -> Bool) -> JSONMember? {
        if let members {
            return members.first(where: body)
        }
        return decoder.scanner.forEachMember(ofObjectAt: objectStart, body)
    }

    func contains(_ key: Key) -> Bool {
        member(for: key) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.decodeNil(at: try valueStart(for: key))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try decoder.decodeBool(at: valueStart(for: key), path: .key(key, path))
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.decodeString(at: valueStart(for: key), path: .key(key, path))
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.decodeDouble(at: valueStart(for: key), path: .key(key, path))
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try decoder.decodeFloat(at: valueStart(for: key), path: .key(key, path))
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try decoder.decodeInt(at: valueStart(for: key), path: .key(key, path))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        try decoder.decodeValue(type, at: valueStart(for: key), path: .key(key, path))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(
            try decoder.keyedContainer(keyedBy: type, at: valueStart(for: key), path: .key(key, path)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.unkeyedContainer(at: valueStart(for: key), path: .key(key, path))
    }

    func superDecoder() throws -> any Decoder {
        throw decoder.fallback()
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw decoder.fallback()
    }

    private func integer<Integer: FixedWidthInteger>(_ type: Integer.Type, _ key: Key) throws -> Integer {
        try decoder.decodeInteger(type, at: valueStart(for: key), path: .key(key, path))
    }

    /// The offset of the value of `key`; throws `keyNotFound` when the object has no such member.
    private func valueStart(for key: Key) throws -> Int {
        guard let member = member(for: key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: path.keys, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return member.valueStart
    }

    /// The first member whose key equals `key`.
    private func member(for key: Key) -> JSONMember? {
        var name = key.stringValue
        return name.withUTF8 { name in
            let nameIsASCII = !name.contains { $0 >= 0x80 }
            return decoder.scanner.bytes.withUnsafeBufferPointer { bytes in
                forEachMember { member in
                    if nameIsASCII, member.keyIsPlainASCII {
                        return Self.equal(bytes[member.keyStart..<member.keyEnd], name)
                    }
                    return keyString(member) == key.stringValue
                }
            }
        }
    }

    private static func equal(_ lhs: Slice<UnsafeBufferPointer<UInt8>>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var index = lhs.startIndex
        for byte in rhs {
            if lhs[index] != byte { return false }
            index += 1
        }
        return true
    }

    /// The decoded key of `member`, or `nil` when it is not valid UTF-8.
    private func keyString(_ member: JSONMember) -> String? {
        decoder.scanner.string(from: member.keyStart, to: member.keyEnd)
    }
}
