import Foundation
import RemoteFunctions

/// What the user asked `remote` to do, parsed from the command line.
struct RemoteCommandLine {
    enum Mode {
        case call
        case stream
    }

    /// A command line that cannot be run; printed with the usage, exit status 2.
    struct UsageError: Error {
        var message: String
    }

    static let usage = """
        usage: remote call URL ID [JSON] [--header 'Name: value']...
               remote stream URL ID [JSON] [--last-event-id CURSOR] [--max-attempts N] [--verbose]
                             [--header 'Name: value']...

        Calls the remote function ID on the server at URL (for example http://127.0.0.1:8080)
        with the JSON arguments (default null) and prints each result as one JSON line.
        A stream reconnects and resumes on network errors, at most N attempts in a row
        (default 5, 0 for no limit); --verbose prints connection states to stderr.
        Exit status: 0 on success, 1 on a remote or network error, 2 on a usage error.
        """

    var mode: Mode
    var baseURL: URL
    var id: RemoteFunctionID
    var arguments: JSONValue = .null
    var headers: [(name: String, value: String)] = []
    var lastEventID: String?
    var maximumAttempts: Int? = 5
    var verbose = false

    init(_ arguments: [String]) throws(UsageError) {
        var positional: [String] = []
        var lastEventID: String?
        var headers: [(name: String, value: String)] = []
        var maximumAttempts: Int? = 5
        var verbose = false
        var index = 0
        func value(after option: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count else { throw UsageError(message: "\(option) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--last-event-id":
                lastEventID = try value(after: argument)
            case "--header", "-H":
                let header = try value(after: argument)
                guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                    throw UsageError(message: "a header is written 'Name: value'")
                }
                headers.append(
                    (
                        name: String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                        value: String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    ))
            case "--max-attempts":
                guard let count = Int(try value(after: argument)), count >= 0 else {
                    throw UsageError(message: "--max-attempts takes a whole number")
                }
                maximumAttempts = count == 0 ? nil : count
            case "--verbose", "-v":
                verbose = true
            case "--help", "-h":
                throw UsageError(message: "")
            default:
                if argument.hasPrefix("--") { throw UsageError(message: "unknown option \(argument)") }
                positional.append(argument)
            }
            index += 1
        }
        guard positional.count == 3 || positional.count == 4 else {
            throw UsageError(message: positional.isEmpty ? "" : "expected a mode, a URL, an id and optional JSON")
        }
        switch positional[0] {
        case "call": mode = .call
        case "stream": mode = .stream
        default: throw UsageError(message: "unknown mode '\(positional[0])': use call or stream")
        }
        guard mode == .stream || lastEventID == nil else {
            throw UsageError(message: "--last-event-id applies to streams only")
        }
        guard let url = URL(string: positional[1]), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw UsageError(message: "'\(positional[1])' is not an http(s) URL")
        }
        guard let id = RemoteFunctionID(positional[2]) else {
            throw UsageError(message: "'\(positional[2])' is not a function id: use [A-Za-z0-9._-]+")
        }
        if positional.count == 4 {
            do {
                self.arguments = try RemoteJSON.decode(JSONValue.self, from: Data(positional[3].utf8))
            } catch {
                throw UsageError(message: "the arguments are not valid JSON")
            }
        }
        self.baseURL = url
        self.id = id
        self.headers = headers
        self.lastEventID = lastEventID
        self.maximumAttempts = maximumAttempts
        self.verbose = verbose
    }
}
