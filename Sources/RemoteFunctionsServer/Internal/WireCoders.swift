import Foundation
import RemoteFunctions

/// One encoder and one decoder configured by `RemoteJSON`, created once and shared: creating
/// them per call costs more than encoding a small value. Foundation's `JSONEncoder` and
/// `JSONDecoder` are safe to use from several threads at once (their options are immutable here).
enum WireCoders {
    private static let encoder = RemoteJSON.makeEncoder()
    private static let decoder = RemoteJSON.makeDecoder()

    /// Encodes like `RemoteJSON.encode`.
    static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    /// Decodes like `RemoteJSON.decode`: an empty body is `null`, and a failure is
    /// `invalid_argument` naming the path of the bad field.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws(RemoteError) -> Value {
        do {
            return try decoder.decode(type, from: data.isEmpty ? Data("null".utf8) : data)
        } catch let error as DecodingError {
            throw RemoteError(.invalidArgument, RemoteJSON.describe(error))
        } catch {
            throw RemoteError(.invalidArgument, "the body is not valid JSON")
        }
    }
}
