import Foundation
import LiveSessionsServer
import Testing

@Suite("Static files of the web app")
struct StaticFilesTests {
    @Test("files load from a directory and map / to index.html, with content types")
    func loadsDirectory() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("js"), withIntermediateDirectories: true)
        try Data("<h1>hi</h1>".utf8).write(to: directory.url.appendingPathComponent("index.html"))
        try Data("export {}".utf8).write(to: directory.url.appendingPathComponent("js/app.js"))
        let files = try StaticFiles(directory: directory.url)
        #expect(files.file(method: "GET", path: "/")?.bytes == Array("<h1>hi</h1>".utf8))
        #expect(files.file(method: "GET", path: "/")?.contentType == "text/html; charset=utf-8")
        #expect(files.file(method: "HEAD", path: "/js/app.js")?.contentType == "text/javascript; charset=utf-8")
        #expect(files.file(method: "GET", path: "/js/%61pp.js") != nil)
        #expect(files.file(method: "POST", path: "/index.html") == nil)
        #expect(files.file(method: "GET", path: "/js/../index.html") == nil)
        #expect(files.file(method: "GET", path: "/missing.css") == nil)
    }

    @Test("the bundled Public folder holds the web app's index.html")
    func bundledPublicFolder() throws {
        let directory = try #require(LiveSessionsResources.publicDirectory)
        let files = try StaticFiles(directory: directory)
        #expect(files.file(method: "GET", path: "/") != nil)
    }
}
