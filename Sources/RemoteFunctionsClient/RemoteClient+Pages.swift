public import RemoteFunctions

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
