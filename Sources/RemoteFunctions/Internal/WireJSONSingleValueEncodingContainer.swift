/// The single-value container of ``WireJSONEncoder``: writes the one value of its frame.
struct WireJSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: WireJSONEncoder
    let frameID: Int
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    mutating func encodeNil() throws {
        try encoder.beginSingleValue(frameID: frameID)
        encoder.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        try encoder.beginSingleValue(frameID: frameID)
        encoder.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        try encoder.beginSingleValue(frameID: frameID)
        encoder.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        try encoder.beginSingleValue(frameID: frameID)
        try encoder.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        try encoder.beginSingleValue(frameID: frameID)
        try encoder.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws {
        try encoder.beginSingleValue(frameID: frameID)
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
        try encoder.beginSingleValue(frameID: frameID)
        try encoder.encodeValue(value, path: path)
    }

    private func integer(_ value: some FixedWidthInteger) throws {
        try encoder.beginSingleValue(frameID: frameID)
        encoder.writeInteger(value)
    }
}
