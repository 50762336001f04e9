import Foundation
import RemoteFunctions

/// A ``PollableStreamSource`` with its element type erased: it hands out ready-made
/// `event: next` frames (an ``EncodedStreamSource``'s own, shared by every reader).
///
/// An encoded source is kept as is, inline, rather than behind closures: a fan-out polls thousands
/// of sources in turn, and each closure context would be one more object to fetch from memory.
struct PolledSource: Sendable {
    /// What ``next()`` found.
    enum Next {
        case frame([UInt8])
        case empty
        case finished
    }

    private struct Typed: Sendable {
        let setReadableHandler: @Sendable (@escaping @Sendable () -> Void) -> Void
        let next: @Sendable () throws -> Next
        let cancel: @Sendable () -> Void
    }

    private enum Kind: Sendable {
        case encoded(any EncodedStreamSource)
        case typed(Typed)
    }

    private let kind: Kind

    init<Source: PollableStreamSource>(_ source: Source) where Source.Value: Encodable {
        if let encodedSource = source as? any EncodedStreamSource {
            kind = .encoded(encodedSource)
            return
        }
        kind = .typed(
            Typed(
                setReadableHandler: { source.setReadableHandler($0) },
                next: {
                    switch try source.poll() {
                    case .item(let item):
                        let json: [UInt8]
                        if let encoded = item.encoded {
                            json = encoded.bytes
                        } else {
                            do {
                                json = Array(try WireCoders.encode(item.element))
                            } catch {
                                throw RemoteError(.internal, "a stream value could not be encoded")
                            }
                        }
                        return .frame(StreamEventSink.frame(json: json, cursor: item.cursor))
                    case .empty:
                        return .empty
                    case .finished:
                        return .finished
                    }
                },
                cancel: { source.cancel() }))
    }

    /// See ``PollableStreamSource/setReadableHandler(_:)``.
    func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        switch kind {
        case .encoded(let source): source.setReadableHandler(handler)
        case .typed(let source): source.setReadableHandler(handler)
        }
    }

    /// The next frame, without waiting; throws the error the stream ended with.
    func next() throws -> Next {
        switch kind {
        case .encoded(let source):
            switch try source.pollEncoded() {
            case .item(let item): return .frame(item.frame)
            case .empty: return .empty
            case .finished: return .finished
            }
        case .typed(let source):
            return try source.next()
        }
    }

    /// See ``PollableStreamSource/cancel()``.
    func cancel() {
        switch kind {
        case .encoded(let source): source.cancel()
        case .typed(let source): source.cancel()
        }
    }
}
