public import Foundation

/// The JSON conventions shared by every server and client: dates are ISO 8601 strings with
/// fractional seconds, keys are sorted so output is stable, and decoding errors are turned into
/// messages that name the path of the bad field.
public enum RemoteJSON {
    /// An encoder configured for the wire.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.format(date))
        }
        return encoder
    }

    /// A decoder configured for the wire. It accepts ISO 8601 dates with or without fractional
    /// seconds.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date")
            }
            return date
        }
        return decoder
    }

    /// Parses an ISO 8601 date with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Self.dateStyle) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    private static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Formats a date as ISO 8601 in UTC with exactly three fractional digits, rounded to the
    /// nearest millisecond (the platform formatter truncates, which loses a millisecond to binary
    /// floating point).
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, positiveFraction) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let base = Date(timeIntervalSince1970: TimeInterval(wholeSeconds))
            .formatted(Date.ISO8601FormatStyle())
        let digits = String(positiveFraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Encodes a value as wire JSON.
    public static func encode(_ value: some Encodable) throws -> Data {
        Data(try WireJSON.encode(value))
    }

    /// Decodes wire JSON. An empty body decodes as `null`. A failure throws a ``RemoteError``
    /// with code `invalid_argument` whose message names the path of the bad field, such as
    /// `invalid argument at 'changes.title': expected String`.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws(RemoteError) -> Value {
        let input = data.isEmpty ? Array("null".utf8) : Array(data)
        do {
            return try WireJSON.decode(type, from: input)
        } catch let error as DecodingError {
            throw RemoteError(.invalidArgument, describe(error))
        } catch {
            throw RemoteError(.invalidArgument, "the body is not valid JSON")
        }
    }

    /// A user-safe description of a decoding failure, naming the path of the bad field.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var result = ""
            for key in codingPath {
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return result.isEmpty ? "(root)" : result
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "invalid argument at '\(path(context.codingPath))': expected \(type)"
        case .valueNotFound(let type, let context):
            return "invalid argument at '\(path(context.codingPath))': expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "invalid argument at '\(path(context.codingPath + [key]))': missing required field"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "the body is not valid JSON"
            }
            return "invalid argument at '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "invalid argument"
        }
    }
}
