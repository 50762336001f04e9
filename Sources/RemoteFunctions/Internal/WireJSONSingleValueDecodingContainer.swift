/// The single-value container of ``WireJSONDecoder``: the value at one position.
struct WireJSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: WireJSONDecoder
    let position: Int
    let path: CodingPathNode

    var codingPath: [any CodingKey] { path.keys }

    func decodeNil() -> Bool { decoder.decodeNil(at: position) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.decodeBool(at: position, path: path) }
    func decode(_ type: String.Type) throws -> String { try decoder.decodeString(at: position, path: path) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.decodeDouble(at: position, path: path) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.decodeFloat(at: position, path: path) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.decodeInt(at: position, path: path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try decoder.decodeValue(type, at: position, path: path)
    }

    private func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        try decoder.decodeInteger(type, at: position, path: path)
    }
}
