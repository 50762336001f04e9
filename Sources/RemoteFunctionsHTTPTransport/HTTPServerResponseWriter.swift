import RemoteFunctionsHTTP
import RemoteFunctionsServer

/// Adapts the HTTP core's response writer to the runtime's ``ServerResponseWriter`` seam.
struct HTTPServerResponseWriter: ServerResponseWriter {
    let writer: HTTPResponseWriter

    init(_ writer: HTTPResponseWriter) {
        self.writer = writer
    }

    func writeHead(status: Int, headers: [(name: String, value: String)]) async throws {
        try await writer.writeHead(status: status, headers: Self.fields(headers, droppingContentLength: false))
    }

    func write(_ bytes: [UInt8]) async throws {
        try await writer.write(bytes)
    }

    func finish() async throws {
        try await writer.finish()
    }

    func respond(status: Int, headers: [(name: String, value: String)], body: [UInt8]) async throws {
        // The HTTP core adds Content-Length itself.
        try await writer.respond(status: status, headers: Self.fields(headers, droppingContentLength: true), body: body)
    }

    /// The headers as the HTTP core's type, built in one pass without intermediate arrays or
    /// lower-cased copies of the names (this runs for every response).
    private static func fields(
        _ headers: [(name: String, value: String)], droppingContentLength: Bool
    ) -> HTTPHeaders {
        var fields = HTTPHeaders()
        for header in headers {
            if droppingContentLength, isContentLength(header.name) { continue }
            fields.add(header.name, header.value)
        }
        return fields
    }

    /// Whether `name` is `Content-Length`, compared ASCII case-insensitively.
    private static func isContentLength(_ name: String) -> Bool {
        // The runtime spells it this way; comparing two small strings is cheap.
        if name == "Content-Length" { return true }
        let expected = "content-length".utf8
        let utf8 = name.utf8
        guard utf8.count == expected.count else { return false }
        for (byte, lower) in zip(utf8, expected) where (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) != lower {
            return false
        }
        return true
    }

    func detach() -> (any ServerPushResponse)? {
        guard let detached = try? writer.detach() else { return nil }
        return HTTPServerPushResponse(response: detached)
    }
}
