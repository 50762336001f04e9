/// One finding of the `insights` stage of `sessions.loadProgressive`, derived from the data.
public struct Insight: Codable, Sendable, Hashable {
    /// A short headline.
    public var title: String
    /// A sentence with the figures behind it.
    public var detail: String

    /// Creates an insight.
    public init(title: String, detail: String) {
        self.title = title
        self.detail = detail
    }
}
