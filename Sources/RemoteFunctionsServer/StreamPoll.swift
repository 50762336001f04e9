/// What ``PollableStreamSource/poll()`` found.
public enum StreamPoll<Element: Sendable>: Sendable {
    /// The next item.
    case item(StreamItem<Element>)
    /// Nothing to read now; the source calls its readable handler when there is.
    case empty
    /// The stream ended normally.
    case finished
}
