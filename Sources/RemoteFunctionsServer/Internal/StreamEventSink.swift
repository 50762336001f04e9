import Foundation
import RemoteFunctions

/// Encodes the values of one stream and hands them to its destination: an ``OpenStream``, which
/// writes them as `event: next` frames serialised with heartbeats, or a channel subscription.
final class StreamEventSink: Sendable {
    private let destination: any StreamValueWriter

    init(destination: any StreamValueWriter) {
        self.destination = destination
    }

    /// Sends one value. Suspends while the client is slow; throws `CancellationError` once the
    /// client has gone or the server is ending the stream.
    func send<Element: Encodable>(_ item: StreamItem<Element>) async throws {
        try Task.checkCancellation()
        let json: [UInt8]
        if let encoded = item.encoded {
            json = encoded.bytes
        } else {
            do {
                json = try WireCoders.encode(item.element)
            } catch {
                throw RemoteError(.internal, "a stream value could not be encoded")
            }
        }
        do {
            try await destination.writeValue(json: json, cursor: item.cursor)
        } catch {
            throw CancellationError()
        }
    }

    /// `event: next`, the optional `id:` and one `data:` line. Wire JSON never contains a raw line
    /// break, so it always fits one `data:` line; line breaks are removed from the cursor.
    static func frame(json: [UInt8], cursor: String?) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(json.count + 32 + (cursor?.utf8.count ?? 0))
        frame += nextPrefix
        if let cursor {
            frame += idPrefix
            frame += cursor.utf8.filter { $0 != 10 && $0 != 13 && $0 != 0 }
            frame.append(10)
        }
        frame += dataPrefix
        frame += json
        frame += [10, 10]
        return frame
    }

    private static let nextPrefix = Array("event: \(RemoteWire.nextEvent)\n".utf8)
    private static let idPrefix = Array("id: ".utf8)
    private static let dataPrefix = Array("data: ".utf8)
}
