import Foundation
import RemoteFunctions

/// The opaque cursor of `participants.page`: the last id of the previous page, encoded as
/// base64url of `p1:<id>` so that clients treat it as a token and the format can change.
enum ParticipantCursor {
    static func encode(lastID: Int) -> String {
        Data("p1:\(lastID)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws(RemoteError) -> Int {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 64,
            let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8),
            text.hasPrefix("p1:"),
            let id = Int(text.dropFirst(3)), id >= 0
        else {
            throw RemoteError(.invalidArgument, "invalid cursor")
        }
        return id
    }
}
