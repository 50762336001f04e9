/// `live-sessions serve`: waits for the server runtime and the HTTP transport.
struct ServeCommand {
    var options: LiveSessionsCommand.ServeOptions

    struct NotAvailable: Error, CustomStringConvertible {
        var description: String { "serving needs the server runtime, which is not in this build yet" }
    }

    func run() async throws {
        throw NotAvailable()
    }
}
