import Foundation
import RemoteFunctions

/// A ``PollableStreamSource`` with its element type erased: it hands out ready-made
/// `event: next` frames (an ``EncodedStreamSource``'s own, shared by every reader).
struct PolledSource: Sendable {
    /// What ``next()`` found.
    enum Next {
        case frame([UInt8])
        case empty
        case finished
    }

    let setReadableHandler: @Sendable (@escaping @Sendable () -> Void) -> Void
    let next: @Sendable () throws -> Next
    let cancel: @Sendable () -> Void

    init<Source: PollableStreamSource>(_ source: Source) where Source.Value: Encodable {
        setReadableHandler = { source.setReadableHandler($0) }
        cancel = { source.cancel() }
        if let encodedSource = source as? any EncodedStreamSource {
            next = {
                switch try encodedSource.pollEncoded() {
                case .item(let item): return .frame(item.frame)
                case .empty: return .empty
                case .finished: return .finished
                }
            }
            return
        }
        next = {
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
        }
    }
}
