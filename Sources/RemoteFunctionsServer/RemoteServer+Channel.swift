import Foundation
import RemoteFunctions

/// The body of `POST /_remote/_channel/{channelId}/subscribe`.
private struct ChannelSubscribeBody: Decodable {
    var sub: String
    var id: String
    var args: JSONValue?
    var lastEventId: String?
}

/// The body of `POST /_remote/_channel/{channelId}/unsubscribe`.
private struct ChannelUnsubscribeBody: Decodable {
    var sub: String
}

extension RemoteServer {
    /// The number of multiplexed channels open right now.
    public var openChannelCount: Int { channels.count }

    /// Serves the channel endpoints (`docs/PROTOCOL.md` section 10).
    func handleChannelRequest(_ request: ServerRequest, path: String, writer: any ServerResponseWriter) async {
        guard configuration.channel.isEnabled, let endpoint = RemoteChannelPath(path), endpoint != .unknown else {
            await respond(error: RemoteError(.notFound, "no remote function at this path"), writer: writer)
            return
        }
        switch endpoint {
        case .open:
            guard request.method == "GET" || request.method == "POST" else {
                await respond(
                    error: RemoteError(.unimplemented, "the channel accepts GET, POST only"), status: 405,
                    extraHeaders: [("Allow", "GET, POST")], writer: writer)
                return
            }
            await serveChannel(request, writer: writer)
        case .subscribe(let channelID):
            guard let channel = await channelForControl(request, channelID: channelID, writer: writer) else { return }
            await subscribe(request, channel: channel, writer: writer)
        case .unsubscribe(let channelID):
            guard let channel = await channelForControl(request, channelID: channelID, writer: writer) else { return }
            guard let body = await decodeControlBody(ChannelUnsubscribeBody.self, request, writer: writer) else {
                return
            }
            if let token = channel.token(named: body.sub) { channel.remove(token: token) }
            await respond(status: 204, contentType: RemoteWire.jsonContentType, body: [], writer: writer)
        case .unknown:
            return
        }
    }

    /// Who may use a channel: the same `Cookie` and `Authorization` headers as the request that
    /// opened it.
    static func channelOwner(_ request: ServerRequest) -> String {
        (request.header("Cookie") ?? "") + "\u{0}" + (request.header("Authorization") ?? "")
    }

