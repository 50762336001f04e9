import Foundation
import RemoteFunctions

extension RemoteServer {
    /// Answers one request. Transports call this for every request and cancel the calling task
    /// when the client goes away. It never throws: every failure becomes an HTTP error with a JSON
    /// body, or a final `event: error` frame once a stream has started.
    public func handle(_ request: ServerRequest, writer: any ServerResponseWriter) async {
        let path = request.path
        if path == "/metrics" {
            await serveMetrics(request, writer: writer)
            return
        }
        guard path.hasPrefix(RemoteWire.pathPrefix) else {
            await respond(error: RemoteError(.notFound, "no remote function at this path"), writer: writer)
            return
        }
        let name = String(path.dropFirst(RemoteWire.pathPrefix.count))
        if RemoteChannelPath(name) != nil {
            await handleChannelRequest(request, path: name, writer: writer)
            return
        }
        if BundledResource.names.contains(name) {
            await serveResource(name, request: request, writer: writer)
            return
        }
        guard let id = RemoteFunctionID(name), let function = functions.withLock({ $0[id] }) else {
            let message =
                RemoteFunctionID.isValid(name)
                ? "no remote function named '\(name)'" : "no remote function at this path"
            metrics.record(function: "(unknown)", code: RemoteError.Code.notFound.wireName, latency: nil)
            await respond(error: RemoteError(.notFound, message), writer: writer)
            return
        }
        let start = ContinuousClock.now
        guard function.kind.allowedMethods.contains(request.method) else {
            let allowed = function.kind.allowedMethods.joined(separator: ", ")
            let error = RemoteError(.unimplemented, "a \(function.kind) accepts \(allowed) only")
            metrics.record(function: id.rawValue, code: error.code.wireName, latency: nil)
            await respond(error: error, status: 405, extraHeaders: [("Allow", allowed)], writer: writer)
            return
        }
        if function.kind == .command, let origin = request.header("Origin"),
            !isAllowed(origin: origin, host: request.header("Host"))
        {
            let error = RemoteError(.permissionDenied, "cross-origin commands are not allowed from this origin")
            metrics.record(function: id.rawValue, code: error.code.wireName, latency: nil)
            await respond(error: error, writer: writer)
            return
        }
        let parameters = RequestParsing.queryParameters(request.query)
        let arguments: [UInt8]
        do {
            if request.method == "POST" {
                // Read here rather than in a helper, and without an asynchronous call at all when the
                // body has already arrived: each async call costs executor checks.
                let limit = configuration.maxBodySize
                if let received = try request.body.collectIfReceived(upTo: limit) {
                    arguments = received
                } else {
                    arguments = try await request.body.collect(upTo: limit)
                }
            } else {
                arguments = try queryArguments(parameters)
            }
        } catch is ServerRequestBody.TooLarge {
            let error = RemoteError(
                .resourceExhausted, "the arguments are larger than \(configuration.maxBodySize) bytes")
            metrics.record(function: id.rawValue, code: error.code.wireName, latency: nil)
            await respond(error: error, status: 413, writer: writer)
            return
        } catch {
            // The body could not be read: the client has gone.
            return
        }
        let logger = function.logger
        let context = RequestContext(
            headers: request.headers, cookies: RequestParsing.cookies(request.header("Cookie")),
            remoteAddress: request.remoteAddress,
            lastEventID: request.header(RemoteWire.lastEventIDHeader)
                ?? parameters[RemoteWire.lastEventIDQueryParameter],
            functionID: id, logger: logger)
        let call = RemoteCall(functionID: id, kind: function.kind, method: request.method)
        let chain = middlewares.withLock { $0 }
        switch function.invocation {
        case .unary(let invoke):
            var output: [UInt8]?
            do {
                if chain.isEmpty {
                    // No middleware: call the guard and the handler directly, without the chain's
                    // closures.
                    try await function.check?.check(context)
                    output = try await invoke(arguments, context)
                } else {
                    try await Self.run(chain[...], call: call, context: context) { context in
                        try await function.check?.check(context)
                        output = try await invoke(arguments, context)
                    }
                }
                guard let output else { throw RemoteError(.internal, "internal error") }
                metrics.record(function: id.rawValue, code: "ok", latency: .now - start)
                // Written here rather than through `respond`: one async call, and executor check,
                // less per call.
                do {
                    try await writer.respond(
                        status: 200,
                        headers: [
                            ("Content-Type", RemoteWire.jsonContentType), ("Content-Length", String(output.count)),
                        ],
                        body: output)
                } catch {
                    // The client has gone; there is nobody left to tell.
                }
            } catch {
                let remote = Self.remoteError(from: error, logger: logger)
                metrics.record(function: id.rawValue, code: remote.code.wireName, latency: .now - start)
                await respond(error: remote, writer: writer)
            }
        case .stream(let startStream):
            var ending: StreamEnding?
            var detached = false
            do {
                try await Self.run(chain[...], call: call, context: context) { context in
                    try await function.check?.check(context)
                    let producer = try await startStream(arguments, context)
                    guard let streamEnding = await serveStream(producer, function: id, writer: writer, logger: logger)
                    else {
                        detached = true
                        return
                    }
                    ending = streamEnding
                    switch streamEnding {
                    case .finished: return
                    case .failed(let error): throw error
                    case .clientGone: throw CancellationError()
                    case .shutdown: throw RemoteError(.unavailable, "the server is shutting down")
                    }
                }
            } catch {
                if ending == nil && !detached {
                    let remote = Self.remoteError(from: error, logger: logger)
                    metrics.record(function: id.rawValue, code: remote.code.wireName, latency: nil)
                    await respond(error: remote, writer: writer)
                }
            }
            if let ending {
                metrics.record(function: id.rawValue, code: ending.metricsCode, latency: nil)
            }
        }
    }

