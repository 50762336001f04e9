/// The header fields of a message: ordered `(name, value)` pairs, as received or as they will be sent.
///
/// Names keep their original case; every lookup compares names ASCII case-insensitively. Repeated
/// fields are kept as separate pairs in their original order.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public typealias Element = (name: String, value: String)

    private struct Field: Sendable, Hashable {
        var name: String
        var value: String
    }

    private var fields: [Field] = []

    /// Creates an empty set of headers.
    public init() {}

    /// Creates headers from pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        fields.reserveCapacity(pairs.count)
        for (name, value) in pairs { add(name, value) }
    }

    /// Creates headers from a literal such as `["Content-Type": "text/plain"]`, keeping its order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// Appends a field, keeping any existing fields with the same name.
    public mutating func add(_ name: String, _ value: String) {
        if fields.capacity == 0 { fields.reserveCapacity(8) }
        fields.append(Field(name: name, value: value))
    }

    /// Sets a field: the first field with this name gets the value and any later ones are removed; if there
    /// is none, the field is appended.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        guard let first = firstIndex(of: name) else {
            add(name, value)
            return
        }
        fields[first] = Field(name: name, value: value)
        var index = fields.count - 1
        while index > first {
            if Self.namesEqual(fields[index].name, name) { fields.remove(at: index) }
            index -= 1
        }
    }

    /// Removes every field with this name.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    /// The value of the first field with this name, or `nil`.
    public subscript(name: String) -> String? {
        firstIndex(of: name).map { fields[$0].value }
    }

    /// The values of every field with this name, in order.
    public func values(_ name: String) -> [String] {
        var result: [String] = []
        for field in fields where Self.namesEqual(field.name, name) {
            result.append(field.value)
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
            guard index < headers.fields.count else { return nil }
            defer { index += 1 }
            let field = headers.fields[index]
            return (field.name, field.value)
        }
    }

    private func firstIndex(of name: String) -> Int? {
        fields.firstIndex { Self.namesEqual($0.name, name) }
    }

    /// Compares two field names ASCII case-insensitively, without allocating.
    static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
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
