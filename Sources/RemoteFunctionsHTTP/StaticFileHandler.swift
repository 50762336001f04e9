#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the files under one directory for `GET` and `HEAD`.
///
/// A request path is percent-decoded and split into segments; `..` segments, NUL bytes and
/// malformed escapes are refused, and the resolved file's real path (symlinks followed) must lie
/// inside the root's real path, so no path, encoded or not, and no symlink can reach outside it.
/// Responses carry `Content-Type` from the extension, `Content-Length`, and an `ETag` (size and
/// modification time); `If-None-Match` with that tag is answered `304`. A directory is served
/// through its `index.html`.
public struct StaticFileHandler: Sendable {
    /// The root directory's real path.
    public let root: String
    /// The file served for a directory request.
    public var indexFile: String = "index.html"

    /// Creates a handler for `root`; fails when it is not an existing directory.
    public init(root: String) throws {
        guard let resolved = Self.realPath(root), Self.fileKind(resolved) == .directory else {
            throw SystemError(operation: "realpath \(root)", errno: ENOENT)
        }
        self.root = resolved
    }

    /// Answers the request: the file, `304`, `404` (missing or outside the root), `400` (malformed
    /// path) or `405` (other methods).
    public func handle(_ request: HTTPServerRequest, _ writer: HTTPResponseWriter) async throws {
        try await serve(path: request.path, request: request, writer: writer)
    }

    /// Answers the request with the file at the still percent-encoded `path` (relative to the root),
    /// for routers that strip a prefix first.
    public func serve(path: String, request: HTTPServerRequest, writer: HTTPResponseWriter) async throws {
        guard request.method == "GET" || request.method == "HEAD" else {
            try await Self.plain(writer, 405, "Method not allowed", extra: [("allow", "GET, HEAD")])
            return
        }
        let file: String
        switch resolve(path) {
        case .success(let resolved): file = resolved
        case .failure(let failure):
            try await Self.plain(writer, failure.status, failure.status == 400 ? "Bad request" : "Not found")
            return
        }
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            try await Self.plain(writer, 404, "Not found")
            return
        }
        defer { _ = close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            try await Self.plain(writer, 404, "Not found")
            return
        }
        let size = Int(info.st_size)
        let modified = PlatformShims.modificationTimeNanoseconds(info)
        let etag = "\"\(String(size, radix: 16))-\(String(modified, radix: 16))\""
        var headers = HTTPHeaders()
        headers.add("etag", etag)
        headers.add("cache-control", "no-cache")
        if let match = request.headers["if-none-match"], Self.matches(match, etag) {
            try await writer.respond(status: 304, headers: headers, body: [])
            return
        }
        headers.add("content-type", MediaType.forPath(file))
        headers.add("content-length", String(size))
        try await writer.writeHead(status: 200, headers: headers)
        if request.method == "GET" {
            var remaining = size
            while remaining > 0 {
                let chunk = [UInt8](unsafeUninitializedCapacity: min(remaining, 64 * 1024)) { buffer, count in
                    let result = read(fd, buffer.baseAddress, buffer.count)
                    count = max(0, result)
                }
                if chunk.isEmpty { throw HTTPError.connectionClosed }
                remaining -= chunk.count
                try await writer.write(chunk)
            }
        }
        try await writer.finish()
    }

    /// The real path of the file for an encoded request path, or the status to answer with.
    func resolve(_ encodedPath: String) -> Result<String, StatusFailure> {
        guard let decoded = PercentDecoding.decodeBytes(encodedPath), !decoded.contains(0) else {
            return .failure(StatusFailure(status: 400))
        }
        let text = String(decoding: decoded, as: UTF8.self)
        var segments: [Substring] = []
        for segment in text.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." || segment.contains("\\") { return .failure(StatusFailure(status: 404)) }
            segments.append(segment)
        }
        var candidate = root + "/" + segments.joined(separator: "/")
        if Self.fileKind(candidate) == .directory { candidate += "/" + indexFile }
        guard let real = Self.realPath(candidate), real.hasPrefix(root + "/"), Self.fileKind(real) == .regular else {
            return .failure(StatusFailure(status: 404))
        }
        return .success(real)
    }

    /// A status for a path that cannot be served.
    struct StatusFailure: Error, Equatable {
        var status: Int
    }

    private enum FileKind {
        case regular
        case directory
        case other
    }

    private static func fileKind(_ path: String) -> FileKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func matches(_ header: String, _ etag: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingSpaces
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == etag { return true }
        }
        return false
    }

    private static func plain(
        _ writer: HTTPResponseWriter, _ status: Int, _ message: String, extra: [(String, String)] = []
    ) async throws {
        var headers = HTTPHeaders()
        headers.add("content-type", "text/plain; charset=utf-8")
        for (name, value) in extra { headers.add(name, value) }
        try await writer.respond(status: status, headers: headers, body: Array("\(message)\n".utf8))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result = result.dropFirst() }
        while result.last == " " || result.last == "\t" { result = result.dropLast() }
        return result
    }
}
