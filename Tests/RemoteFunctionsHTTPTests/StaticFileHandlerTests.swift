import Foundation
import RemoteFunctionsHTTP
import Testing

/// Static files: content, types, ETags, HEAD, and every escape attempt, through a live server.
@Suite("Static file handler")
struct StaticFileHandlerTests {
    /// A temporary tree: `outside/secret.txt` beside `root/` with files, a subdirectory and a symlink
    /// pointing out of the root.
    final class Tree: Sendable {
        let base: String
        let root: String

        init() throws {
            base = NSTemporaryDirectory() + "static-\(UUID().uuidString)"
            root = base + "/root"
            let files = FileManager.default
            try files.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
            try files.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
            try Data("<h1>home</h1>".utf8).write(to: URL(fileURLWithPath: root + "/index.html"))
            try Data("hello file".utf8).write(to: URL(fileURLWithPath: root + "/hello.txt"))
            try Data("body{}".utf8).write(to: URL(fileURLWithPath: root + "/sub/style.css"))
            try Data("top secret".utf8).write(to: URL(fileURLWithPath: base + "/outside/secret.txt"))
            try files.createSymbolicLink(
                atPath: root + "/escape.txt", withDestinationPath: base + "/outside/secret.txt")
            try files.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: base + "/outside")
            try files.createSymbolicLink(atPath: root + "/inside-link.txt", withDestinationPath: root + "/hello.txt")
        }

        deinit {
            try? FileManager.default.removeItem(atPath: base)
        }
    }

    func withFileServer(_ kind: EventQueueKind, _ body: (Int) async throws -> Void) async throws {
        let tree = try Tree()
        let files = try StaticFileHandler(root: tree.root)
        try await withTestServer(testConfiguration(kind)) { request, writer in
            try await files.handle(request, writer)
        } _: { port, _ in
            try await body(port)
        }
        _ = tree
    }

    func get(_ port: Int, _ target: String, method: String = "GET", headers: String = "") async throws -> RawResponse {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        try await connection.send("\(method) \(target) HTTP/1.1\r\nHost: x\r\n\(headers)\r\n")
        return try #require(try await connection.readResponses(1, toHEAD: method == "HEAD").first)
    }

    @Test("a file is served with type, length and ETag", arguments: EventQueueKind.allCases)
    func servesFile(kind: EventQueueKind) async throws {
        try await withFileServer(kind) { port in
            let response = try await get(port, "/hello.txt")
            #expect(response.status == 200)
            #expect(response.text == "hello file")
            #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(response.headers["content-length"] == "10")
            #expect(response.headers["etag"] != nil)
            let css = try await get(port, "/sub/style.css")
            #expect(css.headers["content-type"] == "text/css; charset=utf-8")
            let index = try await get(port, "/")
            #expect(index.text == "<h1>home</h1>")
            #expect(index.headers["content-type"] == "text/html; charset=utf-8")
            let linked = try await get(port, "/inside-link.txt")
            #expect(linked.text == "hello file")
        }
    }

    @Test("If-None-Match with the current ETag gets 304", arguments: EventQueueKind.allCases)
    func notModified(kind: EventQueueKind) async throws {
        try await withFileServer(kind) { port in
            let first = try await get(port, "/hello.txt")
            let etag = try #require(first.headers["etag"])
            let second = try await get(port, "/hello.txt", headers: "If-None-Match: \(etag)\r\n")
            #expect(second.status == 304)
            #expect(second.body.isEmpty)
            let stale = try await get(port, "/hello.txt", headers: "If-None-Match: \"other\"\r\n")
            #expect(stale.status == 200)
        }
    }

    @Test("HEAD gets the length and no body", arguments: EventQueueKind.allCases)
    func head(kind: EventQueueKind) async throws {
        try await withFileServer(kind) { port in
            let response = try await get(port, "/hello.txt", method: "HEAD")
            #expect(response.status == 200)
            #expect(response.headers["content-length"] == "10")
            #expect(response.body.isEmpty)
        }
    }

    @Test(
        "no path escapes the root",
        arguments: EventQueueKind.allCases,
        [
            "/../outside/secret.txt", "/sub/../../outside/secret.txt", "/%2e%2e/outside/secret.txt",
            "/%2E%2E/outside/secret.txt", "/sub/%2e%2e/%2e%2e/outside/secret.txt", "/..%2foutside%2fsecret.txt",
            "/escape.txt", "/escape-dir/secret.txt", "/missing.txt", "/%00hello.txt",
        ])
    func escapes(kind: EventQueueKind, target: String) async throws {
        try await withFileServer(kind) { port in
            let response = try await get(port, target)
            #expect([400, 404].contains(response.status), "\(target) → \(response.status)")
            #expect(!response.text.contains("top secret"))
        }
    }
}
