import Foundation
import RemoteFunctions
import RemoteFunctionsServer
import Synchronization
import Testing

@Suite("Unary calls, in process")
struct UnaryCallTests {
    let server = makeTestServer()

    @Test("a query answers 200 JSON over POST")
    func queryOverPOST() async throws {
        let response = await Exchange(server, "POST", "/_remote/test.echo", body: #"{"n":41}"#).response()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("Content-Length") == String(response.body.count))
        #expect(response.text == #"{"n":41,"ok":true}"#)
        #expect(response.finished)
    }

    @Test("a body the transport has not received yet is collected asynchronously, with the same result")
    func streamedBody() async throws {
        let response = await Exchange(server, "POST", "/_remote/test.echo", body: #"{"n":41}"#, streamedBody: true)
            .response()
        #expect(response.status == 200)
        #expect(response.text == #"{"n":41,"ok":true}"#)
        let tooLarge = await Exchange(
            makeTestServer(configuration: .init(maxBodySize: 4, logger: .disabled)), "POST", "/_remote/test.echo",
            body: #"{"n":41}"#, streamedBody: true
        ).response()
        #expect(tooLarge.status == 413)
    }

    @Test("a body already in memory is taken without an asynchronous read")
    func receivedBody() throws {
        let body = ServerRequestBody(bytes: Array("null".utf8))
        #expect(try body.collectIfReceived(upTo: 4) == Array("null".utf8))
        #expect(throws: ServerRequestBody.TooLarge.self) { try body.collectIfReceived(upTo: 3) }
        #expect(try ServerRequestBody(collect: { _ in [] }).collectIfReceived(upTo: 4) == nil)
    }

    @Test("a query answers over GET with percent-encoded args")
    func queryOverGET() async throws {
        let response = await Exchange(server, "GET", "/_remote/test.echo", query: "args=%7B%22n%22%3A7%7D").response()
        #expect(response.status == 200)
        #expect(response.text == #"{"n":7,"ok":true}"#)
    }

    @Test("a function without arguments accepts null, an empty body and a missing args parameter")
    func noArguments() async throws {
        for (method, body) in [("POST", "null"), ("POST", ""), ("GET", nil)] {
            let response = await Exchange(server, method, "/_remote/test.whoami", body: body).response()
            #expect(response.status == 200)
            #expect(response.text == #""anonymous""#)
        }
    }

    @Test("each error code maps to its HTTP status and JSON body", arguments: RemoteError.Code.allCases)
    func errorCodes(code: RemoteError.Code) async throws {
        let response = await Exchange(server, "POST", "/_remote/test.fail", body: #"{"code":"\#(code.wireName)"}"#)
            .response()
        #expect(response.status == code.httpStatus)
        let error = try #require(response.error)
        #expect(error.code == code)
        #expect(error.message == "failed with \(code)")
        #expect(error.details == .object(["hint": .string("test")]))
    }

    @Test("an error that is not a RemoteError becomes internal with a generic message and is logged")
    func internalErrors() async throws {
        let logged = LogCollector()
        let server = makeTestServer(configuration: .init(logger: logged.logger))
        let response = await Exchange(server, "POST", "/_remote/test.crash", body: "null").response()
        #expect(response.status == 500)
        let error = try #require(response.error)
        #expect(error.code == .internal)
        #expect(!response.text.contains("hunter2"))
        #expect(logged.messages.contains { $0.contains("hunter2") })
    }

    @Test("undecodable arguments answer 400 naming the path of the bad field")
    func badArguments() async throws {
        let response = await Exchange(
            server, "POST", "/_remote/test.nested", body: #"{"inner":{"values":[1,"two"]}}"#
        ).response()
        #expect(response.status == 400)
        let error = try #require(response.error)
        #expect(error.code == .invalidArgument)
        #expect(error.message.contains("inner.values[1]"))

        let missing = await Exchange(server, "POST", "/_remote/test.echo", body: "{}").response()
        #expect(missing.status == 400)
        #expect(missing.error?.message.contains("'n'") == true)

        let garbage = await Exchange(server, "POST", "/_remote/test.echo", body: "{nope").response()
        #expect(garbage.status == 400)
        #expect(garbage.error?.code == .invalidArgument)
    }

    @Test("an unknown function answers 404 not_found")
    func unknownFunction() async throws {
        let response = await Exchange(server, "POST", "/_remote/no.such.function", body: "null").response()
        #expect(response.status == 404)
        #expect(response.error?.code == .notFound)
        let outside = await Exchange(server, "GET", "/elsewhere").response()
        #expect(outside.status == 404)
    }

    @Test("a wrong method answers 405 with Allow")
    func wrongMethod() async throws {
        let command = await Exchange(server, "GET", "/_remote/test.increment", query: "args=%7B%22n%22%3A1%7D")
            .response()
        #expect(command.status == 405)
        #expect(command.header("Allow") == "POST")
        #expect(command.error != nil)
        let delete = await Exchange(server, "DELETE", "/_remote/test.echo").response()
        #expect(delete.status == 405)
        #expect(delete.header("Allow") == "GET, POST")
    }

    @Test("a command from a foreign origin answers 403; its own, allowed or no origin pass")
    func crossSiteCommands() async throws {
        let server = makeTestServer(configuration: .init(allowedOrigins: ["https://app.example"], logger: .disabled))
        func call(_ headers: [(name: String, value: String)]) async -> Int? {
            await Exchange(server, "POST", "/_remote/test.increment", headers: headers, body: #"{"n":1}"#).response()
                .status
        }
        let foreign = await Exchange(
            server, "POST", "/_remote/test.increment",
            headers: [("Host", "api.example:8080"), ("Origin", "https://evil.example")], body: #"{"n":1}"#
        ).response()
        #expect(foreign.status == 403)
        #expect(foreign.error?.code == .permissionDenied)
        #expect(await call([("Host", "api.example:8080"), ("Origin", "null")]) == 403)
        #expect(await call([("Host", "api.example:8080"), ("Origin", "http://api.example:8080")]) == 200)
        #expect(await call([("Host", "api.example:8080"), ("Origin", "https://app.example")]) == 200)
        #expect(await call([("Host", "api.example:8080")]) == 200)
        // Queries are read-only and are not origin-checked.
        let query = await Exchange(
            server, "POST", "/_remote/test.echo", headers: [("Origin", "https://evil.example")], body: #"{"n":1}"#
        ).response()
        #expect(query.status == 200)
    }

    @Test("a body over the limit answers 413 resource_exhausted")
    func oversizedBody() async throws {
        let server = makeTestServer(configuration: .init(maxBodySize: 64, logger: .disabled))
        let body = #"{"n":1,"padding":""# + String(repeating: "x", count: 100) + #""}"#
        let response = await Exchange(server, "POST", "/_remote/test.echo", body: body).response()
        #expect(response.status == 413)
        #expect(response.error?.code == .resourceExhausted)
        let small = await Exchange(server, "POST", "/_remote/test.echo", body: #"{"n":1}"#).response()
        #expect(small.status == 200)
    }

    @Test("middleware runs in order, enriches the context, and guards read it")
    func middlewareAndGuards() async throws {
        let order = LogCollector()
        server.use(
            ClosureMiddleware { call, context, next in
                order.logger.log(.info, "outer \(call.functionID)")
                var context = context
                if let token = context.header("Authorization") { context[.user] = String(token.dropFirst(7)) }
                try await next(context)
            })
        server.use(
            ClosureMiddleware { _, context, next in
                order.logger.log(.info, "inner \(context[.user] ?? "-")")
                try await next(context)
            })
        let anonymous = await Exchange(server, "GET", "/_remote/test.guarded").response()
        #expect(anonymous.status == 401)
        #expect(anonymous.error?.code == .unauthenticated)
        #expect(anonymous.header("Content-Type") == "application/json")

        let signedIn = await Exchange(
            server, "POST", "/_remote/test.whoami", headers: [("Authorization", "Bearer ada")], body: "null"
        ).response()
        #expect(signedIn.text == #""ada""#)
        #expect(order.messages.suffix(2) == ["outer test.whoami", "inner ada"])
    }

    @Test("a middleware can refuse a call with a RemoteError")
    func middlewareRefuses() async throws {
        server.use(ClosureMiddleware { _, _, _ in throw RemoteError(.permissionDenied, "no") })
        let response = await Exchange(server, "POST", "/_remote/test.echo", body: #"{"n":1}"#).response()
        #expect(response.status == 403)
        #expect(response.error?.message == "no")
    }

    @Test("the context carries cookies, the remote address and headers")
    func contextContents() async throws {
        let server = RemoteServer(configuration: .init(logger: .disabled))
        let seen = RemoteQuery<Empty, [String: String]>("test.context")
        server.register(seen) { _, context in
            context.cookies.merging(
                ["address": context.remoteAddress ?? "", "agent": context.header("user-agent") ?? ""]) { a, _ in a }
        }
        let response = await Exchange(
            server, "GET", "/_remote/test.context",
            headers: [("Cookie", "session=abc; theme=\"dark\""), ("User-Agent", "tests")]
        ).response()
        let values = try JSONDecoder().decode([String: String].self, from: Data(response.body))
        #expect(values == ["session": "abc", "theme": "dark", "address": "127.0.0.1:5000", "agent": "tests"])
    }

    @Test("/metrics counts requests by function and code")
    func metrics() async throws {
        _ = await Exchange(server, "POST", "/_remote/test.echo", body: #"{"n":1}"#).response()
        _ = await Exchange(server, "POST", "/_remote/test.fail", body: #"{"code":"not_found"}"#).response()
        let response = await Exchange(server, "GET", "/metrics").response()
        #expect(response.status == 200)
        #expect(response.text.contains(#"remote_requests_total{function="test.echo",code="ok"} 1"#))
        #expect(response.text.contains(#"remote_requests_total{function="test.fail",code="not_found"} 1"#))
        #expect(response.text.contains(#"remote_request_duration_seconds_count{function="test.echo"} 1"#))
        #expect(response.text.contains("remote_open_streams 0"))
    }

    @Test("the browser client is served as JavaScript")
    func browserClient() async throws {
        for name in ["client.js", "client.d.ts"] {
            let response = await Exchange(server, "GET", "/_remote/\(name)").response()
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/javascript") == true)
            #expect(!response.body.isEmpty)
        }
    }
}

/// Collects log messages for assertions.
final class LogCollector: Sendable {
    private let storage = Mutex<[String]>([])

    var messages: [String] { storage.withLock { $0 } }

    var logger: RemoteLogger {
        RemoteLogger(minimumLevel: .debug) { [self] _, message, _ in self.storage.withLock { $0.append(message) } }
    }
}
