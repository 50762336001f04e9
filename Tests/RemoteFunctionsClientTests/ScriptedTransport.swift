import Foundation
import RemoteFunctions
import RemoteFunctionsClient
import Synchronization

/// A ``ClientTransport`` that plays back scripted replies in order and records every request.
final class ScriptedTransport: ClientTransport {
    /// How a scripted body ends after its chunks.
    enum Ending: Sendable {
        /// The body ends normally.
        case finish
        /// The connection drops: the body fails with a network error.
        case drop
        /// The body stays open until the consumer cancels it.
        case hang
    }

    /// One scripted step.
    enum Step: Sendable {
        case reply(status: Int, headers: [(name: String, value: String)], chunks: [[UInt8]], ending: Ending)
        case fail
    }

    /// The error a scripted network failure throws; its text must never reach a message.
    struct NetworkFailure: Error, CustomStringConvertible {
        var description: String { "secret-internal-detail: connection reset by peer" }
    }

    private struct State {
        var steps: [Step]
        var requests: [ClientRequest] = []
        var openSources: [ClientResponseBody.Source] = []
    }

    private let state: Mutex<State>
    private let cancellationContinuation: AsyncStream<Int>.Continuation
    private let requestContinuation: AsyncStream<ClientRequest>.Continuation
    /// One element per cancelled body: the index of the request whose body was cancelled.
    let cancellations: AsyncStream<Int>
    /// Every request, as it is sent.
    let sentRequests: AsyncStream<ClientRequest>

    init(_ steps: [Step]) {
        state = Mutex(State(steps: steps))
        (cancellations, cancellationContinuation) = AsyncStream.makeStream()
        (sentRequests, requestContinuation) = AsyncStream.makeStream()
    }

    var requests: [ClientRequest] { state.withLock { $0.requests } }

    func send(_ request: ClientRequest) async throws -> ClientResponse {
        let (index, step) = state.withLock { state -> (Int, Step?) in
            state.requests.append(request)
            return (state.requests.count - 1, state.steps.isEmpty ? nil : state.steps.removeFirst())
        }
        requestContinuation.yield(request)
        guard case .reply(let status, let headers, let chunks, let ending) = step else {
            throw NetworkFailure()
        }
        let cancellations = cancellationContinuation
        let (body, source) = ClientResponseBody.makeStream(onCancel: { cancellations.yield(index) })
        for chunk in chunks { source.yield(chunk) }
        switch ending {
        case .finish: source.finish()
        case .drop: source.finish(throwing: NetworkFailure())
        case .hang: state.withLock { $0.openSources.append(source) }
        }
        return ClientResponse(status: status, headers: headers, body: body)
    }
}

extension ScriptedTransport.Step {
    /// A 200 JSON reply.
    static func json(_ text: String, status: Int = 200) -> Self {
        .reply(
            status: status, headers: [(name: "Content-Type", value: "application/json")], chunks: [Array(text.utf8)],
            ending: .finish)
    }

    /// A 200 event-stream reply made of `chunks`.
    static func events(_ chunks: [[UInt8]], ending: ScriptedTransport.Ending) -> Self {
        .reply(
            status: 200, headers: [(name: "Content-Type", value: "text/event-stream")], chunks: chunks, ending: ending)
    }
}

/// The bytes of one SSE event.
func sse(_ event: String, _ data: String, id: String? = nil, retry: Int? = nil) -> [UInt8] {
    ServerSentEvent(event: event, data: data, id: id, retry: retry).encoded()
}

/// Records the delays a client asked to sleep, and returns at once.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }

    func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        delays.withLock { $0.append(duration) }
    }
}

extension RemoteClient {
    /// A client on a scripted transport whose sleeps return at once.
    static func scripted(
        _ transport: ScriptedTransport, sleeper: SleepRecorder = SleepRecorder(), randomUnit: Double = 0.5,
        configure: (inout Configuration) -> Void = { _ in }
    ) -> RemoteClient {
        var configuration = Configuration(
            sleep: { try await sleeper.sleep($0) }, randomUnit: { randomUnit })
        configure(&configuration)
        return RemoteClient(
            baseURL: URL(string: "http://example.test/api/")!, transport: transport, configuration: configuration)
    }
}
