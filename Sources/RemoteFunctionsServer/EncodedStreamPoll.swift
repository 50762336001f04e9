/// What ``EncodedStreamSource/pollEncoded()`` found.
public enum EncodedStreamPoll: Sendable {
    /// The next item, encoded.
    case item(EncodedStreamItem)
    /// Nothing to read now; the source calls its readable handler when there is.
    case empty
    /// The stream ended normally.
    case finished
}
