import Foundation
import LiveSessionsAPI
import RemoteFunctions
import RemoteFunctionsClient
import RemoteFunctionsHTTPTransport
import Synchronization

/// `live-sessions watch URL CODE`: a live participant table in the terminal, fed by
/// `participants.stream` through `RemoteClient` (which reconnects on its own).
struct WatchCommand {
    var baseURL: URL
    var sessionCode: String

    func run() async throws {
        // Plain HTTP through the project's own client: URLSession on Linux keeps a CPU busy while a
        // stream is open (docs/ARCHITECTURE.md).
        let transport: any ClientTransport =
            baseURL.scheme?.lowercased() == "http" ? HTTPClientTransport() : URLSessionClientTransport()
        let client = RemoteClient(baseURL: baseURL, transport: transport)
        let stream = client.stream(
            LiveSessionsFunctions.participantsStream, SessionCodeArguments(sessionCode: sessionCode))
        let screen = Screen(ParticipantTable(sessionCode: sessionCode.uppercased()))
        let draw: @Sendable () -> Void = {
            let text = screen.table.withLock { $0.render(width: Terminal.width, height: Terminal.height, now: Date()) }
            Terminal.write(text)
        }
        Terminal.write(ParticipantTable.hideCursor + ParticipantTable.clearScreen)
        defer { Terminal.write(ParticipantTable.showCursor + "\n") }

        let watching = Task {
            for try await update in stream {
                screen.table.withLock {
                    $0.update = update
                    $0.state = .open
                }
                draw()
            }
        }
        let states = Task {
            for await state in stream.states {
                screen.table.withLock { $0.state = state }
                draw()
            }
        }
        // Redraw every second so "joined … ago" stays true between updates.
        let clock = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                draw()
            }
        }
        let signals = ShutdownSignals { _ in watching.cancel() }
        defer {
            signals.cancel()
            states.cancel()
            clock.cancel()
        }
        do {
            try await watching.value
        } catch is CancellationError {
            return
        } catch let error as RemoteError where error.code == .cancelled {
            return
        }
    }
}

/// The table shared by the tasks that update and draw it.
final class Screen: Sendable {
    let table: Mutex<ParticipantTable>

    init(_ table: ParticipantTable) {
        self.table = Mutex(table)
    }
}

/// The controlling terminal's size and output.
enum Terminal {
    static var width: Int { size.columns }
    static var height: Int { size.rows }

    private static var size: (columns: Int, rows: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return (100, 30)
        }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
