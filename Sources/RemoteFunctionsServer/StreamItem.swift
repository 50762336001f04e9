/// One element of a stream together with its optional cursor.
///
/// The cursor goes out as the SSE `id:` field. A client that reconnects sends the last cursor it
/// saw as `Last-Event-ID`, and the handler resumes after it.
public struct StreamItem<Element: Sendable>: Sendable {
    /// The element.
    public var element: Element
    /// The cursor of this element, or `nil` when the stream cannot resume from here.
    public var cursor: String?
    /// The element's JSON when it was encoded ahead of time (see ``EncodedJSON``); the server then
    /// sends these bytes instead of encoding the element again.
    public var encoded: EncodedJSON<Element>?

    /// Pairs an element with its cursor.
    public init(_ element: Element, cursor: String? = nil) {
        self.element = element
        self.cursor = cursor
        self.encoded = nil
    }

    /// Pairs an element with its JSON, encoded once and shared by every subscriber, and its cursor.
    public init(_ element: Element, encoded: EncodedJSON<Element>, cursor: String? = nil) {
        self.element = element
        self.cursor = cursor
        self.encoded = encoded
    }
}

extension StreamItem: Equatable where Element: Equatable {
    /// Two items are equal when their elements and cursors are; the pre-encoded bytes are only a
    /// cache of the element and take no part.
    public static func == (lhs: StreamItem, rhs: StreamItem) -> Bool {
        lhs.element == rhs.element && lhs.cursor == rhs.cursor
    }
}
