public import RemoteFunctions

extension RemoteError {
    /// The retryable error that ends a `.bounded` stream whose subscriber fell behind: the client
    /// reconnects and resumes from the last cursor it received.
    public static let fellBehind = RemoteError(
        .unavailable, "the subscriber fell behind; resume from the last cursor")
}
