/// One page of `participants.page`.
public struct ParticipantsPage: Codable, Sendable, Hashable {
    /// The participants of this page, by ascending id.
    public var items: [Participant]
    /// The opaque cursor to pass for the next page; `null` when ``hasMore`` is false.
    public var nextCursor: String?
    /// Whether more participants follow this page.
    public var hasMore: Bool

    /// Creates a page.
    public init(items: [Participant], nextCursor: String?, hasMore: Bool) {
        self.items = items
        self.nextCursor = nextCursor
        self.hasMore = hasMore
    }

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor, hasMore
    }

    /// Encodes `{"items": [...], "nextCursor": "..." | null, "hasMore": bool}`; a missing cursor
    /// is written as an explicit `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(hasMore, forKey: .hasMore)
    }

    /// Decodes a page; a missing `nextCursor` means `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.items = try container.decode([Participant].self, forKey: .items)
        self.nextCursor = try container.decodeIfPresent(String.self, forKey: .nextCursor)
        self.hasMore = try container.decode(Bool.self, forKey: .hasMore)
    }
}
