public import RemoteFunctions

/// The pages of a paginated query, as an `AsyncSequence`: `for try await page in client.pages(…)`.
///
/// Pull-based: each page is requested inside `next()`, only when the consumer asks for it, so
/// a consumer that stops after two pages has caused exactly two requests. The sequence ends when
/// `next` derives no further arguments from the last page (for example when `hasMore` is
/// false). Each request is a normal query call, retried per ``RemoteClient/Configuration/queryRetry``.
public struct RemotePages<Arguments: Codable & Sendable, Page: Codable & Sendable>: AsyncSequence, Sendable {
    /// The only error this sequence throws.
    public typealias Failure = RemoteError

    let client: RemoteClient
    let query: RemoteQuery<Arguments, Page>
    let firstArguments: Arguments
    let nextArguments: @Sendable (_ page: Page, _ arguments: Arguments) -> Arguments?

    /// Creates the iterator; no request is sent until its first `next()`.
    public func makeAsyncIterator() -> Iterator {
        Iterator(pages: self, arguments: firstArguments)
    }

    /// Requests one page per `next()`.
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let pages: RemotePages
        var arguments: Arguments?

        /// Requests and returns the next page, or `nil` after the last one.
        public mutating func next() async throws(RemoteError) -> Page? {
            guard let current = arguments else { return nil }
            arguments = nil
            let page = try await pages.client.call(pages.query, current)
            arguments = pages.nextArguments(page, current)
            return page
        }
    }
}

/// A page that says where the next one starts, such as `{items, nextCursor, hasMore}`.
public protocol CursorPage {
    /// The type of the cursor.
    associatedtype Cursor
    /// Where the next page starts; `nil` when there is none.
    var nextCursor: Cursor? { get }
    /// Whether another page follows.
    var hasMore: Bool { get }
}

extension RemoteClient {
    /// The pages of `query`, starting with `first`; `next` derives the arguments of the following
    /// page from the last page and its arguments, or returns `nil` after the last page.
    public func pages<Arguments, Page>(
        _ query: RemoteQuery<Arguments, Page>, _ first: Arguments,
        next: @escaping @Sendable (_ page: Page, _ arguments: Arguments) -> Arguments?
    ) -> RemotePages<Arguments, Page> {
        RemotePages(client: self, query: query, firstArguments: first, nextArguments: next)
    }

    /// The pages of a cursor-paginated query: each following request copies the last page's
    /// `nextCursor` into the arguments at `cursor`, until `hasMore` is false or the cursor is
    /// `nil`.
    public func pages<Arguments, Page: CursorPage>(
        _ query: RemoteQuery<Arguments, Page>, _ first: Arguments,
        cursor: any WritableKeyPath<Arguments, Page.Cursor?> & Sendable
    ) -> RemotePages<Arguments, Page> {
        pages(query, first) { page, arguments in
            guard page.hasMore, let next = page.nextCursor else { return nil }
            var arguments = arguments
            arguments[keyPath: cursor] = next
            return arguments
        }
    }
}
