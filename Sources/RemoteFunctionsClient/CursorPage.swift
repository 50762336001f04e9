/// A page that says where the next one starts, such as `{items, nextCursor, hasMore}`.
public protocol CursorPage {
    /// The type of the cursor.
    associatedtype Cursor
    /// Where the next page starts; `nil` when there is none.
    var nextCursor: Cursor? { get }
    /// Whether another page follows.
    var hasMore: Bool { get }
}
