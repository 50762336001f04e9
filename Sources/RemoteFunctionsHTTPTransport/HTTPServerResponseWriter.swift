import RemoteFunctionsHTTP
import RemoteFunctionsServer

/// Adapts the HTTP core's response writer to the runtime's ``ServerResponseWriter`` seam.
struct HTTPServerResponseWriter: ServerResponseWriter {
    let writer: HTTPResponseWriter

    init(_ writer: HTTPResponseWriter) {
        self.writer = writer
    }

    func writeHead(status: Int, headers: [(name: String, value: String)]) async throws {
        try await writer.writeHead(status: status, headers: HTTPHeaders(headers.map { ($0.name, $0.value) }))
    }

    func write(_ bytes: [UInt8]) async throws {
        try await writer.write(bytes)
    }

    func finish() async throws {
        try await writer.finish()
    }

    func respond(status: Int, headers: [(name: String, value: String)], body: [UInt8]) async throws {
        // The HTTP core adds Content-Length itself.
        let fields = headers.filter { $0.name.lowercased() != "content-length" }.map { ($0.name, $0.value) }
        try await writer.respond(status: status, headers: HTTPHeaders(fields), body: body)
    }

    func detach() -> (any ServerPushResponse)? {
        guard let detached = try? writer.detach() else { return nil }
        return HTTPServerPushResponse(response: detached)
    }
}