    /// Opens a channel and runs its writer until the client leaves or the server shuts down.
    private func serveChannel(_ request: ServerRequest, writer: any ServerResponseWriter) async {
        let settings = configuration.channel
        let channel = RemoteChannel(
            id: RemoteChannels.newID(), owner: Self.channelOwner(request),
            maxSubscriptions: settings.maxSubscriptions, maxWriteBytes: settings.maxWriteBytes)
        guard channels.insert(channel) else {
            await respond(error: RemoteError(.unavailable, "the server is shutting down"), writer: writer)
            return
        }
        defer {
            channel.close()
            channels.remove(channel)
        }
        let heartbeatMilliseconds = Int(configuration.heartbeatInterval / .milliseconds(1))
        let opening =
            "retry: \(configuration.retryMilliseconds)\n\nevent: channel\ndata: {\"channel\":\"\(channel.id)\","
            + "\"heartbeatMs\":\(heartbeatMilliseconds),\"maxSubscriptions\":\(settings.maxSubscriptions)}\n\n"
        do {
            try await writer.writeHead(
                status: 200,
                headers: [
                    ("Content-Type", RemoteWire.eventStreamContentType),
                    ("Cache-Control", "no-store, no-transform"),
                    ("X-Accel-Buffering", "no"),
                ])
            try await writer.write(Array(opening.utf8))
        } catch {
            return
        }
        let interval = configuration.heartbeatInterval
        let heartbeats = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                channel.requestHeartbeat()
            }
        }
        defer { heartbeats.cancel() }
        while true {
            switch await channel.nextWork() {
            case .frames(let bytes):
                do { try await writer.write(bytes) } catch { return }
            case .heartbeat:
                do { try await writer.write(ServerSentEvent.comment()) } catch { return }
            case .finish:
                try? await writer.finish()
                return
            case .closed:
                return
            }
        }
    }

    /// The channel a subscribe or unsubscribe names, if it exists and belongs to the caller;
    /// otherwise answers 403 (an unknown id and someone else's id are not told apart) or 405.
    private func channelForControl(
        _ request: ServerRequest, channelID: String, writer: any ServerResponseWriter
    ) async -> RemoteChannel? {
        guard request.method == "POST" else {
            await respond(
                error: RemoteError(.unimplemented, "channel control accepts POST only"), status: 405,
                extraHeaders: [("Allow", "POST")], writer: writer)
            return nil
        }
        guard let channel = channels.channel(id: channelID), channel.owner == Self.channelOwner(request),
            !channel.isClosed
        else {
            let error = RemoteError(
                .permissionDenied, "this channel is not yours or is closed",
                details: .object(["channel": .string("refused")]))
            await respond(error: error, writer: writer)
            return nil
        }
        return channel
    }

    private func decodeControlBody<Body: Decodable>(
        _ type: Body.Type, _ request: ServerRequest, writer: any ServerResponseWriter
    ) async -> Body? {
        let bytes: [UInt8]
        do {
            bytes = try await request.body.collect(upTo: configuration.maxBodySize)
        } catch is ServerRequestBody.TooLarge {
            let error = RemoteError(.resourceExhausted, "the request is larger than \(configuration.maxBodySize) bytes")
            await respond(error: error, status: 413, writer: writer)
            return nil
        } catch {
            return nil
        }
        do {
            return try WireCoders.decode(type, from: bytes)
        } catch {
            await respond(error: error, writer: writer)
            return nil
        }
    }

    /// Starts one subscription: runs the middleware, the guard and the stream's start exactly as
    /// a direct call does (an early error is this request's HTTP error), then answers 204 while the
    /// handler goes on in its own task, writing into its buffer on the channel.
    private func subscribe(_ request: ServerRequest, channel: RemoteChannel, writer: any ServerResponseWriter) async {
        guard let body = await decodeControlBody(ChannelSubscribeBody.self, request, writer: writer) else { return }
        guard ChannelSubscription.isValidName(body.sub) else {
            await respond(
                error: RemoteError(
                    .invalidArgument, "invalid argument at 'sub': expected 1 to 64 of A-Z a-z 0-9 . _ -"),
                writer: writer)
            return
        }
        guard let id = RemoteFunctionID(body.id), let function = functions.withLock({ $0[id] }) else {
            metrics.record(function: "(unknown)", code: RemoteError.Code.notFound.wireName, latency: nil)
            await respond(error: RemoteError(.notFound, "no remote function named '\(body.id)'"), writer: writer)
            return
        }
        guard case .stream(let startStream) = function.invocation else {
            let error = RemoteError(.invalidArgument, "'\(id)' is a \(function.kind), not a stream")
            metrics.record(function: id.rawValue, code: error.code.wireName, latency: nil)
            await respond(error: error, writer: writer)
            return
        }
        let arguments: [UInt8]
        do {
            arguments = try WireCoders.encode(body.args ?? .null)
        } catch {
            await respond(error: RemoteError(.invalidArgument, "the arguments are not valid JSON"), writer: writer)
            return
        }
        let token: Int
        do {
            token = try channel.add(name: body.sub, policy: function.overflow)
        } catch .full {
            let error = RemoteError(
                .resourceExhausted,
                "this channel already carries \(configuration.channel.maxSubscriptions) subscriptions")
            metrics.record(function: id.rawValue, code: error.code.wireName, latency: nil)
            await respond(error: error, writer: writer)
            return
        } catch .duplicate {
            await respond(
                error: RemoteError(.alreadyExists, "a subscription named '\(body.sub)' is already open"), writer: writer
            )
            return
        } catch {
            await respond(error: RemoteError(.unavailable, "the channel is closing"), writer: writer)
            return
        }
        let logger = configuration.logger.with("function", id.rawValue)
        let context = RequestContext(
            headers: request.headers, cookies: RequestParsing.cookies(request.header("Cookie")),
            remoteAddress: request.remoteAddress, lastEventID: body.lastEventId, functionID: id, logger: logger)
        let call = RemoteCall(functionID: id, kind: function.kind, method: "POST")
        let chain = middlewares.withLock { $0 }
        let subscription = ChannelSubscription(channel: channel, token: token, name: body.sub)
        let startError: (any Error)? = await withCheckedContinuation { continuation in
            let started = ChannelStartSignal(continuation)
            let task = Task {
                var ending: StreamEnding?
                do {
                    try await Self.run(chain[...], call: call, context: context) { context in
                        try await function.check?.check(context)
                        let streamBody = try await startStream(arguments, context).body
                        started.resolve(nil)
                        let streamEnding = await Self.runSubscription(
                            streamBody, subscription: subscription, logger: logger)
                        ending = streamEnding
                        switch streamEnding {
                        case .finished: return
                        case .failed(let error): throw error
                        case .clientGone: throw CancellationError()
                        case .shutdown: throw RemoteError(.unavailable, "the server is shutting down")
                        }
                    }
                } catch {
                    if ending == nil { started.resolve(error) }
                }
                if let ending {
                    await subscription.finish(ending)
                    self.metrics.record(function: id.rawValue, code: ending.metricsCode, latency: nil)
                } else {
                    // A middleware returned without calling the handler: nothing was started.
                    started.resolve(RemoteError(.internal, "internal error"))
                }
            }
            channel.attach(task, token: token)
        }
        if let startError {
            channel.remove(token: token)
            let remote = Self.remoteError(from: startError, logger: logger)
            metrics.record(function: id.rawValue, code: remote.code.wireName, latency: nil)
            await respond(error: remote, writer: writer)
            return
        }
        await respond(status: 204, contentType: RemoteWire.jsonContentType, body: [], writer: writer)
    }

    /// Runs a subscription's handler and says how it ended.
    private static func runSubscription(
        _ body: RegisteredFunction.StreamBody, subscription: ChannelSubscription, logger: RemoteLogger
    ) async -> StreamEnding {
        let sink = StreamEventSink(destination: subscription)
        do {
            try await body(sink)
            // A handler cancelled by the shutdown may return normally; its stream did not finish.
            return Task.isCancelled && subscription.channel.isShuttingDown ? .shutdown : .finished
        } catch let error as RemoteError {
            if Task.isCancelled { return subscription.channel.isShuttingDown ? .shutdown : .clientGone }
            return .failed(error)
        } catch {
            if error is CancellationError || Task.isCancelled {
                return subscription.channel.isShuttingDown ? .shutdown : .clientGone
            }
            logger.log(.error, "stream handler failed: \(String(reflecting: error))")
            return .failed(RemoteError(.internal, "internal error"))
        }
    }
}
