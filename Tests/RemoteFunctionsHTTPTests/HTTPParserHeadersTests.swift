import RemoteFunctionsHTTP
import Testing

@Suite("HTTPHeaders")
struct HTTPParserHeadersTests {
    @Test("lookups ignore case and keep order")
    func lookups() {
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Set-Cookie", "a=1")])
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers["CONTENT-TYPE"] == "text/plain")
        #expect(headers["Content-Typ"] == nil)
        #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.contains("Set-cookie"))
        #expect(!headers.contains("Cookie"))
        #expect(headers.count == 3)
        #expect(headers.map(\.name) == ["Content-Type", "Set-Cookie", "set-cookie"])
    }

    @Test("replaceOrAdd replaces the first field and removes the others")
    func replaceOrAdd() {
        var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3"]
        headers.replaceOrAdd("a", "9")
        #expect(headers.map(\.name) == ["a", "B"])
        #expect(headers.map(\.value) == ["9", "2"])
        headers.replaceOrAdd("C", "4")
        #expect(headers.map(\.name) == ["a", "B", "C"])
        headers.remove("b")
        #expect(headers.map(\.name) == ["a", "C"])
    }

    @Test("the serialiser writes CRLF lines and cannot be used to split a message")
    func serialisation() {
        let headers = HTTPHeaders([("Content-Length", "5"), ("X-Evil", "a\r\nSet-Cookie: x\u{0}")])
        var buffer: [UInt8] = Array("HTTP/1.1 200 OK\r\n".utf8)
        headers.write(into: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Evil: a  Set-Cookie: x \r\n")
    }
}
