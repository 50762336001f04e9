/// The header fields of a message: ordered `(name, value)` pairs, as received or as they will be sent.
///
/// Names keep their original case; every lookup compares names ASCII case-insensitively. Repeated
/// fields are kept as separate pairs in their original order.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public typealias Element = (name: String, value: String)

    private var names: [String] = []
    private var fieldValues: [String] = []

    /// Creates an empty set of headers.
    public init() {}

    /// Creates headers from pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        names.reserveCapacity(pairs.count)
        fieldValues.reserveCapacity(pairs.count)
        for (name, value) in pairs { add(name, value) }
    }

    /// Creates headers from a literal such as `["Content-Type": "text/plain"]`, keeping its order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { names.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { names.isEmpty }

    /// Appends a field, keeping any existing fields with the same name.
    public mutating func add(_ name: String, _ value: String) {
        names.append(name)
        fieldValues.append(value)
    }

    /// Sets a field: the first field with this name gets the value and any later ones are removed; if there
    /// is none, the field is appended.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        guard let first = firstIndex(of: name) else {
            add(name, value)
            return
        }
        names[first] = name
        fieldValues[first] = value
        var index = names.count - 1
        while index > first {
            if Self.namesEqual(names[index], name) {
                names.remove(at: index)
                fieldValues.remove(at: index)
            }
            index -= 1
        }
    }

    /// Removes every field with this name.
    public mutating func remove(_ name: String) {
        var index = names.count - 1
        while index >= 0 {
            if Self.namesEqual(names[index], name) {
                names.remove(at: index)
                fieldValues.remove(at: index)
            }
            index -= 1
        }
    }

    /// The value of the first field with this name, or `nil`.
    public subscript(name: String) -> String? {
        firstIndex(of: name).map { fieldValues[$0] }
    }

    /// The values of every field with this name, in order.
    public func values(_ name: String) -> [String] {
        var result: [String] = []
        for index in names.indices where Self.namesEqual(names[index], name) {
            result.append(fieldValues[index])
        }
        return result
    }

    /// Whether at least one field has this name.
    public func contains(_ name: String) -> Bool {
        firstIndex(of: name) != nil
    }

    /// Iterates the fields in order.
    public func makeIterator() -> Iterator {
        Iterator(headers: self)
    }

    /// Iterates the fields of ``HTTPHeaders`` in order.
    public struct Iterator: IteratorProtocol {
        private let headers: HTTPHeaders
        private var index = 0

        init(headers: HTTPHeaders) {
            self.headers = headers
        }

        /// The next field, or `nil` after the last.
        public mutating func next() -> Element? {
            guard index < headers.names.count else { return nil }
            defer { index += 1 }
            return (headers.names[index], headers.fieldValues[index])
        }
    }

    private func firstIndex(of name: String) -> Int? {
        names.firstIndex { Self.namesEqual($0, name) }
    }

    /// Compares two field names ASCII case-insensitively, without allocating.
    static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let l?, let r?):
                if l != r && asciiLowercased(l) != asciiLowercased(r) { return false }
            default:
                return false
            }
        }
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
