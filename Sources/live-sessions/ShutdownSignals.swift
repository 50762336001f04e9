import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a callback, once per signal, instead of killing the process.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    /// Starts handling SIGINT and SIGTERM with `handler` (called on a private queue).
    init(handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "live-sessions.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops handling the signals and restores their default action.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
