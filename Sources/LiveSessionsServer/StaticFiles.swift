public import Foundation

/// The files of a directory (the web app), read into memory once so that serving them never
/// touches the disk from an event-loop thread.
public struct StaticFiles: Sendable {
    /// One file ready to serve.
    public struct File: Sendable, Hashable {
        /// The `Content-Type` header value.
        public var contentType: String
        /// The file's bytes.
        public var bytes: [UInt8]
    }

    /// Files by URL path, such as `/index.html` or `/js/app.js`.
    public let files: [String: File]

    /// Reads every regular file under `directory` (recursively). Hidden files are skipped.
    public init(directory: URL) throws {
        var files: [String: File] = [:]
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard resolved.hasPrefix(root.path + "/") else { continue }
            let path = String(resolved.dropFirst(root.path.count))
            files[path] = File(contentType: Self.contentType(of: path), bytes: Array(try Data(contentsOf: url)))
        }
        self.files = files
    }

    /// Creates a set from files in memory, keyed by URL path.
    public init(files: [String: File]) {
        self.files = files
    }

    /// The file a `GET` or `HEAD` of `path` (percent-encoded, without query) should return:
    /// `/` maps to `/index.html`. `nil` for other methods, unknown paths and paths with `..`.
    public func file(method: String, path: String) -> File? {
        guard method == "GET" || method == "HEAD" else { return nil }
        guard var decoded = path.removingPercentEncoding, decoded.hasPrefix("/") else { return nil }
        guard !decoded.split(separator: "/").contains("..") else { return nil }
        if decoded.hasSuffix("/") { decoded += "index.html" }
        return files[decoded]
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json", "map": "application/json"
        case "ts": "text/plain; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
