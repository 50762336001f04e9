/// The `yield` of a stream handler written like an async generator.
///
/// `try await yield(element)` sends one value; `try await yield(element, cursor: "42")` sends it
/// with a resume cursor (the SSE `id:`). The call suspends while the client reads more slowly than
/// the handler produces (backpressure reaches the handler through the transport's writer) and
/// throws `CancellationError` once the client has gone or the server is shutting down, so a
/// handler never produces values nobody reads.
public struct StreamYield<Element: Encodable & Sendable>: Sendable {
    private let send: @Sendable (StreamItem<Element>) async throws -> Void

    /// Creates a yield from the function that sends one element. Used by tests that drive a
    /// handler directly.
    public init(_ send: @escaping @Sendable (_ element: Element, _ cursor: String?) async throws -> Void) {
        self.send = { item in try await send(item.element, item.cursor) }
    }

    /// Creates a yield from the function that sends one item.
    init(items send: @escaping @Sendable (StreamItem<Element>) async throws -> Void) {
        self.send = send
    }

    /// Sends `element`, with `cursor` as its resume cursor when given.
    public func callAsFunction(_ element: Element, cursor: String? = nil) async throws {
        try await send(StreamItem(element, cursor: cursor))
    }

    /// Sends an item: its element (as its pre-encoded JSON when it has one) and its cursor.
    public func callAsFunction(_ item: StreamItem<Element>) async throws {
        try await send(item)
    }
}