    /// Opens the event stream, runs the handler, and writes the final frame. Returns `nil` when the
    /// stream goes on without this task (a pollable source on a transport that detaches responses);
    /// it then records its own metrics when it ends.
    private func serveStream(
        _ producer: StreamProducer, function: RemoteFunctionID, writer: any ServerResponseWriter,
        logger: RemoteLogger
    ) async -> StreamEnding? {
        guard let stream = openStreams.open(writer: writer, logger: logger) else {
            await respond(error: RemoteError(.unavailable, "the server is shutting down"), writer: writer)
            return .shutdown
        }
        do {
            try await writer.writeHead(
                status: 200,
                headers: [
                    ("Content-Type", RemoteWire.eventStreamContentType),
                    ("Cache-Control", "no-store, no-transform"),
                    ("X-Accel-Buffering", "no"),
                ])
            try await stream.write(Array("retry: \(configuration.retryMilliseconds)\n\n".utf8))
        } catch {
            openStreams.close(stream)
            return .clientGone
        }
        if let polled = producer.polled, let response = writer.detach() {
            // The ending closure holds what it needs, not the task-side stream and its writer.
            let (openStreams, metrics, streamID) = (openStreams, metrics, stream.id)
            let pushed = PushedStream(
                id: streamID, source: polled, response: response, logger: logger, finalFrame: Self.finalFrame
            ) { ending in
                openStreams.close(id: streamID)
                metrics.record(function: function.rawValue, code: ending.metricsCode, latency: nil)
            }
            let replaced = openStreams.replace(stream, with: pushed)
            if !replaced { pushed.shutdown() }
            pushed.start()
            return nil
        }
        defer { openStreams.close(stream) }
        let ending = await stream.run(producer.body)
        if let frame = Self.finalFrame(for: ending) {
            try? await stream.write(frame)
            try? await writer.finish()
        }
        return ending
    }

    /// The frame that ends a stream: `event: end`, or `event: error` with the error (a resumable
    /// `unavailable` at shutdown); `nil` when the client has gone.
    static func finalFrame(for ending: StreamEnding) -> [UInt8]? {
        switch ending {
        case .finished:
            return ServerSentEvent(event: RemoteWire.endEvent, data: "null").encoded()
        case .failed(let error):
            return ServerSentEvent(event: RemoteWire.errorEvent, data: frameData(error)).encoded()
        case .shutdown:
            let error = RemoteError(.unavailable, "the server is shutting down; reconnect to resume")
            return ServerSentEvent(event: RemoteWire.errorEvent, data: frameData(error)).encoded()
        case .clientGone:
            return nil
        }
    }

