import Foundation
public import RemoteFunctions

extension RemoteClient {
    /// Opens a stream: `for try await value in client.stream(ticks, .init(count: 10))`.
    ///
    /// - Parameter lastEventID: a cursor to resume from, sent as `Last-Event-ID` on the first
    ///   request already.
    public func stream<Arguments, Element>(
        _ stream: RemoteStream<Arguments, Element>, _ arguments: Arguments, lastEventID: String? = nil
    ) -> RemoteStreamSequence<Element> {
        let body: Result<Data, RemoteError>
        do {
            body = .success(try encodeArguments(arguments))
        } catch {
            body = .failure(error)
        }
        return RemoteStreamSequence(client: self, id: stream.id, arguments: body, lastEventID: lastEventID)
    }

    /// Opens a stream that takes no arguments.
    public func stream<Element>(
        _ stream: RemoteStream<Empty, Element>, lastEventID: String? = nil
    ) -> RemoteStreamSequence<Element> {
        self.stream(stream, Empty(), lastEventID: lastEventID)
    }
}
