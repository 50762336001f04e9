public import RemoteFunctions

/// What identifies a shared live query: the function and its canonical arguments. All
/// subscribers with equal keys share one evaluation.
public struct LiveQueryKey: Hashable, Sendable, CustomStringConvertible {
    /// The function, such as `participants.stream`; metrics count evaluations per function.
    public var function: RemoteFunctionID
    /// The arguments in a canonical form (equal arguments must give equal strings).
    public var arguments: String

    /// Creates a key from arguments already in canonical form.
    public init(function: RemoteFunctionID, arguments: String) {
        self.function = function
        self.arguments = arguments
    }

    /// Creates a key whose canonical arguments are their wire JSON (keys sorted).
    public init(function: RemoteFunctionID, arguments: some Encodable) throws {
        let data = try RemoteJSON.encode(arguments)
        self.init(function: function, arguments: String(decoding: data, as: UTF8.self))
    }

    /// `function(arguments)`.
    public var description: String { "\(function)(\(arguments))" }
}
