import Foundation
import RemoteFunctions
import Testing

@Suite("Remote errors")
struct RemoteErrorTests {
    @Test("there are exactly the 16 canonical codes, each with a distinct snake_case name")
    func canonicalCodes() {
        let names = RemoteError.Code.allCases.map(\.wireName)
        #expect(names.count == 16)
        #expect(Set(names).count == 16)
        #expect(names.allSatisfy { $0 == $0.lowercased() && !$0.contains(" ") })
    }

    @Test(
        "each code maps to its HTTP status and retry rule",
        arguments: [
            (RemoteError.Code.invalidArgument, 400, false), (.unauthenticated, 401, false),
            (.permissionDenied, 403, false), (.notFound, 404, false), (.aborted, 409, false),
            (.resourceExhausted, 429, false), (.internal, 500, false), (.unimplemented, 501, false),
            (.unavailable, 503, true), (.deadlineExceeded, 504, true), (.cancelled, 499, false),
        ])
    func statusTable(code: RemoteError.Code, status: Int, retryable: Bool) {
        #expect(code.httpStatus == status)
        #expect(code.isRetryable == retryable)
    }

    @Test("an error round-trips through its JSON envelope, details included")
    func envelope() throws {
        let error = RemoteError(.aborted, "conflict", details: .object(["version": .number(3)]))
        let data = try RemoteJSON.encode(RemoteError.Envelope(error: error))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"error":{"code":"aborted","details":{"version":3},"message":"conflict"}}"#)
        let decoded = try RemoteJSON.decode(RemoteError.Envelope.self, from: data)
        #expect(decoded.error == error)
    }

    @Test("an unknown code from a newer server decodes as unknown")
    func unknownCode() throws {
        let data = Data(#"{"code":"brand_new","message":"m"}"#.utf8)
        let decoded = try RemoteJSON.decode(RemoteError.self, from: data)
        #expect(decoded.code == .unknown)
        #expect(decoded.message == "m")
    }
}
