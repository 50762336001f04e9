import Foundation
import LiveSessionsAPI
import RemoteFunctionsClient

/// Draws a session's participants as a table that redraws in place with ANSI escapes.
struct ParticipantTable {
    var sessionCode: String
    var update: ParticipantsUpdate?
    var state: RemoteConnectionState = .connecting

    static let hideCursor = "\u{1B}[?25l"
    static let showCursor = "\u{1B}[?25h"
    static let clearScreen = "\u{1B}[2J"

    /// The whole screen: cursor home, each line cleared to its end, and everything below erased.
    func render(width: Int, height: Int, now: Date) -> String {
        var lines: [String] = []
        let stats = update?.stats
        lines.append(bold("LiveSessions · \(sessionCode)") + "  " + connectionLabel)
        if let stats {
            lines.append(
                "\(stats.total) participants   " + green("● \(stats.byStatus.active) active") + "   "
                    + yellow("● \(stats.byStatus.idle) idle") + "   " + dim("● \(stats.byStatus.away) away"))
        } else {
            lines.append(dim("waiting for the first update…"))
        }
        if let update {
            lines.append(dim("updated \(update.timestamp.formatted(date: .omitted, time: .standard))"))
        }
        lines.append("")
        let nameWidth = max(10, min(40, width - 34))
        lines.append(bold(pad("ID", 8) + pad("NAME", nameWidth) + pad("STATUS", 9) + "JOINED"))
        let rows = max(0, height - lines.count - 2)
        let participants = (update?.participants ?? []).reversed()
        for participant in participants.prefix(rows) {
            lines.append(
                pad(String(participant.id), 8) + pad(truncate(participant.name, nameWidth - 1), nameWidth)
                    + colored(pad(participant.status.rawValue, 9), participant.status)
                    + Self.ago(participant.joinedAt, now: now))
        }
        if participants.count > rows {
            lines.append(dim("… \(participants.count - rows) more (newest shown first)"))
        }
        return "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\n\u{1B}[J"
    }

    private var connectionLabel: String {
        switch state {
        case .idle, .connecting: yellow("connecting…")
        case .open: green("live")
        case .reconnecting(let attempt, _): yellow("reconnecting (attempt \(attempt))…")
        case .closed: dim("closed")
        case .failed(let error): "\u{1B}[31mfailed: \(error.message)\u{1B}[0m"
        }
    }

    static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        default: return "\(seconds / 3600)h \(seconds % 3600 / 60)m ago"
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }

    private func colored(_ text: String, _ status: ParticipantStatus) -> String {
        switch status {
        case .active: green(text)
        case .idle: yellow(text)
        case .away: dim(text)
        }
    }

    private func bold(_ text: String) -> String { "\u{1B}[1m\(text)\u{1B}[0m" }
    private func dim(_ text: String) -> String { "\u{1B}[2m\(text)\u{1B}[0m" }
    private func green(_ text: String) -> String { "\u{1B}[32m\(text)\u{1B}[0m" }
    private func yellow(_ text: String) -> String { "\u{1B}[33m\(text)\u{1B}[0m" }
}
