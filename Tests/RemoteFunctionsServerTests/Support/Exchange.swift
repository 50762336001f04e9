import Foundation
import RemoteFunctions
import RemoteFunctionsServer

/// One request sent straight into a server's `handle`, with its response being recorded.
struct Exchange: Sendable {
    let recorder: ResponseRecorder
    let task: Task<Void, Never>

    /// With `streamedBody`, the body can only be collected asynchronously (as from a transport
    /// that has not received it yet); otherwise it is in memory.
    init(
        _ server: RemoteServer, _ method: String, _ path: String, query: String? = nil,
        headers: [(name: String, value: String)] = [], body: String? = nil, streamedBody: Bool = false
    ) {
        let recorder = ResponseRecorder()
        let bytes = Array((body ?? "").utf8)
        let requestBody =
            streamedBody
            ? ServerRequestBody(collect: { limit in
                guard bytes.count <= limit else { throw ServerRequestBody.TooLarge(limit: limit) }
                return bytes
            })
            : ServerRequestBody(bytes: bytes)
        let request = ServerRequest(
            method: method, path: path, query: query, headers: headers, remoteAddress: "127.0.0.1:5000",
            body: requestBody)
        self.recorder = recorder
        self.task = Task { await server.handle(request, writer: recorder) }
    }

    /// Waits for the whole response.
    func response() async -> ResponseRecorder.Snapshot {
        await task.value
        return recorder.snapshot
    }

    /// The client leaves: writes start failing and the handler's task is cancelled.
    func cancel() {
        recorder.close()
        task.cancel()
    }
}

extension ResponseRecorder.Snapshot {
    /// The decoded error envelope of an error response.
    var error: RemoteError? {
        try? RemoteJSON.decode(RemoteError.Envelope.self, from: Data(body)).error
    }
}

/// A one-shot signal a handler raises and a test awaits.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func raise() { continuation.yield() }

    /// Waits for the signal, failing after `timeout`; returns how long it waited.
    @discardableResult
    func wait(timeout: Duration = .seconds(20)) async throws -> Duration {
        let start = ContinuousClock.now
        let stream = self.stream
        try await withTimeout(timeout) {
            for await _ in stream { return }
            throw TimedOut()
        }
        return .now - start
    }
}
