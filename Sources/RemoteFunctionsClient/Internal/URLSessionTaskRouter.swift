import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The one delegate of a ``URLSessionClientTransport``'s session. It routes each task's events to
/// that task's entry: first the continuation waiting for the head, then the body's source.
final class URLSessionTaskRouter: NSObject, URLSessionDataDelegate, Sendable {
    private enum Entry {
        case awaitingHead(CheckedContinuation<ClientResponse, any Error>, ClientResponseBody, ClientResponseBody.Source)
        case streaming(ClientResponseBody.Source)
    }

    private let entries = Mutex<[Int: Entry]>([:])

    func register(
        _ taskIdentifier: Int,
        continuation: CheckedContinuation<ClientResponse, any Error>,
        body: ClientResponseBody,
        source: ClientResponseBody.Source
    ) {
        entries.withLock { $0[taskIdentifier] = .awaitingHead(continuation, body, source) }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let identifier = dataTask.taskIdentifier
        let waiting = entries.withLock {
            entries -> (CheckedContinuation<ClientResponse, any Error>, ClientResponseBody)? in
            guard case .awaitingHead(let continuation, let body, let source) = entries[identifier] else { return nil }
            entries[identifier] = .streaming(source)
            return (continuation, body)
        }
        completionHandler(.allow)
        guard let (continuation, body) = waiting else { return }
        let http = response as? HTTPURLResponse
        var headers: [(name: String, value: String)] = []
        for (name, value) in http?.allHeaderFields ?? [:] {
            headers.append((name: "\(name)", value: "\(value)"))
        }
        continuation.resume(returning: ClientResponse(status: http?.statusCode ?? 0, headers: headers, body: body))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let identifier = dataTask.taskIdentifier
        let source = entries.withLock { entries -> ClientResponseBody.Source? in
            if case .streaming(let source) = entries[identifier] { return source }
            return nil
        }
        source?.yield(Array(data))
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        willCacheResponse proposedResponse: CachedURLResponse,
        completionHandler: @escaping (CachedURLResponse?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let identifier = task.taskIdentifier
        let entry = entries.withLock { $0.removeValue(forKey: identifier) }
        switch entry {
        case .awaitingHead(let continuation, _, let source):
            source.finish()
            continuation.resume(throwing: error ?? URLError(.badServerResponse))
        case .streaming(let source):
            source.finish(throwing: error)
        case nil:
            break
        }
    }

    func urlSession(_ session: URLSession, didBecomeInvalidWithError error: (any Error)?) {
        let remaining = entries.withLock { entries -> [Entry] in
            let values = Array(entries.values)
            entries.removeAll()
            return values
        }
        for entry in remaining {
            switch entry {
            case .awaitingHead(let continuation, _, let source):
                source.finish()
                continuation.resume(throwing: error ?? URLError(.cancelled))
            case .streaming(let source):
                source.finish(throwing: error ?? URLError(.cancelled))
            }
        }
    }
}
