import Foundation
import RemoteFunctions
import Testing

/// The byte-level wire coders against Foundation's `JSONEncoder`/`JSONDecoder` configured by
/// `RemoteJSON`, the oracle: same bytes out, same values in, same error messages.
@Suite("Wire JSON coders")
struct WireJSONTests {
    struct Inner: Codable, Equatable {
        var values: [Int]
        var label: String?
    }

    /// Properties declared out of key order, so the encoder must sort them.
    struct Outer: Codable, Equatable {
        var zeta: Int
        var alpha: String
        var inner: Inner
        var flags: [Bool]
        var nested: [[Int?]]
        var when: Date
        var ratio: Double
        var small: Int8
        var big: UInt64
        var optional: Int?
        var map: [String: Int]
    }

    enum Color: String, Codable { case red, green }

    struct Scalars: Codable, Equatable {
        var int: Int
        var int16: Int16
        var int32: Int32
        var int64: Int64
        var uint: UInt
        var uint8: UInt8
        var uint16: UInt16
        var uint32: UInt32
        var float: Float
        var color: Color
        var unit: Empty
    }

    /// Keys that need escaping or are not ASCII.
    struct OddKeys: Codable, Equatable {
        var plain: Int
        var quoted: Int
        var accented: Int

        enum CodingKeys: String, CodingKey {
            case plain = "a/b"
            case quoted = "say \"hi\"\n"
            case accented = "é😀"
        }
    }

    static let outer = Outer(
        zeta: -42, alpha: "line\nbreak \"quoted\" back\\slash /slash tab\t é 😀 \u{0001}\u{001F}\u{007F}\u{2028}",
        inner: Inner(values: [0, 1, -1, Int.max, Int.min], label: nil), flags: [true, false],
        nested: [[1, nil], [], [nil]], when: Date(timeIntervalSince1970: 1_700_000_000.123),
        ratio: 0.1, small: -128, big: UInt64.max, optional: nil,
        map: ["b": 2, "a": 1, "B": 3, "ä": 4, "a10": 5, "a9": 6])

    // MARK: Oracle helpers

    static func foundationBytes(_ value: some Encodable) throws -> [UInt8] {
        Array(try RemoteJSON.makeEncoder().encode(value))
    }

