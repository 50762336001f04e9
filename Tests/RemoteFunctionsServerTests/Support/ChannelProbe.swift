import Foundation
import RemoteFunctions
import RemoteFunctionsHTTP

/// One channel opened with the raw protocol (`docs/PROTOCOL.md` section 10), for tests: its id,
/// its events as they arrive, and a way to cut its connection.
final class ChannelProbe: Sendable {
    let channelID: String
    let events: AsyncStream<ServerSentEvent>
    let reader: Task<Void, Never>
    let url: URL
    let client: HTTPClient
    let headers: HTTPHeaders

    private init(
        channelID: String, events: AsyncStream<ServerSentEvent>, reader: Task<Void, Never>, url: URL,
        client: HTTPClient, headers: HTTPHeaders
    ) {
        self.channelID = channelID
        self.events = events
        self.reader = reader
        self.url = url
        self.client = client
        self.headers = headers
    }

    /// Opens a channel and waits for its `channel` event.
    static func open(_ client: HTTPClient, url: URL, headers: HTTPHeaders = [:]) async throws -> ChannelProbe {
        var requestHeaders = headers
        requestHeaders.replaceOrAdd("Accept", "text/event-stream")
        let response = try await client.execute(url: "\(url)/_remote/_channel", headers: requestHeaders)
        guard response.status == 200 else { throw ChannelProbeError(message: "channel answered \(response.status)") }
        let (events, continuation) = AsyncStream<ServerSentEvent>.makeStream()
        let reader = Task {
            var parser = ServerSentEventParser()
            do {
                for try await chunk in response.body {
                    for event in try parser.feed(chunk) { continuation.yield(event) }
                }
            } catch {}
            continuation.finish()
        }
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next() {
            if event.event == "channel", let data = event.data.data(using: .utf8),
                let opening = try? JSONDecoder().decode(Opening.self, from: data)
            {
                return ChannelProbe(
                    channelID: opening.channel, events: events, reader: reader, url: url, client: client,
                    headers: headers)
            }
        }
        throw ChannelProbeError(message: "the channel ended before its opening event")
    }

    /// `POST …/subscribe`; returns the status and the body.
    func subscribe(
        _ sub: String, id: String, args: String = "null", lastEventID: String? = nil, headers: HTTPHeaders? = nil,
        channelID: String? = nil
    ) async throws -> (status: Int, body: String) {
        var body = #"{"sub":"\#(sub)","id":"\#(id)","args":\#(args)"#
        if let lastEventID { body += #","lastEventId":"\#(lastEventID)""# }
        body += "}"
        return try await control("subscribe", body: body, headers: headers, channelID: channelID)
    }

    /// `POST …/unsubscribe`.
    func unsubscribe(_ sub: String) async throws -> Int {
        try await control("unsubscribe", body: #"{"sub":"\#(sub)"}"#, headers: nil, channelID: nil).status
    }

    private func control(
        _ action: String, body: String, headers: HTTPHeaders?, channelID: String?
    ) async throws -> (status: Int, body: String) {
        var requestHeaders = headers ?? self.headers
        requestHeaders.replaceOrAdd("Content-Type", "application/json")
        let response = try await client.execute(
            method: "POST", url: "\(url)/_remote/_channel/\(channelID ?? self.channelID)/\(action)",
            headers: requestHeaders, body: Array(body.utf8))
        let text = String(decoding: try await response.body.collect(upTo: 1 << 20), as: UTF8.self)
        return (response.status, text)
    }

    /// Closes the channel's connection, as a network cut would.
    func cut() { reader.cancel() }

    private struct Opening: Decodable { var channel: String }
}

struct ChannelProbeError: Error { var message: String }

/// One decoded channel frame.
struct ChannelFrame: Decodable, Sendable {
    var sub: String
    var cursor: String?
    var value: JSONValue?
    var error: RemoteError?

    init?(_ event: ServerSentEvent) {
        guard let data = event.data.data(using: .utf8),
            let frame = try? RemoteJSON.decode(ChannelFrame.self, from: data)
        else { return nil }
        self = frame
    }
}
