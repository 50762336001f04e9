import RemoteFunctionsHTTP

/// The three benchmark routes: `GET /hello`, `POST /echo`, `GET /ticks?count=N&interval_ms=M`.
enum BenchRoutes {
    static let helloBody = Array(#"{"message":"Hello, World!"}"#.utf8)

    static func handle(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        switch (request.method, request.path) {
        case ("GET", "/hello"), ("HEAD", "/hello"):
            try await writer.respond(status: 200, headers: ["content-type": "application/json"], body: helloBody)
        case ("POST", "/echo"):
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPHeaders()
            headers.add("content-type", request.headers["content-type"] ?? "application/octet-stream")
            try await writer.respond(status: 200, headers: headers, body: body)
        case ("GET", "/ticks"):
            try await ticks(request, writer)
        default:
            try await writer.respond(
                status: 404, headers: ["content-type": "text/plain"], body: Array("Not found\n".utf8))
        }
    }

    private static func ticks(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        let count = request.queryValue("count").flatMap { Int($0) } ?? 10
        let interval = request.queryValue("interval_ms").flatMap { Int($0) } ?? 0
        guard count >= 0, interval >= 0 else {
            try await writer.respond(
                status: 400, headers: ["content-type": "text/plain"], body: Array("Bad query\n".utf8))
            return
        }
        try await writer.writeHead(
            status: 200, headers: ["content-type": "text/event-stream", "cache-control": "no-cache"])
        for index in 0..<count {
            try await writer.write(Array("event: next\ndata: {\"i\":\(index)}\n\n".utf8))
            if interval > 0 { try await Task.sleep(for: .milliseconds(interval)) }
        }
        try await writer.write(Array("event: end\ndata: null\n\n".utf8))
        try await writer.finish()
    }
}
