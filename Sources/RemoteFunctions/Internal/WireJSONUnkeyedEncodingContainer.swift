/// The unkeyed container of ``WireJSONEncoder``: writes the elements of the array of its frame.
struct WireJSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: WireJSONEncoder
    let frameID: Int
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }
    var count: Int { encoder.elementCount(frameID: frameID) }

    mutating func encodeNil() throws {
        _ = try encoder.beginElement(frameID: frameID)
        encoder.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        _ = try encoder.beginElement(frameID: frameID)
        encoder.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        _ = try encoder.beginElement(frameID: frameID)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        _ = try encoder.beginElement(frameID: frameID)
        try encoder.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        _ = try encoder.beginElement(frameID: frameID)
        try encoder.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws {
        _ = try encoder.beginElement(frameID: frameID)
        encoder.writeInteger(value)
    }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        let index = try encoder.beginElement(frameID: frameID)
        try encoder.encodeValue(value, path: .index(index, path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        _ = encoder.fallback()
        return KeyedEncodingContainer(
            WireJSONKeyedEncodingContainer<NestedKey>(encoder: encoder, frameID: -1, path: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        _ = encoder.fallback()
        return WireJSONUnkeyedEncodingContainer(encoder: encoder, frameID: -1, path: path)
    }

    mutating func superEncoder() -> any Encoder {
        _ = encoder.fallback()
        return encoder
    }

    private func integer(_ value: some FixedWidthInteger) throws {
        _ = try encoder.beginElement(frameID: frameID)
        encoder.writeInteger(value)
    }
}
