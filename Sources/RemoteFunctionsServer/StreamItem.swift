/// One element of a stream together with its optional cursor.
///
/// The cursor goes out as the SSE `id:` field. A client that reconnects sends the last cursor it
/// saw as `Last-Event-ID`, and the handler resumes after it.
public struct StreamItem<Element: Sendable>: Sendable {
    /// The element.
    public var element: Element
    /// The cursor of this element, or `nil` when the stream cannot resume from here.
    public var cursor: String?

    /// Pairs an element with its cursor.
    public init(_ element: Element, cursor: String? = nil) {
        self.element = element
        self.cursor = cursor
    }
}

extension StreamItem: Equatable where Element: Equatable {}
