import Foundation

/// An `Encoder` that writes wire JSON bytes directly, with the output of Foundation's
/// `JSONEncoder` configured by `RemoteJSON`: keys sorted by their UTF-8 bytes, slashes not
/// escaped, numbers and escapes written the same way, dates through `RemoteJSON.format`.
///
/// One instance serves a whole encode. Each value being encoded has a *frame*: the kind of
/// container its `encode(to:)` asked for and, for an object, where its members start, so that
/// members written out of order can be sorted when the value is complete. What it is not certain
/// to write exactly like Foundation (nested containers requested from a container, super
/// encoders, duplicate keys, non-finite numbers, `Data`, `URL`, `Decimal`, a root value that
/// writes nothing) sets ``needsFallback``; ``WireJSON`` then encodes with Foundation.
final class WireJSONEncoder: Encoder {
    /// The kind of container a value's `encode(to:)` asked for.
    enum FrameKind {
        case empty
        case keyed
        case unkeyed
        case single
        case singleWritten
    }

    /// The value being encoded.
    struct Frame {
        var id: Int
        var kind: FrameKind = .empty
        var path: CodingPathNode
        /// Members or elements written so far.
        var count = 0
        /// For an object: the offset of its `{`.
        var start = 0
        /// For an object: where the last key written sits in ``output`` (quotes excluded), to
        /// notice keys out of order without keeping them.
        var lastKey = 0..<0
        /// For an object: a key was written out of order (or with escapes, which hide the order),
        /// so the members are sorted when the object is complete.
        var needsSort = false
    }

    // Exclusivity is not checked dynamically for these: one encode runs on one thread, and no
    // access to them overlaps another (none is passed `inout` across a call that reaches them).
    @exclusivity(unchecked) private(set) var output: [UInt8] = []
    /// Set when Foundation must encode the value instead.
    @exclusivity(unchecked) private(set) var needsFallback = false
    @exclusivity(unchecked) private(set) var frame = Frame(id: 0, path: .root)
    @exclusivity(unchecked) private var lastFrameID = 0

    init() {
        output.reserveCapacity(128)
    }

