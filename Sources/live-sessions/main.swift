import Foundation

let command: LiveSessionsCommand
do {
    command = try LiveSessionsCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("live-sessions: \(error.message)\n\n\(LiveSessionsCommand.usage)\n".utf8))
    exit(2)
}

do {
    switch command {
    case .help:
        print(LiveSessionsCommand.usage)
    case .serve(let options) where options.databaseURL != nil:
        try PostgresHandOff().run(arguments: Array(CommandLine.arguments.dropFirst()))
    case .serve(let options):
        try await ServeCommand(options: options).run()
    case .watch(let baseURL, let sessionCode):
        try await WatchCommand(baseURL: baseURL, sessionCode: sessionCode).run()
    }
} catch {
    FileHandle.standardError.write(Data("live-sessions: \(error)\n".utf8))
    exit(1)
}
