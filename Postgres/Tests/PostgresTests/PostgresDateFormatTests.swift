import Foundation
import Testing

@testable import RemoteFunctionsPostgres

@Suite struct PostgresDateFormatTests {
    @Test("dates survive the trip through the text format with microsecond precision")
    func roundTrip() throws {
        for seconds in [0.0, 1_780_000_000.123456, -86_400.5, 951_782_400.000001, 4_102_444_799.999999] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = PostgresDateFormat.format(date)
            let parsed = try #require(PostgresDateFormat.parse(text))
            #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001_5, "\(text)")
        }
    }

    @Test("the server's ISO output is read with any offset and fraction width")
    func serverOutput() throws {
        let base = try #require(PostgresDateFormat.parse("2026-12-04 15:56:01+00"))
        #expect(base.timeIntervalSince1970 == 1_796_399_761)
        #expect(PostgresDateFormat.parse("2026-12-04 15:56:01.5+00")?.timeIntervalSince1970 == 1_796_399_761.5)
        #expect(PostgresDateFormat.parse("2026-12-04 17:26:01+01:30") == base)
        #expect(PostgresDateFormat.parse("2026-12-04 10:56:01-05") == base)
        #expect(PostgresDateFormat.parse("2026-12-04T15:56:01Z") == base)
        #expect(PostgresDateFormat.parse("infinity") == nil)
        #expect(PostgresDateFormat.parse("2026-12-04 15:56:01+00 garbage") == nil)
    }

    @Test("change payloads are JSON and read back; other payloads are not changes")
    func changePayload() {
        let change = PostgresChange(topics: ["session:AB\"C", "entity:7"], version: 42)
        #expect(PostgresChange(payload: change.payload) == change)
        let unversioned = PostgresChange(topic: "sessions")
        #expect(PostgresChange(payload: unversioned.payload) == unversioned)
        #expect(!unversioned.payload.contains("version"))
        #expect(PostgresChange(payload: "hello") == nil)
    }
}