    static func expectFastEncodeMatches(
        _ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try foundationBytes(value)
        guard case .done(let bytes) = WireJSON.fastEncode(value) else {
            Issue.record("the fast path did not encode \(value)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            sourceLocation: sourceLocation)
    }

    static func expectFastDecodeMatches<Value: Decodable & Equatable>(
        _ type: Value.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = try RemoteJSON.makeDecoder().decode(type, from: Data(json.utf8))
        guard case .done(let value) = WireJSON.fastDecode(type, from: Array(json.utf8)) else {
            Issue.record("the fast path did not decode \(json)", sourceLocation: sourceLocation)
            return
        }
        #expect(value == expected, sourceLocation: sourceLocation)
    }

    /// The message `RemoteJSON.decode` gives, and the one Foundation's decoder gives.
    static func messages<Value: Decodable>(_ type: Value.Type, _ json: String) -> (wire: String?, foundation: String?) {
        var wire: String?
        do {
            _ = try RemoteJSON.decode(type, from: Data(json.utf8))
        } catch {
            wire = error.message
        }
        var foundation: String?
        do {
            _ = try RemoteJSON.makeDecoder().decode(type, from: Data((json.isEmpty ? "null" : json).utf8))
        } catch let error as DecodingError {
            foundation = RemoteJSON.describe(error)
        } catch {
            foundation = "the body is not valid JSON"
        }
        return (wire, foundation)
    }

    // MARK: Encoding

    @Test("encodes nested values byte for byte like Foundation, keys sorted by UTF-8")
    func encodesLikeFoundation() throws {
        try Self.expectFastEncodeMatches(Self.outer)
        try Self.expectFastEncodeMatches(
            Scalars(
                int: -1, int16: .min, int32: .max, int64: .min, uint: .max, uint8: 255, uint16: 65535, uint32: 7,
                float: 0.1, color: .green, unit: Empty()))
        try Self.expectFastEncodeMatches(OddKeys(plain: 1, quoted: 2, accented: 3))
        try Self.expectFastEncodeMatches(["e\u{301}x": 1, "\u{e9}a": 2, "～": 3, "😀": 4, "Z": 5, "_": 6])
        try Self.expectFastEncodeMatches([2: "two", 10: "ten", -1: "minus"])
        try Self.expectFastEncodeMatches(Empty())
        try Self.expectFastEncodeMatches([Empty(), Empty()])
        try Self.expectFastEncodeMatches(Optional<Int>.none)
        try Self.expectFastEncodeMatches("top-level string /")
        try Self.expectFastEncodeMatches(RemoteError.Envelope(error: RemoteError(.invalidArgument, "bad \"x\"")))
        try Self.expectFastEncodeMatches(
            RemoteError(
                .aborted, "conflict", details: .object(["b": .array([.null, .bool(true)]), "a": .number(1.5)])))
    }

    @Test(
        "numbers are written as Foundation writes them",
        arguments: [
            0.0, -0.0, 1.0, -1.0, 0.1, 1e20, 1e21, 1e-7, 1e16, 1e15, 123_456_789_012_345_678.0,
            Double.leastNonzeroMagnitude,
            1.7976931348623157e308, 12345.678, -2.5e-3, 3.0e100, Double(Int64.max), 0.30000000000000004,
        ])
    func doubles(value: Double) throws {
        try Self.expectFastEncodeMatches(value)
        try Self.expectFastEncodeMatches([value])
        try Self.expectFastEncodeMatches(Float(value).isFinite ? Float(value) : 0)
    }

    @Test("every control character and escape is written like Foundation")
    func escapes() throws {
        var text = ""
        for scalar in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        text += "\u{80}\u{FF}\u{2028}\u{2029}\u{FEFF}\u{10FFFF}é👩‍👩‍👧"
        try Self.expectFastEncodeMatches(text)
        try Self.expectFastEncodeMatches([text: text])
    }

    @Test("dates are written through RemoteJSON.format")
    func dates() throws {
        for seconds in [0, 1_700_000_000.123, -1.5, 1_700_000_000.9995, 253_402_300_799.999] {
            let date = Date(timeIntervalSince1970: seconds)
            try Self.expectFastEncodeMatches(date)
            guard case .done(let bytes) = WireJSON.fastEncode(date) else {
                Issue.record("the fast path did not encode \(date)")
                continue
            }
            #expect(String(decoding: bytes, as: UTF8.self) == "\"\(RemoteJSON.format(date))\"")
        }
    }

    @Test("what the fast path cannot write exactly is left to Foundation, with the same result")
    func encodingFallbacks() throws {
        struct Nested: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                var inner = container.nestedContainer(keyedBy: Key.self, forKey: .b)
                try container.encode(1, forKey: .a)
                try inner.encode(2, forKey: .a)
            }
        }
        struct Duplicate: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: .b)
                try container.encode(2, forKey: .a)
                try container.encode(3, forKey: .b)
            }
        }
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        enum Key: String, CodingKey { case a, b }

        let cases: [any Encodable] = [Nested(), Duplicate(), Data([1, 2, 3]), URL(fileURLWithPath: "/tmp/x")]
        for value in cases {
            guard case .leftToFoundation = WireJSON.fastEncode(value) else {
                Issue.record("the fast path should leave \(value) to Foundation")
                continue
            }
            #expect(try WireJSON.encode(value) == Self.foundationBytes(value))
        }
        // A nested value that writes nothing is `{}`, as with Foundation; a root one is an error.
        try Self.expectFastEncodeMatches([Nothing()])
        #expect(throws: EncodingError.self) { try WireJSON.encode(Nothing()) }
        #expect(throws: EncodingError.self) { try WireJSON.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try WireJSON.encode(["x": Double.infinity]) }
    }

    // MARK: Decoding

    @Test("decodes what Foundation encodes back to the same value")
    func roundTrips() throws {
        let bytes = try Self.foundationBytes(Self.outer)
        guard case .done(let decoded) = WireJSON.fastDecode(Outer.self, from: bytes) else {
            Issue.record("the fast path did not decode the document")
            return
        }
        // Dates keep milliseconds on the wire.
        #expect(abs(decoded.when.timeIntervalSince(Self.outer.when)) < 0.001)
        var expected = Self.outer
        expected.when = decoded.when
        #expect(decoded == expected)
        let odd = OddKeys(plain: 1, quoted: 2, accented: 3)
        #expect(try WireJSON.decode(OddKeys.self, from: Self.foundationBytes(odd)) == odd)
    }

    @Test(
        "decodes scalars, whitespace, escapes and unicode like Foundation",
        arguments: [
            #" {"values" : [ 1 , -2 ,3 ] , "label":"a\"b\\c\/d\b\f\n\r\t\u00e9\u0000\ud83d\ude00" } "#,
            #"{"values":[],"label":null}"#,
            #"{"values":[9223372036854775807,-9223372036854775808,-0]}"#,
            "{\"values\":[1],\"label\":\"é😀 \u{2028} raw\"}",
            #"{"label":"first","values":[1],"label":"second"}"#,
            #"{"\u0076alues":[5],"extra":{"deep":[[[{"x":"\u00ff"}]]]},"more":[true,false,null,1.5e300]}"#,
        ])
    func decodesLikeFoundation(json: String) throws {
        try Self.expectFastDecodeMatches(Inner.self, json)
    }

    @Test(
        "decodes numbers like Foundation",
        arguments: [
            "0", "-0", "1", "-1", "0.1", "1.5e3", "1E+2", "-2.5e-3", "123456789012345678901234567890",
            "0.1000000000000000055511151231257827021181583404541015625", "2.2250738585072014e-308", "9007199254740993",
        ])
    func decodesNumbers(json: String) throws {
        try Self.expectFastDecodeMatches(Double.self, json)
        try Self.expectFastDecodeMatches(JSONValue.self, json)
        let negativeZero = try #require(try? WireJSON.decode(Double.self, from: Array("-0".utf8)))
        #expect(negativeZero.sign == .minus)
    }

    @Test("large objects (indexed members) decode like small ones")
    func largeObjects() throws {
        var members = (0..<40).map { #""extra\#($0)":[\#($0),{"values":"no"}]"# }
        members.insert(#""values":[7,8]"#, at: 25)
        members.append(#""label":"last""#)
        members.append(#""values":[9]"#)
        try Self.expectFastDecodeMatches(Inner.self, "{" + members.joined(separator: ",") + "}")
        let dictionary = Dictionary(uniqueKeysWithValues: (0..<100).map { ("key\($0)", $0) })
        try Self.expectFastEncodeMatches(dictionary)
        try Self.expectFastDecodeMatches(
            [String: Int].self, String(decoding: try Self.foundationBytes(dictionary), as: UTF8.self))
    }

    @Test("keys compare like Swift strings: escaped and canonically equivalent keys match")
    func keyMatching() throws {
        struct Accented: Codable, Equatable {
            var accented: Int
            enum CodingKeys: String, CodingKey { case accented = "é" }
        }
        try Self.expectFastDecodeMatches(Accented.self, #"{"e\u0301":1}"#)
        try Self.expectFastDecodeMatches(Accented.self, "{\"e\u{301}\":2,\"é\":3}")
        try Self.expectFastDecodeMatches([String: Int].self, "{\"é\":1,\"e\u{301}\":2,\"b\":3,\"b\":4}")
    }

    @Test(
        "what the fast path cannot read exactly is left to Foundation",
        arguments: [
            ("1.0", "Int"), ("1e2", "Int"), ("100000000000000000000", "Int"), ("300", "UInt8"), ("-1", "UInt"),
            ("1e400", "Double"), ("-1e-400", "Double"), ("0.5", "Float"), ("\u{FEFF}1", "Int"),
            (#""\ud83d""#, "String"),
            (#""AQID""#, "Data"), (#""https://example.com""#, "URL"), ("1.25", "Decimal"),
        ])
    func decodingFallbacks(json: String, type: String) {
        let bytes = Array(json.utf8)
        let attempt: WireJSON.Attempt<Void>
        switch type {
        case "Int": attempt = Self.erase(WireJSON.fastDecode(Int.self, from: bytes))
        case "UInt8": attempt = Self.erase(WireJSON.fastDecode(UInt8.self, from: bytes))
        case "UInt": attempt = Self.erase(WireJSON.fastDecode(UInt.self, from: bytes))
        case "Double": attempt = Self.erase(WireJSON.fastDecode(Double.self, from: bytes))
        case "Float": attempt = Self.erase(WireJSON.fastDecode(Float.self, from: bytes))
        case "String": attempt = Self.erase(WireJSON.fastDecode(String.self, from: bytes))
        case "Data": attempt = Self.erase(WireJSON.fastDecode(Data.self, from: bytes))
        case "URL": attempt = Self.erase(WireJSON.fastDecode(URL.self, from: bytes))
        default: attempt = Self.erase(WireJSON.fastDecode(Decimal.self, from: bytes))
        }
        guard case .leftToFoundation = attempt else {
            Issue.record("\(json) as \(type) should be left to Foundation")
            return
        }
    }

    static func erase<Value>(_ attempt: WireJSON.Attempt<Value>) -> WireJSON.Attempt<Void> {
        switch attempt {
        case .done: .done(())
        case .failed(let error): .failed(error)
        case .leftToFoundation: .leftToFoundation
        }
    }

    @Test("values Foundation reads leniently come out the same through the fallback")
    func lenientValues() throws {
        #expect(try WireJSON.decode(Int.self, from: Array("1.0".utf8)) == 1)
        #expect(try WireJSON.decode(Int.self, from: Array("1e2".utf8)) == 100)
        #expect(try WireJSON.decode(Int.self, from: Array("\u{FEFF}7".utf8)) == 7)
        #expect(try WireJSON.decode(Float.self, from: Array("0.1".utf8)) == Float(0.1))
        #expect(try WireJSON.decode(JSONValue.self, from: Array("1e2".utf8)) == .number(100))
    }

    @Test(
        "malformed JSON fails with Foundation's message",
        arguments: [
            "{nope", "", " ", "[1,]", #"{"a":1,}"#, "[1 2]", "01", "1.", ".5", "+1", "-", "1e", "tru", "nul", "\"abc",
            "\"a\u{1}b\"", #""\x""#, #""\u12""#, "{\"values\":[1]} x", "[", "]", "{\"values\":[1]}}", "{'a':1}",
            "NaN", "Infinity", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ])
    func malformed(json: String) {
        let (wire, foundation) = Self.messages([Inner].self, json)
        #expect(wire != nil)
        #expect(wire == foundation)
    }

    @Test(
        "type errors name the path of the bad field exactly as before",
        arguments: [
            #"{"values":[1,"two"]}"#, #"{"values":[1,null]}"#, #"{"values":"x"}"#, #"{"values":{}}"#,
            #"{"label":"x"}"#, #"{"values":[],"label":5}"#, #"[]"#, #"null"#, #"7"#, #"{"values":[1.5]}"#,
            #"{"values":[true]}"#, #"{"values":[99999999999999999999]}"#,
        ])
    func typeErrors(json: String) {
        let (wire, foundation) = Self.messages(Inner.self, json)
        #expect(wire != nil)
        #expect(wire == foundation)
    }

    @Test("errors deep in nested values name their whole path")
    func nestedPaths() throws {
        struct Wrapper: Codable { var inner: Inner }
        let (wire, foundation) = Self.messages(Wrapper.self, #"{"inner":{"values":[0,"x"]}}"#)
        #expect(wire == "invalid argument at 'inner.values[1]': expected Int")
        #expect(wire == foundation)
        let (missing, foundationMissing) = Self.messages(Outer.self, #"{"zeta":1}"#)
        #expect(missing == foundationMissing)
        let (date, foundationDate) = Self.messages(
            Outer.self, try Self.replacingDate(in: Self.outer, with: "yesterday"))
        #expect(date == foundationDate)
        #expect(date?.contains("'when'") == true)
    }

    static func replacingDate(in value: Outer, with text: String) throws -> String {
        let json = String(decoding: try foundationBytes(value), as: UTF8.self)
        let formatted = RemoteJSON.format(value.when)
        return json.replacingOccurrences(of: formatted, with: text)
    }

    // MARK: Random documents

    @Test("random documents: the same bytes as Foundation's encoder, the same values as its decoder")
    func randomDocuments() throws {
        var generator = SplitMix64(seed: 0x5EED_F00D)
        for _ in 0..<400 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let expected = try Self.foundationBytes(value)
            guard case .done(let bytes) = WireJSON.fastEncode(value) else {
                Issue.record("the fast path did not encode \(value)")
                continue
            }
            #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            let foundationValue = try RemoteJSON.makeDecoder().decode(JSONValue.self, from: Data(expected))
            guard case .done(let decoded) = WireJSON.fastDecode(JSONValue.self, from: expected) else {
                Issue.record("the fast path did not decode \(String(decoding: expected, as: UTF8.self))")
                continue
            }
            #expect(decoded == foundationValue)
        }
    }

    @Test("random typed documents with random whitespace decode like Foundation")
    func randomTypedDocuments() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let values = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63, using: &generator)
            }
            let label: String? = Bool.random(using: &generator) ? nil : Self.randomString(using: &generator)
            let inner = Inner(values: values, label: label)
            let compact = String(decoding: try Self.foundationBytes(inner), as: UTF8.self)
            var spaced = ""
            var inString = false
            var previous: Character = " "
            for character in compact {
                if character == "\"" && previous != "\\" { inString.toggle() }
                if !inString, "{}[],:".contains(character) {
                    spaced += [" ", "\n", "\t", "\r", ""].randomElement(using: &generator) ?? ""
                    spaced.append(character)
                    spaced += [" ", "\n", ""].randomElement(using: &generator) ?? ""
                } else {
                    spaced.append(character)
                }
                previous = inString && previous == "\\" && character == "\\" ? " " : character
            }
            try Self.expectFastDecodeMatches(Inner.self, spaced)
        }
    }

    static func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(randomNumber(using: &generator))
        case 3: return .string(randomString(using: &generator))
        case 4:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                object[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }

    static func randomNumber(using generator: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 1: return Double.random(in: -1...1, using: &generator)
        case 2: return Double(sign: .plus, exponent: Int.random(in: -1000...1000, using: &generator), significand: 1.5)
        case 3: return Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
        default: return Double(Int64.random(in: Int64.min...Int64.max, using: &generator))
        }
    }

    static func randomString(using generator: inout SplitMix64) -> String {
        let pool: [Unicode.Scalar] = [
            "a", "b", "Z", "_", "0", "9", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é",
            "e", "\u{301}", "ä", "ß", "\u{2028}", "～", "😀", "𝄞", "中", "\u{FEFF}",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            text.unicodeScalars.append(pool.randomElement(using: &generator) ?? "a")
        }
        return text
    }
}

/// A small seedable generator, so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
