extension RemoteServer {
    /// How the multiplexed channel (`/_remote/_channel`, `docs/PROTOCOL.md` section 10) behaves.
    public struct ChannelConfiguration: Sendable {
        /// Whether the channel endpoints exist. When `false` they answer 404 and clients fall back
        /// to one request per stream.
        public var isEnabled: Bool
        /// The most subscriptions one channel may hold at once; one more is refused with
        /// `resource_exhausted` (429). 100.
        public var maxSubscriptions: Int
        /// The most bytes the channel writer hands to the transport in one write. Frames are taken
        /// from the subscriptions in turn, one frame each, until this much is gathered. 32 KiB.
        public var maxWriteBytes: Int

        /// Creates a channel configuration.
        public init(isEnabled: Bool = true, maxSubscriptions: Int = 100, maxWriteBytes: Int = 32 * 1024) {
            self.isEnabled = isEnabled
            self.maxSubscriptions = maxSubscriptions
            self.maxWriteBytes = maxWriteBytes
        }
    }
}
