public import RemoteFunctions

extension RemoteServer {
    /// Registers the handler of a query. Its arguments are decoded from the JSON body (or the
    /// `args` query parameter) before `handler` runs; a failure is answered with 400.
    public func register<Arguments, Output>(
        _ query: RemoteQuery<Arguments, Output>, guard check: RemoteGuard? = nil,
        handler: @escaping @Sendable (Arguments, RequestContext) async throws -> Output
    ) {
        add(query.id, RegisteredFunction(kind: .query, check: check, invocation: .unary(Self.unary(handler))))
    }

    /// Registers the handler of a command. Commands accept `POST` only, from the server's own
    /// origin, an allowed origin, or a non-browser client.
    public func register<Arguments, Output>(
        _ command: RemoteCommand<Arguments, Output>, guard check: RemoteGuard? = nil,
        handler: @escaping @Sendable (Arguments, RequestContext) async throws -> Output
    ) {
        add(command.id, RegisteredFunction(kind: .command, check: check, invocation: .unary(Self.unary(handler))))
    }

    /// Registers a stream written like an async generator: `handler` calls
    /// `try await yield(element)` (or `yield(element, cursor:)`) for each value and returns at the
    /// end. `yield` suspends while the client is slow and throws `CancellationError` once the
    /// client has gone, and the handler's task is cancelled at the same moment, so `defer` blocks
    /// and cancellation handlers run promptly.
    public func register<Arguments, Element>(
        _ stream: RemoteStream<Arguments, Element>, guard check: RemoteGuard? = nil,
        handler: @escaping @Sendable (Arguments, RequestContext, StreamYield<Element>) async throws -> Void
    ) {
        let start: RegisteredFunction.StreamStart = { data, context in
            let arguments = try WireCoders.decode(Arguments.self, from: data)
            return StreamProducer { sink in
                try await handler(arguments, context, StreamYield(items: { item in try await sink.send(item) }))
            }
        }
        add(
            stream.id,
            RegisteredFunction(kind: .stream, check: check, invocation: .stream(start), overflow: stream.overflow))
    }

    /// Registers a stream whose values come from an `AsyncSequence` of ``StreamItem``s. The
    /// sequence is built before the response starts, so an error thrown by `sequence` is an early
    /// error (a plain HTTP error). The server drains the sequence with backpressure: it asks for
    /// the next item only once the previous one has been handed to the transport. Leaving the
    /// stream cancels the iterating task.
    ///
    /// When the sequence is also a ``PollableStreamSource`` (a live query's subscription, a
    /// broadcast) and the transport can detach responses (HTTP), the stream is served without a
    /// task: the middleware chain and guard run before it starts, and a middleware's `next`
    /// returns once the stream is attached rather than when it ends.
    public func register<Arguments, Element, Items: AsyncSequence & Sendable>(
        _ stream: RemoteStream<Arguments, Element>, guard check: RemoteGuard? = nil,
        sequence: @escaping @Sendable (Arguments, RequestContext) async throws -> Items
    ) where Items.Element == StreamItem<Element> {
        let start: RegisteredFunction.StreamStart = { data, context in
            let arguments = try WireCoders.decode(Arguments.self, from: data)
            let items = try await sequence(arguments, context)
            let polled = (items as? any PollableStreamSource<Element>).map { PolledSource($0) }
            return StreamProducer(
                body: { sink in
                    for try await item in items {
                        try await sink.send(item)
                    }
                }, polled: polled)
        }
        add(
            stream.id,
            RegisteredFunction(kind: .stream, check: check, invocation: .stream(start), overflow: stream.overflow))
    }

    /// The ids of every registered function.
    public var registeredFunctionIDs: [RemoteFunctionID] {
        functions.withLock { Array($0.keys) }
    }

    private func add(_ id: RemoteFunctionID, _ function: RegisteredFunction) {
        var function = function
        function.logger = configuration.logger.with("function", id.rawValue)
        let replaced = functions.withLock { $0.updateValue(function, forKey: id) != nil }
        if replaced {
            configuration.logger.log(.warning, "remote function '\(id)' was registered twice; the last handler wins")
        }
    }

    private static func unary<Arguments: Codable & Sendable, Output: Codable & Sendable>(
        _ handler: @escaping @Sendable (Arguments, RequestContext) async throws -> Output
    ) -> RegisteredFunction.UnaryInvocation {
        { data, context in
            let arguments = try WireCoders.decode(Arguments.self, from: data)
            let output = try await handler(arguments, context)
            do {
                return try WireCoders.encode(output)
            } catch {
                context.logger.log(.error, "output could not be encoded: \(String(reflecting: error))")
                throw RemoteError(.internal, "internal error")
            }
        }
    }
}
