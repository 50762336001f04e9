import RemoteFunctions
import RemoteFunctionsServer
import Synchronization

/// What the registry needs from a live query whatever its value type.
protocol LiveQueryEntry: AnyObject, Sendable {
    /// Stops the query and releases its feed listener and evaluation if it has no subscribers.
    /// Returns whether it stopped.
    func stopIfEmpty() -> Bool
}

/// One shared live query: one evaluation, fanned out to every subscriber's buffer.
///
/// Evaluations of one query never overlap: a change that arrives while one runs only marks it
/// for exactly one more run, which starts after the fan-out, so the final state is never missed.
/// The fan-out pushes into each subscriber's buffer without awaiting anyone; everything done per
/// subscriber is non-generic (see ``LiveItem``).
final class LiveQuery<Value: Equatable & Sendable>: LiveQueryEntry, ChangeListener {
    let key: LiveQueryKey
    let listenerID: UInt64
    private let cursor: (@Sendable (Value) -> String?)?
    private let evaluate: @Sendable () async throws -> Value
    private let metrics: LiveMetrics
    private let evaluations: AtomicCounter
    private let feed: ChangeFeed
    /// Tells the registry the last subscriber left (it then calls ``stopIfEmpty()`` under its lock).
    private let becameEmpty: @Sendable (LiveQuery<Value>) -> Void
    /// Tells the registry the query failed and stopped (it forgets it).
    private let failed: @Sendable (LiveQuery<Value>) -> Void
    private let state = Mutex(LiveQueryState<Value>())

    init(
        key: LiveQueryKey,
        feed: ChangeFeed,
        metrics: LiveMetrics,
        cursor: (@Sendable (Value) -> String?)?,
        evaluate: @escaping @Sendable () async throws -> Value,
        becameEmpty: @escaping @Sendable (LiveQuery<Value>) -> Void,
        failed: @escaping @Sendable (LiveQuery<Value>) -> Void
    ) {
        self.key = key
        self.listenerID = feed.makeListenerID()
        self.feed = feed
        self.metrics = metrics
        self.evaluations = metrics.evaluationCounter(function: key.function.rawValue)
        self.cursor = cursor
        self.evaluate = evaluate
        self.becameEmpty = becameEmpty
        self.failed = failed
    }

    /// Starts the first evaluation. Call once, after registering on the feed, so that no commit
    /// can fall between the read and the registration.
    func start() {
        state.withLock { $0.task = makeEvaluationTask() }
    }

    /// Adds a subscriber and gives it the current value at once when there is one. `nil` when
    /// the query has stopped.
    ///
    /// The current value is pushed under the query's lock, so that a fan-out of a newer value
    /// cannot overtake it. The buffer is brand new, so no reader waits on it yet: the push resumes
    /// no continuation and runs no callback.
    func addSubscriber(
        overflow: StreamOverflowPolicy, filter: (@Sendable (Value) -> Bool)?
    ) -> SubscriberBuffer<LiveItem>? {
        let filter = LiveSubscriber.filter(filter)
        let buffer: SubscriberBuffer<LiveItem>? = state.withLock { state in
            let id = state.makeSubscriberID()
            let buffer = SubscriberBuffer<LiveItem>(policy: overflow) { [weak self] in
                self?.subscriberLeft(id: id)
            }
            guard state.add(LiveSubscriber(buffer: buffer, filter: filter), id: id) else { return nil }
            if let latest = state.latest, filter?(latest) ?? true {
                buffer.push(latest)
            }
            return buffer
        }
        if buffer != nil { metrics.subscribersAdded(1) }
        return buffer
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    // MARK: - Changes

    func receive(_ event: ChangeFeed.Event) {
        metrics.invalidated()
        state.withLock { state in
            if state.invalidate() {
                state.task = makeEvaluationTask()
            }
        }
    }

    // MARK: - Evaluation

    private func makeEvaluationTask() -> Task<Void, Never> {
        Task.detached { [self] in
            await runEvaluations()
        }
    }

    private func runEvaluations() async {
        repeat {
            evaluations.increment()
            let value: Value
            let started = ContinuousClock.now
            do {
                value = try await evaluate()
            } catch {
                fail(with: error)
                return
            }
            metrics.evaluated(in: .now - started)
            let current = cursor?(value)
            // Evaluations never overlap, so `latest` cannot change between this check and the
            // update below. The value is encoded once here instead of once per subscriber.
            let encoded = state.withLock { $0.isNew(value) } ? EncodedJSON(encodingIfPossible: value) : nil
            if let (item, targets) = state.withLock({ $0.evaluated(value, cursor: current, encoded: encoded) }) {
                let fanOutStarted = ContinuousClock.now
                LiveSubscriber.deliver(item, to: targets, metrics: metrics)
                metrics.fannedOut(in: .now - fanOutStarted)
            }
        } while state.withLock({ $0.evaluationEnded() })
    }

    private func fail(with error: any Error) {
        guard let subscribers = state.withLock({ $0.fail() }) else { return }
        let remoteError = (error as? RemoteError) ?? RemoteError(.internal, "internal error")
        feed.removeListener(id: listenerID)
        metrics.subscribersRemoved(subscribers.count)
        metrics.queryStopped()
        failed(self)
        for subscriber in subscribers {
            subscriber.buffer.finish(throwing: remoteError)
        }
    }

    // MARK: - Leaving

    private func subscriberLeft(id: UInt64) {
        let (removed, nowEmpty) = state.withLock { $0.remove(id: id) }
        if removed { metrics.subscribersRemoved(1) }
        if nowEmpty { becameEmpty(self) }
    }

    func stopIfEmpty() -> Bool {
        guard let task = state.withLock({ $0.stopIfEmpty() }) else { return false }
        task?.cancel()
        feed.removeListener(id: listenerID)
        metrics.queryStopped()
        return true
    }
}