    /// Runs the middleware chain, first registered outermost, ending in `terminal`.
    static func run(
        _ chain: ArraySlice<any RemoteMiddleware>, call: RemoteCall, context: RequestContext,
        terminal: (RequestContext) async throws -> Void
    ) async throws {
        guard let first = chain.first else {
            try await terminal(context)
            return
        }
        try await first.intercept(call, context: context) { context in
            try await run(chain.dropFirst(), call: call, context: context, terminal: terminal)
        }
    }

    /// The JSON arguments of a `GET`: its `args` parameter (`null` when absent). Throws
    /// ``ServerRequestBody/TooLarge`` past the size limit. (A `POST`'s are its body.)
    func queryArguments(_ parameters: [String: String]) throws -> [UInt8] {
        let limit = configuration.maxBodySize
        guard let text = parameters[RemoteWire.argumentsQueryParameter] else { return Array("null".utf8) }
        guard text.utf8.count <= limit else { throw ServerRequestBody.TooLarge(limit: limit) }
        return Array(text.utf8)
    }

    func isAllowed(origin: String, host: String?) -> Bool {
        if configuration.allowedOrigins.contains(origin) { return true }
        guard let host = host?.lowercased() else { return false }
        let origin = origin.lowercased()
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    static func remoteError(from error: any Error, logger: RemoteLogger) -> RemoteError {
        if let remote = error as? RemoteError { return remote }
        if error is CancellationError { return RemoteError(.cancelled, "the call was cancelled") }
        logger.log(.error, "handler failed: \(String(reflecting: error))")
        return RemoteError(.internal, "internal error")
    }

    static func frameData(_ error: RemoteError) -> String {
        guard let data = try? WireCoders.encode(error) else {
            return #"{"code":"internal","message":"internal error"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: Plain responses

    func respond(
        error: RemoteError, status: Int? = nil, extraHeaders: [(name: String, value: String)] = [],
        writer: any ServerResponseWriter
    ) async {
        let body =
            (try? WireCoders.encode(RemoteError.Envelope(error: error)))
            ?? Array(#"{"error":{"code":"internal","message":"internal error"}}"#.utf8)
        await respond(
            status: status ?? error.code.httpStatus, contentType: RemoteWire.jsonContentType, body: body,
            extraHeaders: extraHeaders, writer: writer)
    }

    func respond(
        status: Int, contentType: String, body: [UInt8], extraHeaders: [(name: String, value: String)] = [],
        writer: any ServerResponseWriter
    ) async {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", contentType), ("Content-Length", String(body.count)),
        ]
        headers += extraHeaders
        do {
            try await writer.respond(status: status, headers: headers, body: body)
        } catch {
            // The client has gone; there is nobody left to tell.
        }
    }

    private func serveMetrics(_ request: ServerRequest, writer: any ServerResponseWriter) async {
        guard configuration.metricsEnabled else {
            await respond(error: RemoteError(.notFound, "metrics are disabled"), writer: writer)
            return
        }
        guard request.method == "GET" else {
            await respond(
                error: RemoteError(.unimplemented, "metrics accept GET only"), status: 405,
                extraHeaders: [("Allow", "GET")], writer: writer)
            return
        }
        await respond(
            status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
            body: Array(metricsText().utf8), writer: writer)
    }

    /// The full `/metrics` page: the runtime's metrics followed by every source's text.
    public func metricsText() -> String {
        var text = metrics.prometheusText(openStreams: openStreams.count)
        text += channels.prometheusText()
        for source in metricsSources.withLock({ $0 }) {
            text += source.prometheusText()
        }
        return text
    }

    private func serveResource(_ name: String, request: ServerRequest, writer: any ServerResponseWriter) async {
        guard request.method == "GET" || request.method == "HEAD" else {
            await respond(
                error: RemoteError(.unimplemented, "this file accepts GET only"), status: 405,
                extraHeaders: [("Allow", "GET, HEAD")], writer: writer)
            return
        }
        guard let bytes = BundledResource.contents(of: name) else {
            await respond(error: RemoteError(.notFound, "the browser client is not bundled"), writer: writer)
            return
        }
        await respond(
            status: 200, contentType: "text/javascript; charset=utf-8",
            body: request.method == "HEAD" ? [] : bytes, extraHeaders: [("Cache-Control", "no-cache")],
            writer: writer)
    }
}
