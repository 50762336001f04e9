import Foundation
import RemoteFunctions
import Synchronization

/// Carries the streams of one ``RemoteClient`` on a multiplexed channel (`docs/PROTOCOL.md`
/// section 10) instead of one request each.
///
/// ``open(id:arguments:cursor:)`` subscribes on the channel (opening it first when needed) and
/// returns a response whose body is the subscription's own event stream, rewritten into the
/// frames of a single stream (`event: next` with `id:` = the subscription's cursor), so the
/// stream iterator reads it exactly as a direct response. When the channel drops, every such body
/// ends without `end`; each iterator reconnects as after a cut, and its next `open` subscribes on
/// a new channel with its own last cursor. A server without the channel endpoint (404) makes
/// `open` return `nil` for good, and streams go back to one request each.
final class RemoteChannelClient: Sendable {
    /// An open channel: its id and the sources of its subscriptions' bodies.
    final class Channel: Sendable {
        let id: String
        let retry: Int
        let subscriptions = Mutex<[String: ClientResponseBody.Source]?>([:])

        init(id: String, retry: Int) {
            self.id = id
            self.retry = retry
        }

        /// Ends every subscription's body without `end`, so their iterators reconnect.
        func close() {
            let sources = subscriptions.withLock { subscriptions in
                defer { subscriptions = nil }
                return subscriptions.map { Array($0.values) } ?? []
            }
            for source in sources { source.finish() }
        }

        func take(_ sub: String) -> ClientResponseBody.Source? {
            subscriptions.withLock { $0?.removeValue(forKey: sub) }
        }
    }

    private enum Phase {
        case idle
        case opening(Task<Channel?, any Error>)
        case open(Channel)
        case unsupported
    }

    private struct State {
        var phase = Phase.idle
        var counter = 0
        var generation = 0
    }

    private let baseURL: String
    private let transport: any ClientTransport
    private let headers: [(name: String, value: String)]
    private let idleTimeout: Duration?
    private let state = Mutex(State())

    init(baseURL: URL, transport: any ClientTransport, headers: [(name: String, value: String)], idleTimeout: Duration?)
    {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base + RemoteWire.pathPrefix + "_channel"
        self.transport = transport
        self.headers = headers
        self.idleTimeout = idleTimeout
    }

