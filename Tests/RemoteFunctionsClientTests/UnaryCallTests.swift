import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import Synchronization
import Testing

struct EchoArguments: Codable, Sendable, Equatable { var n: Int }
struct EchoOutput: Codable, Sendable, Equatable {
    var n: Int
    var ok: Bool
}

let echo = RemoteQuery<EchoArguments, EchoOutput>("bench.echo")
let publish = RemoteCommand<EchoArguments, EchoOutput>("bench.publish")
let ping = RemoteQuery<Empty, String>("ping")

@Suite struct UnaryCallTests {
    @Test("a query posts its JSON arguments to /_remote/{id} and decodes the output")
    func decodesOutput() async throws {
        let transport = ScriptedTransport([.json(#"{"n":7,"ok":true}"#)])
        let output = try await RemoteClient.scripted(transport).call(echo, EchoArguments(n: 7))
        #expect(output == EchoOutput(n: 7, ok: true))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://example.test/api/_remote/bench.echo")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"{"n":7}"#)
    }

    @Test("no arguments go out as null, and default headers are sent")
    func emptyArgumentsAreNull() async throws {
        let transport = ScriptedTransport([.json(#""pong""#)])
        let client = RemoteClient.scripted(transport) { $0.headers = [(name: "Authorization", value: "Bearer t")] }
        #expect(try await client.call(ping) == "pong")
        let request = try #require(transport.requests.first)
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == "null")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer t" })
    }

    @Test("an error envelope becomes the typed RemoteError it describes")
    func decodesErrorEnvelope() async throws {
        let body = #"{"error":{"code":"failed_precondition","message":"session closed","details":{"code":"AB12"}}}"#
        let transport = ScriptedTransport([.json(body, status: 400)])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(echo, EchoArguments(n: 1))
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message == "session closed")
        #expect(error?.details == .object(["code": .string("AB12")]))
    }

    @Test(
        "an error body that is not the protocol's maps the HTTP status",
        arguments: [
            (502, RemoteError.Code.unavailable), (404, .notFound), (401, .unauthenticated), (500, .unknown),
        ])
    func mapsForeignErrorBodies(status: Int, code: RemoteError.Code) async throws {
        let html = ScriptedTransport.Step.reply(
            status: status, headers: [(name: "Content-Type", value: "text/html")],
            chunks: [Array("<html>Bad Gateway</html>".utf8)], ending: .finish)
        let transport = ScriptedTransport([html, html, html])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(publish, EchoArguments(n: 1))
        }
        #expect(error?.code == code)
        #expect(error?.message.contains("<html>") == false)
    }

    @Test("a network failure is unavailable, and its detail reaches only the handler")
    func networkFailureIsUnavailable() async throws {
        let seen = Mutex<[String]>([])
        let transport = ScriptedTransport([.fail])
        let client = RemoteClient.scripted(transport) {
            $0.networkErrorHandler = { error in seen.withLock { $0.append("\(error)") } }
        }
        let error = await #expect(throws: RemoteError.self) { try await client.call(publish, EchoArguments(n: 1)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("secret") == false)
        #expect(seen.withLock { $0 }.contains { $0.contains("secret-internal-detail") })
    }

    @Test("a query is retried after retryable failures, with growing backoff")
    func queryIsRetried() async throws {
        let unavailable = ScriptedTransport.Step.json(
            #"{"error":{"code":"unavailable","message":"busy"}}"#, status: 503)
        let transport = ScriptedTransport([unavailable, .fail, .json(#"{"n":3,"ok":true}"#)])
        let sleeper = SleepRecorder()
        let output = try await RemoteClient.scripted(transport, sleeper: sleeper).call(echo, EchoArguments(n: 3))
        #expect(output == EchoOutput(n: 3, ok: true))
        #expect(transport.requests.count == 3)
        #expect(sleeper.recorded == [.milliseconds(250), .milliseconds(500)])
    }

    @Test("a query gives up after its maximum attempts")
    func queryRetriesAreBounded() async throws {
        let transport = ScriptedTransport([.fail, .fail, .fail, .fail])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(echo, EchoArguments(n: 3))
        }
        #expect(error?.code == .unavailable)
        #expect(transport.requests.count == 3)
    }

    @Test("a command is never retried automatically")
    func commandIsNotRetried() async throws {
        let transport = ScriptedTransport([.fail, .json(#"{"n":3,"ok":true}"#)])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(publish, EchoArguments(n: 3))
        }
        #expect(error?.code == .unavailable)
        #expect(transport.requests.count == 1)
    }

    @Test("a non-retryable error is not retried")
    func nonRetryableIsNotRetried() async throws {
        let transport = ScriptedTransport([.json(#"{"error":{"code":"not_found","message":"no"}}"#, status: 404)])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(echo, EchoArguments(n: 3))
        }
        #expect(error?.code == .notFound)
        #expect(transport.requests.count == 1)
    }

    @Test("an output that does not decode is a user-safe internal error")
    func undecodableOutput() async throws {
        let transport = ScriptedTransport([.json(#"{"n":"seven"}"#)])
        let error = await #expect(throws: RemoteError.self) {
            try await RemoteClient.scripted(transport).call(echo, EchoArguments(n: 3))
        }
        #expect(error?.code == .internal)
    }
}