    var codingPath: [any CodingKey] { frame.path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch frame.kind {
        case .empty:
            frame.kind = .keyed
            frame.start = output.count
            output.append(UInt8(ascii: "{"))
        case .keyed:
            break
        default:
            needsFallback = true
        }
        return KeyedEncodingContainer(
            WireJSONKeyedEncodingContainer(encoder: self, frameID: frame.id, path: frame.path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch frame.kind {
        case .empty:
            frame.kind = .unkeyed
            output.append(UInt8(ascii: "["))
        case .unkeyed:
            break
        default:
            needsFallback = true
        }
        return WireJSONUnkeyedEncodingContainer(encoder: self, frameID: frame.id, path: frame.path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        switch frame.kind {
        case .empty: frame.kind = .single
        case .single: break
        default: needsFallback = true
        }
        return WireJSONSingleValueEncodingContainer(encoder: self, frameID: frame.id, path: frame.path)
    }

    // MARK: Values

    /// Encodes the root value.
    func encodeRoot(_ value: some Encodable) throws {
        try encodeValue(value, path: .root, isRoot: true)
    }

    /// Encodes a value: scalars directly, anything else through its `encode(to:)` in a frame of
    /// its own.
    func encodeValue<Value: Encodable>(
        _ value: Value, path: @autoclosure () -> CodingPathNode, isRoot: Bool = false
    ) throws {
        if Value.self == String.self, let string = value as? String {
            writeString(string)
            return
        }
        if Value.self == Int.self, let integer = value as? Int { return writeInteger(integer) }
        if Value.self == Bool.self, let bool = value as? Bool { return writeBool(bool) }
        if Value.self == Double.self, let double = value as? Double { return try writeFloatingPoint(double) }
        if Value.self == Date.self, let date = value as? Date {
            writeString(RemoteJSON.format(date))
            return
        }
        if Value.self == Data.self || Value.self == URL.self || Value.self == Decimal.self {
            // Foundation has its own rules for these (base64, absolute strings, decimal digits).
            throw fallback()
        }
        let parent = frame
        lastFrameID += 1
        frame = Frame(id: lastFrameID, path: path())
        do {
            try value.encode(to: self)
        } catch {
            frame = parent
            throw fallback()
        }
        let finished = frame
        frame = parent
        switch finished.kind {
        case .empty:
            // Foundation refuses a root that encodes nothing and writes `{}` for a nested one.
            if isRoot { throw fallback() }
            output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .keyed:
            try finishObject(finished)
        case .unkeyed:
            output.append(UInt8(ascii: "]"))
        case .single:
            throw fallback()
        case .singleWritten:
            break
        }
    }

    // MARK: Containers' operations

    /// Starts the member `key` of the object of frame `frameID`: a comma when needed, the key
    /// and the colon.
    func beginMember(_ key: String, frameID: Int) throws {
        guard frame.id == frameID, frame.kind == .keyed else { throw fallback() }
        if frame.count > 0 { output.append(UInt8(ascii: ",")) }
        let keyStart = output.count + 1
        let escaped = writeString(key)
        let keyEnd = output.count - 1
        output.append(UInt8(ascii: ":"))
        if escaped {
            frame.needsSort = true
        } else if frame.count > 0, !frame.needsSort {
            switch compareWritten(frame.lastKey, keyStart..<keyEnd) {
            case .orderedAscending: break
            case .orderedSame: throw fallback()
            case .orderedDescending: frame.needsSort = true
            }
        }
        frame.lastKey = keyStart..<keyEnd
    }

    /// Ends the member started last.
    func endMember() {
        frame.count += 1
    }

    /// Compares two runs of ``output`` byte by byte.
    private func compareWritten(_ lhs: Range<Int>, _ rhs: Range<Int>) -> ComparisonResult {
        output.withUnsafeBufferPointer { bytes in
            var left = lhs.lowerBound
            var right = rhs.lowerBound
            while left < lhs.upperBound, right < rhs.upperBound {
                if bytes[left] != bytes[right] {
                    return bytes[left] < bytes[right] ? .orderedAscending : .orderedDescending
                }
                left += 1
                right += 1
            }
            if lhs.count == rhs.count { return .orderedSame }
            return lhs.count < rhs.count ? .orderedAscending : .orderedDescending
        }
    }

    /// Starts an element of the array of frame `frameID`, returning its index.
    func beginElement(frameID: Int) throws -> Int {
        guard frame.id == frameID, frame.kind == .unkeyed else { throw fallback() }
        if frame.count > 0 { output.append(UInt8(ascii: ",")) }
        frame.count += 1
        return frame.count - 1
    }

    /// The number of elements written by the array of frame `frameID`.
    func elementCount(frameID: Int) -> Int {
        frame.id == frameID ? frame.count : 0
    }

    /// Claims the single value of frame `frameID`.
    func beginSingleValue(frameID: Int) throws {
        guard frame.id == frameID, frame.kind == .single else { throw fallback() }
        frame.kind = .singleWritten
    }

    /// Records that Foundation must encode the value and returns the error to throw.
    func fallback() -> JSONFallback {
        needsFallback = true
        return JSONFallback()
    }

    /// Closes an object, first putting its members in key order (by the UTF-8 bytes of the
    /// decoded keys) if they were written out of it. The members are found again by scanning the
    /// object's bytes, so writing a member keeps no record of it.
    private func finishObject(_ finished: Frame) throws {
        output.append(UInt8(ascii: "}"))
        guard finished.needsSort else { return }
        let scanner = JSONScanner(Array(output[finished.start...]))
        var members: [(key: [UInt8], bytes: Range<Int>)] = []
        for member in scanner.members(ofObjectAt: 0) {
            let key: [UInt8]
            if member.keyIsPlainASCII {
                key = Array(scanner.bytes[member.keyStart..<member.keyEnd])
            } else {
                guard let decoded = scanner.string(from: member.keyStart, to: member.keyEnd) else { throw fallback() }
                key = Array(decoded.utf8)
            }
            members.append((key, (member.keyStart - 1)..<scanner.skipValue(at: member.valueStart)))
        }
        members.sort { $0.key.lexicographicallyPrecedes($1.key) }
        for (previous, next) in zip(members, members.dropFirst()) where previous.key == next.key {
            throw fallback()
        }
        var sorted: [UInt8] = [UInt8(ascii: "{")]
        sorted.reserveCapacity(scanner.bytes.count)
        for member in members {
            if sorted.count > 1 { sorted.append(UInt8(ascii: ",")) }
            sorted.append(contentsOf: scanner.bytes[member.bytes])
        }
        sorted.append(UInt8(ascii: "}"))
        output.replaceSubrange(finished.start..., with: sorted)
    }

    // MARK: Writing scalars

    func writeNull() {
        output.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    func writeBool(_ value: Bool) {
        if value {
            output.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            output.append(
                contentsOf: [
                    UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e"),
                ])
        }
    }

    /// Writes an integer in decimal, as `String(value)` would. Every integer type up to 64 bits
    /// goes through one non-generic routine (generic integer code is slow when not specialized).
    func writeInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        if Integer.isSigned {
            guard let value = Int64(exactly: value) else {
                output.append(contentsOf: String(value).utf8)
                return
            }
            writeDecimal(negative: value < 0, magnitude: value.magnitude)
        } else {
            guard let value = UInt64(exactly: value) else {
                output.append(contentsOf: String(value).utf8)
                return
            }
            writeDecimal(negative: false, magnitude: value)
        }
    }

    /// Writes `Int` without generic code.
    func writeInteger(_ value: Int) {
        writeDecimal(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    private func writeDecimal(negative: Bool, magnitude: UInt64) {
        if negative { output.append(UInt8(ascii: "-")) }
        var magnitude = magnitude
        let start = output.count
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    /// Writes a finite number as Foundation does: its shortest description, without a trailing
    /// `.0`.
    func writeFloatingPoint<Number: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Number) throws {
        guard value.isFinite else { throw fallback() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        output.append(contentsOf: text.utf8)
    }

    /// Writes a string in quotes, escaping `"`, `\` and control characters (as `\b`, `\t`, `\n`,
    /// `\f`, `\r` or `\u00XX` with lower-case hex digits), like Foundation. Returns whether it
    /// escaped anything.
    @discardableResult
    func writeString(_ value: String) -> Bool {
        output.append(UInt8(ascii: "\""))
        var value = value
        var escaped = false
        value.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                escaped = true
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                        hex[Int(byte & 0xF)],
                    ])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
        return escaped
    }
}
