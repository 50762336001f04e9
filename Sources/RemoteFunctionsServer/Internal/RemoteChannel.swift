import RemoteFunctions
import Synchronization

/// One open multiplexed channel: the subscriptions it carries, their bounded buffers, and the
/// writer that takes turns between them.
///
/// Each subscription's handler runs in its own task and puts encoded frames into its own buffer
/// (``push(_:token:final:)``). The buffer applies the stream's overflow policy: `.latest` keeps
/// only the newest value frame, `.bounded(n)` holds at most `n` and then makes the handler's
/// `yield` wait for room in *its own* buffer only. Subscriptions with something to send wait in a
/// ready queue; the writer takes one frame from the first, puts it back at the end if it has more,
/// and so on (round-robin), so a frame that is ready waits behind at most one frame of every other
/// subscription, however full their buffers are.
///
/// All state lives in one `Mutex`; continuations are resumed and tasks cancelled outside it.
final class RemoteChannel: Sendable {
    private struct Subscription {
        let name: String
        var values: [[UInt8]] = []
        var final: [UInt8]?
        let capacity: Int
        let keepsLatestOnly: Bool
        var producerWaiter: CheckedContinuation<Void, any Error>?
        var isQueued = false
        var task: Task<Void, Never>?
    }

    private struct State {
        var nextToken = 0
        var tokens: [String: Int] = [:]
        var subscriptions: [Int: Subscription] = [:]
        var ready: [Int] = []
        var readyHead = 0
        var writerWaiter: CheckedContinuation<Void, Never>?
        var closed = false
        var shuttingDown = false
        var heartbeatDue = false
    }

    /// What the writer does next.
    enum Work: Sendable {
        case frames([UInt8])
        case heartbeat
        case finish
        case closed
    }

    /// Why a subscription could not be added.
    enum AddFailure: Error {
        case duplicate
        case full
        case closed
    }

    let id: String
    let owner: String
    private let maxSubscriptions: Int
    private let maxWriteBytes: Int
    private let state = Mutex(State())

    init(id: String, owner: String, maxSubscriptions: Int, maxWriteBytes: Int) {
        self.id = id
        self.owner = owner
        self.maxSubscriptions = maxSubscriptions
        self.maxWriteBytes = maxWriteBytes
    }

    /// The number of subscriptions the channel holds (including ones whose final frame is still
    /// waiting to be written).
    var subscriptionCount: Int { state.withLock { $0.subscriptions.count } }

    // MARK: Subscriptions

    /// Reserves `name` with a buffer for `policy`; returns the subscription's token.
    func add(name: String, policy: StreamOverflowPolicy) throws(AddFailure) -> Int {
        let result = state.withLock { state -> Result<Int, AddFailure> in
            guard !state.closed, !state.shuttingDown else { return .failure(.closed) }
            guard state.tokens[name] == nil else { return .failure(.duplicate) }
            guard state.subscriptions.count < maxSubscriptions else { return .failure(.full) }
            state.nextToken += 1
            let token = state.nextToken
            let capacity: Int
            let latest: Bool
            switch policy {
            case .latest:
                capacity = 1
                latest = true
            case .bounded(let size):
                capacity = max(1, size)
                latest = false
            }
            state.tokens[name] = token
            state.subscriptions[token] = Subscription(name: name, capacity: capacity, keepsLatestOnly: latest)
            return .success(token)
        }
        return try result.get()
    }

    /// Attaches the handler's task to a subscription so that unsubscribing or closing the channel
    /// cancels it. Cancels the task at once when the subscription is already gone.
    func attach(_ task: Task<Void, Never>, token: Int) {
        let attached = state.withLock { state -> Bool in
            guard state.subscriptions[token] != nil, !state.shuttingDown else { return false }
            state.subscriptions[token]?.task = task
            return true
        }
        if !attached { task.cancel() }
    }

    /// The token of the live subscription called `name`.
    func token(named name: String) -> Int? {
        state.withLock { $0.tokens[name] }
    }

