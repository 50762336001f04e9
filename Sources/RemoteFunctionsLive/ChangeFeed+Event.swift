extension ChangeFeed {
    /// One change to one topic.
    public struct Change: Sendable, Hashable {
        /// The topic that changed, such as `session:ABC`.
        public var topic: String
        /// The version the change produced, when the writer gave one.
        public var version: Int64?
        /// The feed's running number of this change: it increases in publish order across all
        /// topics of one feed.
        public var sequence: UInt64

        /// Creates a change.
        public init(topic: String, version: Int64?, sequence: UInt64) {
            self.topic = topic
            self.version = version
            self.sequence = sequence
        }
    }

    /// What a listener of the feed receives.
    public enum Event: Sendable, Hashable {
        /// A topic the listener follows changed.
        case changed(Change)
        /// Anything may have changed without being reported (``ChangeFeed/invalidateAll()``).
        case invalidatedAll
    }
}
