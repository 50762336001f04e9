/// The keyed container of ``WireJSONEncoder``: writes `"key":value` members into the object of
/// its frame.
struct WireJSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: WireJSONEncoder
    let frameID: Int
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    mutating func encodeNil(forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        encoder.writeNull()
        encoder.endMember()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        encoder.writeBool(value)
        encoder.endMember()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        encoder.writeString(value)
        encoder.endMember()
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        try encoder.writeFloatingPoint(value)
        encoder.endMember()
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        try encoder.writeFloatingPoint(value)
        encoder.endMember()
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        encoder.writeInteger(value)
        encoder.endMember()
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        try encoder.encodeValue(value, path: .key(key, path))
        encoder.endMember()
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        // A nested container may be filled after later members; Foundation's tree allows that.
        _ = encoder.fallback()
        return KeyedEncodingContainer(
            WireJSONKeyedEncodingContainer<NestedKey>(encoder: encoder, frameID: -1, path: path))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        _ = encoder.fallback()
        return WireJSONUnkeyedEncodingContainer(encoder: encoder, frameID: -1, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        _ = encoder.fallback()
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        _ = encoder.fallback()
        return encoder
    }

    private func integer(_ value: some FixedWidthInteger, _ key: Key) throws {
        try encoder.beginMember(key.stringValue, frameID: frameID)
        encoder.writeInteger(value)
        encoder.endMember()
    }
}
