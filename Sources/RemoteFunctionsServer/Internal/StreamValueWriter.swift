/// Where a ``StreamEventSink`` puts the encoded values of one stream: the HTTP response of a
/// direct stream (``OpenStream``) or a subscription's buffer on a multiplexed channel
/// (``ChannelSubscription``).
protocol StreamValueWriter: Sendable {
    /// Sends one value, already encoded as wire JSON, with its optional cursor. Suspends while the
    /// destination is full; throws once nobody reads the stream any more.
    func writeValue(json: [UInt8], cursor: String?) async throws
}
