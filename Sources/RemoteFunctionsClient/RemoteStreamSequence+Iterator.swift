import Foundation
public import RemoteFunctions

extension RemoteStreamSequence {
    /// Reads a remote stream, reconnecting as needed. Everything happens inside `next()`: no
    /// background task runs between calls, except the idle watchdog's timer.
    ///
    /// Releasing the iterator (leaving the loop) cancels the request and sets the state to
    /// ``RemoteConnectionState/closed``.
    public final class Iterator: AsyncIteratorProtocol {
        private let sequence: RemoteStreamSequence<Element>
        private var connection: ClientResponseBody.Iterator?
        private var watchdog: IdleWatchdog?
        private var parser = ServerSentEventParser()
        private var pending: [ServerSentEvent] = []
        private var pendingIndex = 0
        /// Failed attempts in a row since a connection last delivered a frame.
        private var failures = 0
        private var lastFailure: RemoteError?
        /// The base delay the server announced with `retry:`.
        private var serverRetry: Duration?
        private var cursor: String?
        private var finished = false

        init(sequence: RemoteStreamSequence<Element>) {
            self.sequence = sequence
            self.cursor = sequence.storage.lastEventID
        }

        deinit {
            watchdog?.stop()
            if !finished { sequence.storage.update(.closed) }
        }

        private var client: RemoteClient { sequence.client }
        private var configuration: RemoteClient.Configuration { sequence.client.configuration }

        /// The next value, or `nil` after `event: end`.
        ///
        /// - Throws: the server's non-retryable ``RemoteError``; `unavailable` when reconnects
        ///   ran out; `cancelled` when the task was cancelled.
        public func next() async throws(RemoteError) -> Element? {
            try await next(isolation: nil)
        }

        /// The next value, or `nil` after `event: end`, running on the caller's actor.
        public func next(isolation actor: isolated (any Actor)?) async throws(RemoteError) -> Element? {
            while !finished {
                if let element = try takePendingElement() { return element }
                if finished { break }
                if connection == nil {
                    try await connect(isolation: actor)
                } else {
                    try await read(isolation: actor)
                }
            }
            return nil
        }

        // MARK: Events

        /// Handles buffered events until one yields a value, the stream ends, or a retryable
        /// error drops the connection.
        private func takePendingElement() throws(RemoteError) -> Element? {
            while pendingIndex < pending.count {
                let event = pending[pendingIndex]
                pendingIndex += 1
                if let retry = event.retry { serverRetry = .milliseconds(retry) }
                switch event.event {
                case RemoteWire.nextEvent:
                    let element: Element
                    do {
                        element = try RemoteJSON.decode(Element.self, from: Data(event.data.utf8))
                    } catch {
                        try fail(RemoteError(.internal, "a stream value could not be decoded (\(error.message))"))
                    }
                    if let id = event.id {
                        cursor = id.isEmpty ? nil : id
                        sequence.storage.lastEventID = cursor
                    }
                    failures = 0
                    lastFailure = nil
                    return element
                case RemoteWire.endEvent:
                    finish(.closed)
                    return nil
                case RemoteWire.errorEvent:
                    let error =
                        (try? RemoteJSON.decode(RemoteError.self, from: Data(event.data.utf8)))
                        ?? RemoteError(.unknown, "the stream ended with an unreadable error")
                    guard error.isRetryable else { try fail(error) }
                    dropConnection(because: error)
                    return nil
                default:
                    continue
                }
            }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            return nil
        }

        // MARK: Connection

