public import LiveSessionsAPI
public import RemoteFunctions
public import RemoteFunctionsClient
import Synchronization

/// One card of the board, kept in sync with the server: the watch-and-sync pattern of the seed.
///
/// ```swift
/// let card = SyncedEntity(entity: created, client: client)
/// await card.startWatching()
/// let version = try await card.update { $0.notes += "\nAgreed." }
/// ```
///
/// - **Optimistic.** ``update(_:)`` applies the mutation to ``Snapshot/entity`` at once, then
///   sends `entities.update` with only the changed fields and the version they are based on.
///   Edits are sent one at a time, in the order they were made, and each is acknowledged by its
///   own version.
/// - **Conflicts.** When the server answers `{conflict: true, current}`, the edit is merged onto
///   `current` with ``EntityMerge`` (the policy of docs/DEMO.md: fields only the user changed are
///   re-applied, fields both changed get the user's mutation re-applied to `current`) and sent
///   again, up to ``Configuration/conflictRetry`` attempts; then it fails with
///   ``SyncedEntityError/tooManyConflicts(attempts:current:)`` and is withdrawn. Every refused
///   attempt is reported on ``conflicts()`` with the server's current entity.
/// - **Watch.** ``startWatching()`` follows `entities.watch`. A newer remote version becomes
///   the synced base and the pending edits are re-applied on top of it, so a remote change shows
///   up at once without losing what the user typed: the edit on the wire is merged onto it with
///   ``EntityMerge`` (so the watch's echo of that very edit is not applied twice), the queued
///   edits are replayed.
///
/// An actor: every state change happens on it, in order. ``snapshot`` can also be read
/// synchronously from any thread, and ``snapshots()`` delivers each change (see
/// ``SyncedEntityModel`` for SwiftUI).
public actor SyncedEntity {
    /// A user edit: any change to the card's title, notes or status. It may run more than once
    /// (on the optimistic value, then again on a newer server version after a conflict).
    public typealias Mutation = @Sendable (inout Entity) -> Void

    /// How a ``SyncedEntity`` retries after conflicts.
    public struct Configuration: Sendable {
        /// Attempts per edit and the pause between them after a conflict. The jittered pause
        /// spreads concurrent writers apart. Default: 16 attempts, 2 ms doubling up to 200 ms,
        /// jitter ±100 %.
        public var conflictRetry: RetryPolicy

        /// Creates a configuration.
        public init(
            conflictRetry: RetryPolicy = RetryPolicy(
                maximumAttempts: 16,
                backoff: Backoff(
                    initialDelay: .milliseconds(2), multiplier: 2, maximumDelay: .milliseconds(200), jitter: 1))
        ) {
            self.conflictRetry = conflictRetry
        }
    }

    /// The state of a ``SyncedEntity`` at one moment.
    public struct Snapshot: Sendable, Hashable {
        /// The card as the user sees it: the synced card with every pending edit applied.
        public var entity: Entity
        /// The newest version of the card known to be on the server.
        public var synced: Entity
        /// Edits applied locally and not yet acknowledged.
        public var pendingEdits: Int
        /// The error of the last edit that failed (and was withdrawn), cleared by the next
        /// acknowledged edit.
        public var lastError: SyncedEntityError?
        /// The error that ended the watch stream, if it ended.
        public var watchError: RemoteError?

        /// Whether edits are waiting for the server: the "syncing" state.
        public var isSyncing: Bool { pendingEdits > 0 }
    }

    /// The card's id.
    public nonisolated let id: Int
    /// The client that carries the calls.
    public nonisolated let client: RemoteClient
    /// Retries after conflicts.
    public nonisolated let configuration: Configuration

    private struct Edit {
        var number: Int
        var mutation: Mutation
    }

    private typealias Waiter = CheckedContinuation<Result<Int, SyncedEntityError>, Never>

    private var synced: Entity
    /// The edit at the head of ``queue`` while it is on the wire: the entity it is based on
    /// and what it sends.
    private var inFlight: (base: Entity, mine: Entity, mutation: Mutation)?
    private var queue: [Edit] = []
    private var waiters: [Int: [Waiter]] = [:]
    private var nextEditNumber = 0
    private var lastError: SyncedEntityError?
    private var watchError: RemoteError?
    private var isStopped = false
    private var sender: Task<Void, Never>?
    private var watcher: Task<Void, Never>?
    private var nextListenerID = 0
    private var snapshotListeners: [Int: AsyncStream<Snapshot>.Continuation] = [:]
    private var conflictListeners: [Int: AsyncStream<SyncConflict>.Continuation] = [:]
    private nonisolated let current: Mutex<Snapshot>

    /// Starts from `entity` as the server has it (from `entities.create`, `entities.list` or a
    /// watch). Nothing is sent until an edit is made or ``startWatching()`` is called.
    public init(entity: Entity, client: RemoteClient, configuration: Configuration = Configuration()) {
        self.id = entity.id
        self.client = client
        self.configuration = configuration
        self.synced = entity
        self.current = Mutex(Snapshot(entity: entity, synced: entity, pendingEdits: 0))
    }

    deinit {
        watcher?.cancel()
        sender?.cancel()
    }

    /// The current state; readable from any thread without waiting.
    public nonisolated var snapshot: Snapshot { current.withLock { $0 } }

    /// Each new state, starting with the current one. A slow reader gets the newest only. The
    /// stream finishes after ``stop()``.
    public func snapshots() -> AsyncStream<Snapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: Snapshot.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield(snapshot)
        guard !isStopped else {
            continuation.finish()
            return stream
        }
        let listener = addListenerID()
        snapshotListeners[listener] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSnapshotListener(listener) }
        }
        return stream
    }

    /// Every conflict from now on, in order, none dropped. The stream finishes after ``stop()``.
    public func conflicts() -> AsyncStream<SyncConflict> {
        let (stream, continuation) = AsyncStream.makeStream(of: SyncConflict.self)
        guard !isStopped else {
            continuation.finish()
            return stream
        }
        let listener = addListenerID()
        conflictListeners[listener] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeConflictListener(listener) }
        }
        return stream
    }

    /// Follows `entities.watch` from the synced version on (the client reconnects and resumes
    /// on its own). Does nothing if already watching or stopped.
    public func startWatching() {
        guard watcher == nil, !isStopped else { return }
        let stream = client.stream(
            LiveSessionsFunctions.watchEntity, EntityIDArguments(entityID: id), lastEventID: String(synced.version))
        watcher = Task.detached { [weak self] in
            do throws(RemoteError) {
                for try await event in stream {
                    guard let self else { return }
                    await self.receiveRemote(event.data)
                }
            } catch {
                await self?.watchEnded(error)
            }
        }
    }

    /// Applies `mutation` optimistically and returns at once; the edit is sent in turn. Use
    /// ``flush()`` to wait for it, or ``update(_:)`` to do both.
    public func apply(_ mutation: @escaping Mutation) {
        _ = enqueue(mutation)
    }

    /// Applies `mutation` optimistically, sends it, and returns the version that acknowledged
    /// it (after resolving conflicts). If the edit changes nothing, returns the synced version
    /// without a request. Cancelling the caller does not withdraw the edit: it is still sent.
    public func update(_ mutation: @escaping Mutation) async throws(SyncedEntityError) -> Int {
        let number = enqueue(mutation)
        return try await acknowledgement(of: number).get()
    }

    /// Waits until every edit made so far has been answered; returns the version that
    /// acknowledged the last one, or the synced version when nothing was pending.
    public func flush() async throws(SyncedEntityError) -> Int {
        guard let last = queue.last else { return synced.version }
        return try await acknowledgement(of: last.number).get()
    }

    /// Stops watching and sending. Edits not yet acknowledged fail with
    /// ``SyncedEntityError/stopped``; the streams of ``snapshots()`` and ``conflicts()`` finish.
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        watcher?.cancel()
        watcher = nil
        sender?.cancel()
        if sender == nil { failQueue() }
        for listener in snapshotListeners.values { listener.finish() }
        for listener in conflictListeners.values { listener.finish() }
        snapshotListeners = [:]
        conflictListeners = [:]
    }

    // MARK: - Editing

    private func enqueue(_ mutation: @escaping Mutation) -> Int {
        nextEditNumber += 1
        let number = nextEditNumber
        queue.append(Edit(number: number, mutation: mutation))
        if isStopped {
            finish(queue.removeLast(), with: .failure(.stopped))
            return number
        }
        publish()
        if sender == nil {
            sender = Task.detached { [weak self] in await self?.sendQueue() }
        }
        return number
    }

    private func acknowledgement(of number: Int) async -> Result<Int, SyncedEntityError> {
        // Callers ask right after enqueuing, in the same actor turn, so the edit can only be
        // missing if it was refused because the entity is stopped.
        guard queue.contains(where: { $0.number == number }) else {
            return .failure(.stopped)
        }
        return await withCheckedContinuation { (waiter: Waiter) in
            waiters[number, default: []].append(waiter)
        }
    }

    private func sendQueue() async {
        while let edit = queue.first, !isStopped {
            let result = await send(edit)
            inFlight = nil
            queue.removeFirst()
            switch result {
            case .success: lastError = nil
            case .failure(let error): lastError = error
            }
            publish()
            finish(edit, with: result)
        }
        sender = nil
        if isStopped { failQueue() }
    }

    private func send(_ edit: Edit) async -> Result<Int, SyncedEntityError> {
        var base = synced
        var mine = base
        edit.mutation(&mine)
        var attempt = 0
        while true {
            attempt += 1
            let changes = EntityMerge.changes(from: base, to: mine)
            if changes.isEmpty { return .success(base.version) }
            inFlight = (base, mine, edit.mutation)
            publish()
            let result: EntityUpdateResult
            do {
                result = try await client.call(
                    LiveSessionsFunctions.updateEntity,
                    UpdateEntityArguments(entityID: id, changes: changes, baseVersion: base.version))
            } catch {
                return .failure(isStopped ? .stopped : .remote(error))
            }
            switch result {
            case .applied(let entity):
                adopt(entity)
                return .success(entity.version)
            case .conflict(let current):
                let merged = EntityMerge.merge(base: base, mine: mine, theirs: current, mutation: edit.mutation)
                report(
                    SyncConflict(
                        attempt: attempt, base: base, mine: mine, current: current,
                        conflictingFields: EntityMerge.conflictingFields(base: base, mine: mine, theirs: current),
                        merged: merged))
                adopt(current)
                guard configuration.conflictRetry.allowsAttempt(after: attempt) else {
                    return .failure(.tooManyConflicts(attempts: attempt, current: current))
                }
                base = current
                mine = merged
                inFlight = (base, mine, edit.mutation)
                publish()
                let delay = configuration.conflictRetry.backoff.delay(
                    attempt: attempt, randomUnit: Double.random(in: 0...1))
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return .failure(.stopped)
                }
                if isStopped { return .failure(.stopped) }
            }
        }
    }

    private func finish(_ edit: Edit, with result: Result<Int, SyncedEntityError>) {
        for waiter in waiters.removeValue(forKey: edit.number) ?? [] {
            waiter.resume(returning: result)
        }
    }

    private func failQueue() {
        let failed = queue
        queue = []
        inFlight = nil
        for edit in failed { finish(edit, with: .failure(.stopped)) }
        publish()
    }

    // MARK: - Remote versions

    private func receiveRemote(_ entity: Entity) {
        guard entity.version > synced.version else { return }
        synced = entity
        publish()
    }

    private func adopt(_ entity: Entity) {
        if entity.version > synced.version { synced = entity }
    }

    private func watchEnded(_ error: RemoteError) {
        watcher = nil
        guard !isStopped, error.code != .cancelled else { return }
        watchError = error
        publish()
    }

    // MARK: - Publishing

    /// Recomputes the optimistic entity and tells every listener. The edit on the wire is
    /// merged onto a newer synced version with the conflict policy (so its own echo from the
    /// watch is not applied twice), then the queued edits are replayed on top.
    private func publish() {
        var entity = synced
        if let flight = inFlight {
            entity =
                synced.version > flight.base.version
                ? EntityMerge.merge(base: flight.base, mine: flight.mine, theirs: synced, mutation: flight.mutation)
                : flight.mine
        }
        for edit in queue.dropFirst(inFlight == nil ? 0 : 1) {
            edit.mutation(&entity)
        }
        let snapshot = Snapshot(
            entity: entity, synced: synced, pendingEdits: queue.count, lastError: lastError, watchError: watchError)
        current.withLock { $0 = snapshot }
        for listener in snapshotListeners.values { listener.yield(snapshot) }
    }

    private func report(_ conflict: SyncConflict) {
        for listener in conflictListeners.values { listener.yield(conflict) }
    }

    private func addListenerID() -> Int {
        nextListenerID += 1
        return nextListenerID
    }

    private func removeSnapshotListener(_ listener: Int) {
        snapshotListeners[listener] = nil
    }

    private func removeConflictListener(_ listener: Int) {
        conflictListeners[listener] = nil
    }
}
