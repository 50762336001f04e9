import Foundation
import RemoteFunctions

/// A registered handler, erased from its descriptor's generic types so the registry can hold any
/// function. Arguments arrive as JSON bytes and outputs leave as JSON bytes.
struct RegisteredFunction: Sendable {
    /// Decodes the arguments, runs the handler and encodes its output.
    typealias UnaryInvocation = @Sendable (_ arguments: [UInt8], _ context: RequestContext) async throws -> [UInt8]
    /// Decodes the arguments and does whatever must happen before the first frame (for the sequence
    /// form, building the sequence), so failures there are early errors. Returns what produces the
    /// stream's values.
    typealias StreamStart = @Sendable (_ arguments: [UInt8], _ context: RequestContext) async throws -> StreamProducer
    /// Produces the stream's values into a sink, returning at the normal end.
    typealias StreamBody = @Sendable (_ sink: StreamEventSink) async throws -> Void

    enum Invocation: Sendable {
        case unary(UnaryInvocation)
        case stream(StreamStart)
    }

    let kind: RemoteFunctionKind
    let check: RemoteGuard?
    let invocation: Invocation
    /// A stream's declared overflow policy; a channel subscription's buffer applies it.
    var overflow: StreamOverflowPolicy = .bounded(256)
    /// The server's logger with the function's id as metadata, made once at registration rather
    /// than on every call.
    var logger: RemoteLogger = .disabled
}
