/// A coding path as a linked list, so that entering a nested value costs one node rather than a
/// copy of the whole path; the array form is built only when someone asks for it.
indirect enum CodingPathNode {
    case root
    case key(any CodingKey, CodingPathNode)
    case index(Int, CodingPathNode)

    /// The path from the root, as `Decoder.codingPath` and `Encoder.codingPath` give it.
    var keys: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while true {
            switch node {
            case .root:
                return keys.reversed()
            case .key(let key, let parent):
                keys.append(key)
                node = parent
            case .index(let index, let parent):
                keys.append(IndexCodingKey(index))
                node = parent
            }
        }
    }

    /// This path extended by `key`, or by `index` when `key` is `nil`.
    func appending(_ key: (any CodingKey)?, index: Int = 0) -> CodingPathNode {
        if let key { return .key(key, self) }
        return .index(index, self)
    }
}
