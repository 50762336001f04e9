import Foundation

/// A minimal structured logger handed to every handler through ``RequestContext/logger``.
///
/// The runtime depends on Foundation only, so it does not use swift-log; a `RemoteLogger` forwards
/// each message to a sink closure, which an application can bridge to its own logging system.
public struct RemoteLogger: Sendable {
    /// How severe a message is.
    public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
        /// Detail useful only while debugging.
        case debug
        /// Normal operation worth recording.
        case info
        /// Something unexpected that the server survived.
        case warning
        /// A failure, such as a handler throwing an internal error.
        case error

        /// Orders levels from ``debug`` to ``error``.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The lower-case name of the level.
        public var description: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    /// The least severe level that reaches the sink.
    public var minimumLevel: Level
    /// Key-value pairs added to every message, such as the function id.
    public var metadata: [String: String]
    private let sink: @Sendable (Level, String, [String: String]) -> Void

    /// Creates a logger that hands every message at or above `minimumLevel` to `sink`.
    public init(
        minimumLevel: Level = .info, metadata: [String: String] = [:],
        sink: @escaping @Sendable (_ level: Level, _ message: String, _ metadata: [String: String]) -> Void
    ) {
        self.minimumLevel = minimumLevel
        self.metadata = metadata
        self.sink = sink
    }

    /// A logger that writes one line per message to standard error.
    public static func standardError(minimumLevel: Level = .warning) -> RemoteLogger {
        RemoteLogger(minimumLevel: minimumLevel) { level, message, metadata in
            let context = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let line = "[\(level)] \(message)\(context.isEmpty ? "" : " \(context)")\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// A logger that drops every message.
    public static let disabled = RemoteLogger(minimumLevel: .error) { _, _, _ in }

    /// Logs `message` at `level` when the level is enabled. The message is built only then.
    public func log(_ level: Level, _ message: @autoclosure () -> String, metadata extra: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        sink(level, message(), extra.isEmpty ? metadata : metadata.merging(extra) { _, new in new })
    }

    /// Returns a copy that adds `value` under `key` to every message.
    public func with(_ key: String, _ value: String) -> RemoteLogger {
        var copy = self
        copy.metadata[key] = value
        return copy
    }
}