    /// Forgets a subscription at once (unsubscribe, or a subscribe that failed early): its
    /// buffered frames are dropped, its handler's task is cancelled and a waiting `yield` throws.
    func remove(token: Int) {
        let removed = state.withLock { state -> Subscription? in
            guard let subscription = state.subscriptions.removeValue(forKey: token) else { return nil }
            state.tokens[subscription.name] = nil
            return subscription
        }
        guard let removed else { return }
        removed.producerWaiter?.resume(throwing: CancellationError())
        removed.task?.cancel()
        wakeWriterIfFinished()
    }

    /// Puts one frame into a subscription's buffer. A value frame waits while a `.bounded`
    /// buffer is full; a final frame never waits. Throws `CancellationError` once the subscription
    /// or the channel is gone.
    func push(_ frame: [UInt8], token: Int, final: Bool) async throws {
        while true {
            let (stored, writer) = try state.withLock { state throws -> (Bool, CheckedContinuation<Void, Never>?) in
                try Self.store(frame, token: token, final: final, in: &state)
            }
            writer?.resume()
            if stored { return }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Bool, any Error> in
                    guard !state.closed, var subscription = state.subscriptions[token] else {
                        return .failure(CancellationError())
                    }
                    if state.shuttingDown && !final { return .failure(CancellationError()) }
                    if subscription.values.count < subscription.capacity { return .success(true) }
                    subscription.producerWaiter = continuation
                    state.subscriptions[token] = subscription
                    return .success(false)
                }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        }
    }

    /// Stores the frame if there is room; returns whether it did, and the writer to wake. Mutates
    /// the subscription in place (no copy of its buffer per frame).
    private static func store(
        _ frame: [UInt8], token: Int, final: Bool, in state: inout State
    ) throws -> (Bool, CheckedContinuation<Void, Never>?) {
        // Scalars only: a copy of the subscription would share its buffer and make every append
        // below copy it.
        guard !state.closed,
            let subscription = state.subscriptions[token].map({
                (
                    count: $0.values.count, capacity: $0.capacity, keepsLatestOnly: $0.keepsLatestOnly,
                    isQueued: $0.isQueued
                )
            })
        else { throw CancellationError() }
        if final {
            state.subscriptions[token]?.final = frame
        } else {
            if state.shuttingDown { throw CancellationError() }
            if subscription.keepsLatestOnly {
                state.subscriptions[token]?.values.removeAll(keepingCapacity: true)
                state.subscriptions[token]?.values.append(frame)
            } else if subscription.count < subscription.capacity {
                state.subscriptions[token]?.values.append(frame)
            } else {
                return (false, nil)
            }
        }
        guard !subscription.isQueued else { return (true, nil) }
        state.subscriptions[token]?.isQueued = true
        state.ready.append(token)
        let writer = state.writerWaiter
        state.writerWaiter = nil
        return (true, writer)
    }

    // MARK: Writer

    /// The next thing to write, waiting until there is one. Frames are gathered round-robin, one
    /// per ready subscription per turn, up to the write size.
    func nextWork() async -> Work {
        while true {
            let (work, producers) = state.withLock { state in takeWork(&state) }
            for producer in producers { producer.resume() }
            if let work { return work }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let wakeNow = state.withLock { state -> Bool in
                        if state.closed || state.heartbeatDue || state.readyHead < state.ready.count
                            || (state.shuttingDown && state.subscriptions.isEmpty)
                        {
                            return true
                        }
                        state.writerWaiter = continuation
                        return false
                    }
                    if wakeNow { continuation.resume() }
                }
            } onCancel: {
                self.close()
            }
            // Woken by the first frame after a silence: let the other handlers that are ready run
            // first, so one write carries their frames too instead of one write per frame.
            await Task.yield()
        }
    }

    private func takeWork(_ state: inout State) -> (Work?, [CheckedContinuation<Void, any Error>]) {
        if state.closed { return (.closed, []) }
        var bytes: [UInt8] = []
        var producers: [CheckedContinuation<Void, any Error>] = []
        while state.readyHead < state.ready.count && bytes.count < maxWriteBytes {
            let token = state.ready[state.readyHead]
            state.readyHead += 1
            // Scalars only, so that taking a frame below does not copy the buffer.
            guard
                let subscription = state.subscriptions[token].map({
                    (hasValues: !$0.values.isEmpty, final: $0.final, name: $0.name, producerWaiter: $0.producerWaiter)
                })
            else { continue }
            if subscription.hasValues {
                // In place: the buffer is not copied.
                if let frame = state.subscriptions[token]?.values.removeFirst() { bytes += frame }
                if let producer = subscription.producerWaiter {
                    producers.append(producer)
                    state.subscriptions[token]?.producerWaiter = nil
                }
            } else if let final = subscription.final {
                bytes += final
                state.subscriptions[token] = nil
                state.tokens[subscription.name] = nil
                continue
            }
            if state.subscriptions[token]?.values.isEmpty == true && subscription.final == nil {
                state.subscriptions[token]?.isQueued = false
            } else {
                state.ready.append(token)
            }
        }
        if state.readyHead > 256 && state.readyHead * 2 > state.ready.count {
            state.ready.removeFirst(state.readyHead)
            state.readyHead = 0
        }
        if !bytes.isEmpty {
            state.heartbeatDue = false
            return (.frames(bytes), producers)
        }
        if state.heartbeatDue {
            state.heartbeatDue = false
            return (.heartbeat, producers)
        }
        if state.shuttingDown && state.subscriptions.isEmpty { return (.finish, producers) }
        return (nil, producers)
    }

    /// Asks the writer for a heartbeat, unless it wrote something since the last one was asked.
    func requestHeartbeat() {
        let writer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.closed else { return nil }
            state.heartbeatDue = true
            defer { state.writerWaiter = nil }
            return state.writerWaiter
        }
        writer?.resume()
    }

    /// Whether the channel has closed.
    var isClosed: Bool { state.withLock { $0.closed } }

    private func wakeWriterIfFinished() {
        let writer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.shuttingDown, state.subscriptions.isEmpty else { return nil }
            defer { state.writerWaiter = nil }
            return state.writerWaiter
        }
        writer?.resume()
    }

    // MARK: Lifecycle

    /// Closes the channel (its connection has gone): every subscription's handler is cancelled
    /// and their buffers are dropped. Idempotent.
    func close() {
        let (subscriptions, writer) = state.withLock { state -> ([Subscription], CheckedContinuation<Void, Never>?) in
            guard !state.closed else { return ([], nil) }
            state.closed = true
            let subscriptions = Array(state.subscriptions.values)
            state.subscriptions = [:]
            state.tokens = [:]
            state.ready = []
            state.readyHead = 0
            defer { state.writerWaiter = nil }
            return (subscriptions, state.writerWaiter)
        }
        for subscription in subscriptions {
            subscription.producerWaiter?.resume(throwing: CancellationError())
            subscription.task?.cancel()
        }
        writer?.resume()
    }

    /// Begins a graceful shutdown: every handler is cancelled and ends with a resumable
    /// `unavailable` frame; the writer ends the response once they are all written.
    func shutdown() {
        let (subscriptions, writer) = state.withLock { state -> ([Subscription], CheckedContinuation<Void, Never>?) in
            guard !state.closed, !state.shuttingDown else { return ([], nil) }
            state.shuttingDown = true
            var subscriptions: [Subscription] = []
            for (token, var subscription) in state.subscriptions {
                subscriptions.append(subscription)
                subscription.producerWaiter = nil
                state.subscriptions[token] = subscription
            }
            let writer = state.subscriptions.isEmpty ? state.writerWaiter : nil
            if writer != nil { state.writerWaiter = nil }
            return (subscriptions, writer)
        }
        for subscription in subscriptions {
            subscription.producerWaiter?.resume(throwing: CancellationError())
            subscription.task?.cancel()
        }
        writer?.resume()
    }

    /// Whether the channel is shutting down (a cancelled handler then ends as `unavailable`).
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }
}
