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
