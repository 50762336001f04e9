import Foundation
import RemoteFunctions

/// A ``PollableStreamSource`` with its element type erased: it hands out ready-made
/// `event: next` frames.
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
        cancel = { source.cancel() }
    }
}
