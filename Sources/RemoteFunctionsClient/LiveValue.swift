public import Observation
public import RemoteFunctions
import Synchronization

/// The latest value of a remote stream, as an `@Observable` model for SwiftUI.
///
/// ```swift
/// @State var participants = LiveValue(client: client, stream: participantsStream, arguments: .init(sessionCode: code))
/// var body: some View {
///     List(participants.value?.participants ?? []) { … }
///         .task { participants.start() }
///         .onDisappear { participants.stop() }
/// }
/// ```
///
/// ``start()`` opens the stream; each value replaces ``value``, ``connectionState`` follows the
/// stream's connection (reconnects included) and ``lastError`` keeps the error that ended it.
/// Reading the stream happens off the main actor; only the assignments run on it. ``stop()``, or
/// releasing the model, cancels the request. Restarting resumes from the last cursor.
@MainActor @Observable
public final class LiveValue<Element: Decodable & Sendable> {
    /// The latest value, or the initial value until the first one arrives.
    public private(set) var value: Element?
    /// The stream's connection state; ``RemoteConnectionState/idle`` before ``start()``.
    public private(set) var connectionState: RemoteConnectionState = .idle
    /// The error that ended the stream last, cleared by the next value. Stopping is not an error.
    public private(set) var lastError: RemoteError?
    /// Whether the stream is running (between ``start()`` and its end or ``stop()``).
    public private(set) var isRunning = false

    @ObservationIgnored private let makeStream: @Sendable (_ lastEventID: String?) -> RemoteStreamSequence<Element>
    @ObservationIgnored private var lastEventID: String?
    @ObservationIgnored private var generation = 0
    /// The reading task; outside the main actor so that `deinit` can cancel it.
    @ObservationIgnored private nonisolated let reader = Mutex<Task<Void, Never>?>(nil)

    /// Creates a model for `stream` called with `arguments`; nothing is sent until ``start()``.
    public init<Arguments>(
        client: RemoteClient, stream: RemoteStream<Arguments, Element>, arguments: Arguments,
        initialValue: Element? = nil
    ) {
        self.value = initialValue
        self.makeStream = { lastEventID in client.stream(stream, arguments, lastEventID: lastEventID) }
    }

    deinit {
        reader.withLock { $0?.cancel() }
    }

    /// Opens the stream, resuming after the last value received. Does nothing while running.
    public func start() {
        guard !isRunning else { return }
        isRunning = true
        lastError = nil
        generation += 1
        let generation = generation
        let sequence = makeStream(lastEventID)
        let task = Task.detached { [weak self] in
            let stateTask = Task.detached { [weak self] in
                for await state in sequence.states {
                    guard let self else { return }
                    await self.update(state, generation: generation)
                }
            }
            defer { stateTask.cancel() }
            do throws(RemoteError) {
                for try await element in sequence {
                    guard let self else { return }
                    await self.receive(element, lastEventID: sequence.lastEventID, generation: generation)
                }
                await self?.end(error: nil, generation: generation)
            } catch {
                await self?.end(error: error, generation: generation)
            }
        }
        reader.withLock { $0 = task }
    }

    /// Cancels the stream and its request; ``connectionState`` becomes
    /// ``RemoteConnectionState/closed``.
    public func stop() {
        guard isRunning else { return }
        generation += 1
        reader.withLock { task in
            task?.cancel()
            task = nil
        }
        isRunning = false
        connectionState = .closed
    }

    private func update(_ state: RemoteConnectionState, generation: Int) {
        guard generation == self.generation else { return }
        connectionState = state
    }

    private func receive(_ element: Element, lastEventID: String?, generation: Int) {
        guard generation == self.generation else { return }
        value = element
        self.lastEventID = lastEventID
        lastError = nil
    }

    private func end(error: RemoteError?, generation: Int) {
        guard generation == self.generation else { return }
        isRunning = false
        if let error, error.code != .cancelled {
            lastError = error
            connectionState = .failed(error)
        } else if !connectionState.isFinal {
            connectionState = .closed
        }
    }
}
