import Foundation
import RemoteFunctions

/// One subscription on a ``RemoteChannel``: encodes its values and final frame with its `sub`
/// name and puts them into its buffer on the channel.
///
/// Frames (`docs/PROTOCOL.md` section 10.4): `event: next` with
/// `data: {"sub":"s1","cursor":"41","value":…}` (`cursor` only when the value has one),
/// `event: end` with `data: {"sub":"s1"}`, `event: error` with `data: {"sub":"s1","error":{…}}`.
struct ChannelSubscription: StreamValueWriter {
    let channel: RemoteChannel
    let token: Int
    let name: String

    func writeValue(json: [UInt8], cursor: String?) async throws {
        var frame: [UInt8] = []
        frame.reserveCapacity(json.count + name.utf8.count + (cursor?.utf8.count ?? 0) + 48)
        frame += Self.nextPrefix
        frame += name.utf8
        frame.append(UInt8(ascii: "\""))
        if let cursor {
            frame += Self.cursorField
            frame += Self.jsonString(cursor)
        }
        frame += Self.valueField
        frame += json
        frame += Self.frameEnd
        try await channel.push(frame, token: token, final: false)
    }

    /// Puts the final frame for `ending` into the buffer; nothing when the subscriber has gone.
    func finish(_ ending: StreamEnding) async {
        let frame: [UInt8]
        switch ending {
        case .finished:
            frame = Array("event: \(RemoteWire.endEvent)\ndata: {\"sub\":\"\(name)\"}\n\n".utf8)
        case .failed(let error):
            frame = errorFrame(error)
        case .shutdown:
            frame = errorFrame(RemoteError(.unavailable, "the server is shutting down; reconnect to resume"))
        case .clientGone:
            return
        }
        try? await channel.push(frame, token: token, final: true)
    }

    private func errorFrame(_ error: RemoteError) -> [UInt8] {
        let encoded =
            (try? WireCoders.encode(error))
            ?? Array(#"{"code":"internal","message":"internal error"}"#.utf8)
        return Array("event: \(RemoteWire.errorEvent)\ndata: {\"sub\":\"\(name)\",\"error\":".utf8) + encoded
            + Array("}\n\n".utf8)
    }

    /// A string as JSON; cursors are short, so Foundation's encoder is not worth its cost here.
    static func jsonString(_ text: String) -> [UInt8] {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            // The usual cursor (digits, letters): no escaping needed.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + 2)
            bytes.append(UInt8(ascii: "\""))
            bytes += utf8
            bytes.append(UInt8(ascii: "\""))
            return bytes
        }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes += [92, 34]
            case "\\": bytes += [92, 92]
            case _ where scalar.value < 0x20:
                bytes += Array(String(format: "\\u%04x", scalar.value).utf8)
            default: bytes += Array(String(scalar).utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }

    /// Whether `name` is a valid `sub`: 1 to 64 of `A-Z a-z 0-9 . _ -`, so it needs no escaping.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == 46 || byte == 95 || byte == 45
        }
    }

    private static let nextPrefix = Array("event: \(RemoteWire.nextEvent)\ndata: {\"sub\":\"".utf8)
    private static let cursorField = Array(",\"cursor\":".utf8)
    private static let valueField = Array(",\"value\":".utf8)
    private static let frameEnd = Array("}\n\n".utf8)
}
