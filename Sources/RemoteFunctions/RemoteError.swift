/// A typed error that crosses the wire: a ``Code`` that decides the HTTP status and whether a
/// client retries, a message that is safe to show a user, and optional structured details.
///
/// Handlers throw `RemoteError` to send a specific error. Any other error thrown by a handler
/// reaches the client as ``Code/internal`` with a generic message; its detail is only logged.
public struct RemoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// A message that is safe to show to a user. It never contains server internals.
    public var message: String
    /// Optional structured details, such as the current entity in a conflict.
    public var details: JSONValue?

    /// Creates an error.
    public init(_ code: Code, _ message: String, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// Whether a client should retry the call (or reconnect a stream) after this error.
    public var isRetryable: Bool { code.isRetryable }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

extension RemoteError: Codable {
    private enum CodingKeys: String, CodingKey {
        case code, message, details
    }

    /// Decodes `{"code": "...", "message": "...", "details": ...}`. An unknown code decodes as
    /// ``Code/unknown`` so that newer servers do not break older clients.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .code)
        self.code = Code(wireName: name) ?? .unknown
        self.message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        self.details = try container.decodeIfPresent(JSONValue.self, forKey: .details)
    }

    /// Encodes `{"code": "...", "message": "...", "details": ...}`; `details` is left out when nil.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code.wireName, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(details, forKey: .details)
    }
}

extension RemoteError {
    /// The JSON body of an error response: `{"error": {...}}`.
    public struct Envelope: Codable, Sendable, Hashable {
        /// The error.
        public var error: RemoteError
        /// Wraps an error.
        public init(error: RemoteError) { self.error = error }
    }
}
