import Foundation
import RemoteFunctions
import Testing

@Suite("Wire JSON")
struct RemoteJSONTests {
    struct Changes: Codable, Sendable, Equatable {
        var title: String?
        var tags: [Int]
    }

    struct Update: Codable, Sendable, Equatable {
        var entityId: Int
        var changes: Changes
    }

    @Test(
        "a decoding failure names the path of the bad field",
        arguments: [
            (#"{"entityId":"x","changes":{"tags":[]}}"#, "'entityId'"),
            (#"{"entityId":1,"changes":{"title":5,"tags":[]}}"#, "'changes.title'"),
            (#"{"entityId":1,"changes":{"tags":[1,"two"]}}"#, "'changes.tags[1]'"),
            (#"{"changes":{"tags":[]}}"#, "'entityId'"),
        ])
    func fieldPath(json: String, path: String) {
        do {
            _ = try RemoteJSON.decode(Update.self, from: Data(json.utf8))
            Issue.record("decoding should have failed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(path), "\(error.message)")
        }
    }

    @Test("malformed JSON is an invalid argument that leaks no parser internals")
    func malformed() {
        do {
            _ = try RemoteJSON.decode(Update.self, from: Data("{nope".utf8))
            Issue.record("decoding should have failed")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message == "the body is not valid JSON")
        }
    }

    @Test("dates keep milliseconds and Empty is null")
    func datesAndEmpty() throws {
        struct Stamp: Codable, Equatable { var at: Date }
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_700_000_000.123))
        let data = try RemoteJSON.encode(stamp)
        #expect(String(decoding: data, as: UTF8.self).contains(".123Z"))
        let back = try RemoteJSON.decode(Stamp.self, from: data)
        #expect(abs(back.at.timeIntervalSince1970 - 1_700_000_000.123) < 0.001)
        #expect(String(decoding: try RemoteJSON.encode(Empty()), as: UTF8.self) == "null")
        _ = try RemoteJSON.decode(Empty.self, from: Data())
    }

    @Test(
        "function ids accept only [A-Za-z0-9._-]+",
        arguments: [
            ("participants.stream", true), ("a-b_c.9", true), ("", false), ("a/b", false), ("a b", false),
            ("é", false), ("../x", false),
        ])
    func functionIDs(id: String, valid: Bool) {
        #expect((RemoteFunctionID(id) != nil) == valid)
    }
}