        private func connect(isolation actor: isolated (any Actor)?) async throws(RemoteError) {
            let body: Data
            switch sequence.arguments {
            case .success(let data): body = data
            case .failure(let error): try fail(error)
            }
            if failures > 0 {
                let policy = configuration.streamReconnect
                guard policy.allowsAttempt(after: failures) else {
                    try fail(lastFailure ?? RemoteError(.unavailable, "the server could not be reached"))
                }
                let delay = policy.backoff.delay(
                    attempt: failures, initialDelay: serverRetry, randomUnit: configuration.randomUnit())
                sequence.storage.update(.reconnecting(attempt: failures, after: delay))
                do {
                    try await configuration.sleep(delay)
                } catch {
                    try cancelled()
                }
            }
            if Task.isCancelled { try cancelled() }
            sequence.storage.update(.connecting)
            var headers =
                configuration.headers + [
                    (name: "Accept", value: RemoteWire.eventStreamContentType),
                    (name: "Content-Type", value: RemoteWire.jsonContentType),
                    (name: "Cache-Control", value: "no-cache"),
                ]
            if let cursor { headers.append((name: RemoteWire.lastEventIDHeader, value: cursor)) }
            let request = ClientRequest(method: "POST", url: client.url(for: sequence.id), headers: headers, body: body)

            let response: ClientResponse
            var onChannel = false
            do {
                if let carried = try await client.channel?.open(id: sequence.id, arguments: body, cursor: cursor) {
                    response = carried
                    onChannel = true
                } else {
                    response = try await client.transport.send(request)
                }
            } catch {
                if Task.isCancelled { try cancelled() }
                let mapped = client.mapTransportError(error)
                guard mapped.isRetryable else { try fail(mapped) }
                failures += 1
                lastFailure = mapped
                return
            }
            guard response.status == 200 else {
                let error = await client.error(from: response)
                if Task.isCancelled { try cancelled() }
                guard error.isRetryable else { try fail(error) }
                failures += 1
                lastFailure = error
                return
            }
            if let type = response.header("Content-Type"),
                !type.lowercased().hasPrefix(RemoteWire.eventStreamContentType)
            {
                response.body.cancel()
                try fail(RemoteError(.unknown, "the server did not answer with an event stream"))
            }
            connection = response.body.makeAsyncIterator()
            parser = ServerSentEventParser()
            // On a channel, heartbeats are the channel's: its own watchdog covers silence.
            if let timeout = configuration.streamIdleTimeout, !onChannel {
                let responseBody = response.body
                watchdog = IdleWatchdog(timeout: timeout) { responseBody.cancel() }
            }
            sequence.storage.update(.open)
        }

        private func read(isolation actor: isolated (any Actor)?) async throws(RemoteError) {
            guard var current = connection else { return }
            let chunk: [UInt8]?
            do {
                chunk = try await current.next()
            } catch {
                if Task.isCancelled { try cancelled() }
                if watchdog?.fired == true {
                    dropConnection(because: RemoteError(.unavailable, "the stream went silent"))
                } else {
                    let mapped = client.mapTransportError(error)
                    dropConnection(
                        because: mapped.code == .cancelled
                            ? RemoteError(.unavailable, "the connection was lost") : mapped)
                }
                return
            }
            guard let chunk else {
                dropConnection(because: RemoteError(.unavailable, "the stream ended without an end event"))
                return
            }
            connection = current
            watchdog?.touch()
            let events: [ServerSentEvent]
            do {
                events = try parser.feed(chunk)
            } catch {
                try fail(RemoteError(.resourceExhausted, "a stream event is longer than the client accepts"))
            }
            if !events.isEmpty {
                // The connection delivered a frame (the opening `retry:` one at least): the
                // backoff starts over, as PROTOCOL.md 5.3 says.
                failures = 0
                lastFailure = nil
                pending.append(contentsOf: events)
            }
        }

        /// Closes the current connection and counts a failure; the next `connect()` backs off.
        private func dropConnection(because error: RemoteError) {
            closeConnection()
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            failures += 1
            lastFailure = error
        }

        private func closeConnection() {
            watchdog?.stop()
            watchdog = nil
            connection = nil
        }

        // MARK: Endings

        private func finish(_ state: RemoteConnectionState) {
            finished = true
            closeConnection()
            sequence.storage.update(state)
        }

        private func fail(_ error: RemoteError) throws(RemoteError) -> Never {
            finish(.failed(error))
            throw error
        }

        private func cancelled() throws(RemoteError) -> Never {
            finish(.closed)
            throw RemoteError(.cancelled, "the stream was cancelled")
        }
    }
}