    /// Subscribes to the stream `id` on the channel. Returns the subscription's response (200 with
    /// its events, or the subscribe's HTTP error), or `nil` when the server has no channel.
    func open(id: RemoteFunctionID, arguments: Data, cursor: String?) async throws -> ClientResponse? {
        guard let channel = try await currentChannel() else { return nil }
        let sub = state.withLock { state -> String in
            state.counter += 1
            return "s\(state.counter)"
        }
        let (body, source) = ClientResponseBody.makeStream(highWaterMark: .max) { [weak self] in
            self?.unsubscribe(sub, from: channel)
        }
        let registered = channel.subscriptions.withLock { subscriptions -> Bool in
            guard subscriptions != nil else { return false }
            subscriptions?[sub] = source
            return true
        }
        guard registered else {
            throw RemoteError(.unavailable, "the channel closed")
        }
        var payload = Array(#"{"sub":"\#(sub)","id":"\#(id.rawValue)","args":"#.utf8)
        payload += arguments.isEmpty ? Array("null".utf8) : Array(arguments)
        if let cursor {
            payload += Array(#","lastEventId":"#.utf8)
            payload += Array((try? JSONEncoder().encode(cursor)) ?? Data("null".utf8))
        }
        payload += Array("}".utf8)
        let response: ClientResponse
        do {
            response = try await transport.send(
                ClientRequest(
                    method: "POST", url: try url("/\(channel.id)/subscribe"),
                    headers: headers + [
                        (name: "Content-Type", value: RemoteWire.jsonContentType),
                        (name: "Accept", value: RemoteWire.jsonContentType),
                    ],
                    body: Data(payload)))
        } catch {
            _ = channel.take(sub)
            throw error
        }
        guard response.status == 204 || response.status == 200 else {
            _ = channel.take(sub)
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? []
            if response.status == 403,
                let envelope = try? RemoteJSON.decode(RemoteError.Envelope.self, from: Data(bytes)),
                case .object(let details)? = envelope.error.details, details["channel"] != nil
            {
                // The channel is gone or no longer ours: reconnect on a new one.
                closeIfCurrent(channel)
                return Self.errorResponse(RemoteError(.unavailable, "the channel was refused"), status: 503)
            }
            return ClientResponse(
                status: response.status, headers: response.headers, body: ClientResponseBody(bytes: bytes))
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        source.yield(Array("retry: \(channel.retry)\n\n".utf8))
        return ClientResponse(
            status: 200, headers: [(name: "Content-Type", value: RemoteWire.eventStreamContentType)], body: body)
    }

    private static func errorResponse(_ error: RemoteError, status: Int) -> ClientResponse {
        let body = (try? RemoteJSON.encode(RemoteError.Envelope(error: error))).map(Array.init) ?? []
        return ClientResponse(
            status: status, headers: [(name: "Content-Type", value: RemoteWire.jsonContentType)],
            body: ClientResponseBody(bytes: body))
    }

    private func url(_ suffix: String) throws -> URL {
        guard let url = URL(string: baseURL + suffix) else { throw RemoteError(.invalidArgument, "invalid base URL") }
        return url
    }

    private func unsubscribe(_ sub: String, from channel: Channel) {
        guard channel.take(sub) != nil else { return }
        let transport = self.transport
        let headers = self.headers
        guard let url = try? url("/\(channel.id)/unsubscribe") else { return }
        Task {
            let request = ClientRequest(
                method: "POST", url: url,
                headers: headers + [(name: "Content-Type", value: RemoteWire.jsonContentType)],
                body: Data(#"{"sub":"\#(sub)"}"#.utf8))
            if let response = try? await transport.send(request) { _ = try? await response.body.collect(upTo: 1 << 16) }
        }
    }

    // MARK: The channel

    /// The open channel, opening one when there is none; `nil` when the server has no channel.
    private func currentChannel() async throws -> Channel? {
        enum Next {
            case ready(Channel?)
            case wait(Task<Channel?, any Error>)
        }
        let next = state.withLock { state -> Next in
            switch state.phase {
            case .unsupported: return .ready(nil)
            case .open(let channel): return .ready(channel)
            case .opening(let task): return .wait(task)
            case .idle:
                state.generation += 1
                let generation = state.generation
                let task = Task { try await self.openChannel(generation: generation) }
                state.phase = .opening(task)
                return .wait(task)
            }
        }
        switch next {
        case .ready(let channel): return channel
        case .wait(let opening): return try await opening.value
        }
    }

    private func openChannel(generation: Int) async throws -> Channel? {
        let response: ClientResponse
        do {
            response = try await transport.send(
                ClientRequest(
                    method: "GET", url: try url(""),
                    headers: headers + [(name: "Accept", value: RemoteWire.eventStreamContentType)]))
        } catch {
            reset(generation: generation)
            throw error
        }
        if response.status == 404 {
            state.withLock { $0.phase = .unsupported }
            response.body.cancel()
            return nil
        }
        guard response.status == 200 else {
            reset(generation: generation)
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? []
            if let envelope = try? RemoteJSON.decode(RemoteError.Envelope.self, from: Data(bytes)) {
                throw envelope.error
            }
            throw RemoteError(RemoteError.Code(httpStatus: response.status), "the channel could not be opened")
        }
        var iterator = response.body.makeAsyncIterator()
        var parser = ServerSentEventParser()
        var retry = RemoteWire.defaultRetryMilliseconds
        var early: [ServerSentEvent] = []
        var opened: Channel?
        do {
            while opened == nil, let chunk = try await iterator.next() {
                for event in try parser.feed(chunk) {
                    if let value = event.retry { retry = value }
                    if opened == nil, event.event == "channel",
                        let settings = try? RemoteJSON.decode(ChannelSettings.self, from: Data(event.data.utf8))
                    {
                        opened = Channel(id: settings.channel, retry: retry)
                    } else if opened != nil {
                        early.append(event)
                    }
                }
            }
        } catch {
            reset(generation: generation)
            throw error
        }
        guard let channel = opened else {
            reset(generation: generation)
            throw RemoteError(.unavailable, "the channel closed before it opened")
        }
        state.withLock { state in
            if state.generation == generation { state.phase = .open(channel) }
        }
        let body = response.body
        let watchdog = idleTimeout.map { timeout in IdleWatchdog(timeout: timeout) { body.cancel() } }
        let remaining = iterator
        let parserState = parser
        Task { [weak self] in
            var iterator = remaining
            var parser = parserState
            for event in early { Self.dispatch(event, on: channel) }
            do {
                while let chunk = try await iterator.next() {
                    watchdog?.touch()
                    for event in try parser.feed(chunk) { Self.dispatch(event, on: channel) }
                }
            } catch {}
            watchdog?.stop()
            self?.closeIfCurrent(channel)
        }
        return channel
    }

    private func reset(generation: Int) {
        state.withLock { state in
            if state.generation == generation { state.phase = .idle }
        }
    }

    private func closeIfCurrent(_ channel: Channel) {
        state.withLock { state in
            if case .open(let current) = state.phase, current === channel { state.phase = .idle }
        }
        channel.close()
    }

    /// Hands one channel frame to its subscription's body, as the frame of a single stream.
    private static func dispatch(_ event: ServerSentEvent, on channel: Channel) {
        guard let name = event.event,
            name == RemoteWire.nextEvent || name == RemoteWire.endEvent || name == RemoteWire.errorEvent,
            let frame = try? RemoteJSON.decode(ChannelFrame.self, from: Data(event.data.utf8))
        else { return }
        switch name {
        case RemoteWire.nextEvent:
            let source = channel.subscriptions.withLock { $0?[frame.sub] }
            guard let source else { return }
            let value = frame.value ?? .null
            let json = (try? RemoteJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
            let id =
                frame.cursor.map { cursor in
                    "id: " + String(cursor.unicodeScalars.filter { $0 != "\n" && $0 != "\r" && $0 != "\0" }) + "\n"
                } ?? ""
            source.yield(Array("event: next\n\(id)data: \(json)\n\n".utf8))
        case RemoteWire.endEvent:
            guard let source = channel.take(frame.sub) else { return }
            source.yield(Array("event: end\ndata: null\n\n".utf8))
            source.finish()
        default:
            guard let source = channel.take(frame.sub) else { return }
            let error = frame.error ?? RemoteError(.unknown, "the stream failed")
            let json = (try? RemoteJSON.encode(error)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            source.yield(Array("event: error\ndata: \(json)\n\n".utf8))
            source.finish()
        }
    }

    private struct ChannelSettings: Decodable {
        var channel: String
    }

    private struct ChannelFrame: Decodable {
        var sub: String
        var cursor: String?
        var value: JSONValue?
        var error: RemoteError?
    }
}
