import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One non-blocking stream socket registered with an ``EventLoop``: it owns the descriptor, an
/// inbound buffer the loop fills, and a bounded outbound buffer the loop drains.
///
/// All state sits in one mutex. The loop thread reads when the socket is readable (at most
/// ``inboundLimit`` bytes ahead of the consumer, then it stops watching for input), sends buffered
/// bytes when it is writable, and closes the channel when the peer hangs up, failing every waiter and
/// calling ``onHangUp``. A task awaits input with ``read(deadline:timeoutError:)`` and sends with
/// ``send(_:)``, which suspends while the outbound buffer is at the high-water mark.
final class SocketChannel: EventHandler, DeferredFlushing {
    struct Limits: Sendable {
        var outboundHighWaterMark: Int
        var outboundLowWaterMark: Int
        var writeTimeout: Duration
        var inboundLimit: Int = 64 * 1024
        /// Close the socket as soon as a waiting task is cancelled (client connections), instead of
        /// when that task next runs.
        var closeOnCancel = false
    }

    private struct DrainWaiter {
        var threshold: Int
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private struct State {
        var fd: Int32
        var registrationID: UInt64 = 0
        var registered = false
        var interest: EventInterest = .readable
        var closed = false
        var failure: any Error = HTTPError.connectionClosed
        var cancelled = false
        var connecting = false
        var connectWaiter: UnsafeContinuation<Void, any Error>?

        var inbound: [UInt8] = []
        var readWaiter: UnsafeContinuation<Void, any Error>?
        var readDeadline: ContinuousClock.Instant?
        var readTimeoutError: any Error = HTTPError.timeout
        var readInterruptible = false
        var interruptIdleReads = false

        var outbound: [UInt8] = []
        var outboundStart = 0
        var flushScheduled = false
        var drainWaiter: DrainWaiter?
        var writeStalledSince: ContinuousClock.Instant?
        var maxBufferedBytes = 0
        var onHangUp: (@Sendable () -> Void)?
        /// Run once when the channel closes, for any reason.
        var onClose: [@Sendable () -> Void] = []
        /// Runs when the outbound buffer drains to the low-water mark after
        /// ``SocketChannel/hasRoomOrArmWritableHandler()`` found it full.
        var onWritable: (@Sendable () -> Void)?
        var writableArmed = false
        /// Received bytes are dropped (a detached response: nobody reads the request side any more).
        var discardsInput = false
        /// Whether the loop's deadline sweeps include this channel (see ``SocketChannel/watchDeadlines(_:)``).
        var deadlinesWatched = false

        var outboundCount: Int { outbound.count - outboundStart }
    }

    private enum ReadStep {
        case bytes([UInt8])
        case failed(any Error)
        case wait
    }

    /// The loop this channel's events are delivered on.
    let loop: EventLoop
    let limits: Limits
    private let state: Mutex<State>

    init(fd: Int32, loop: EventLoop, limits: Limits) {
        self.loop = loop
        self.limits = limits
        self.state = Mutex(State(fd: fd))
    }

    /// Registers with the loop, watching for input (or, while connecting, for writability).
    func register(connecting: Bool = false) throws(SystemError) {
        let fd = state.withLock { state in
            state.connecting = connecting
            state.interest = Self.desiredInterest(state, limits: limits)
            return (state.fd, state.interest)
        }
        let id = try loop.register(self, fd: fd.0, interest: fd.1)
        let closedMeanwhile = state.withLock { state -> Bool in
            state.registrationID = id
            state.registered = true
            watchDeadlines(&state)
            return state.closed
        }
        if closedMeanwhile { loop.deregister(id: id, fd: -1) }
    }

    /// Called (once) when the channel closes for a reason other than ``close()``: the peer hung up,
    /// the socket failed, or the write timeout passed. If the channel is already closed, it runs now.
    func setHangUpHandler(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onHangUp = handler
            return false
        }
        if runNow { handler() }
    }

    /// Adds a handler called once when the channel closes for any reason, ``close()`` included. If
    /// the channel is already closed, it runs now.
    func addCloseHandler(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.closed { return true }
            state.onClose.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Sets the handler that ``hasRoomOrArmWritableHandler()`` arms.
    func setWritableHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.onWritable = handler }
    }

    /// Whether the outbound buffer is below the high-water mark. When it is not, the writable
    /// handler is armed and runs (once, outside the lock, on the loop) when the buffer has drained
    /// to the low-water mark; a closed channel never calls it.
    func hasRoomOrArmWritableHandler() -> Bool {
        state.withLock { state in
            if state.closed || state.outboundCount < limits.outboundHighWaterMark { return true }
            state.writableArmed = true
            return false
        }
    }

    /// Drops received bytes from now on, so that a connection nobody reads holds no input; hang-ups
    /// are still seen.
    func discardInput() {
        state.withLock { state in
            state.discardsInput = true
            state.inbound = []
            updateInterest(&state)
        }
    }

    /// The most bytes the outbound buffer has ever held.
    var maxBufferedBytes: Int { state.withLock { $0.maxBufferedBytes } }

    /// The bytes queued and not yet taken by the kernel.
    var outboundByteCount: Int { state.withLock { $0.outboundCount } }

    /// Whether the channel has closed.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Whether bytes are waiting to be read by the consumer.
    var hasBufferedInput: Bool { state.withLock { !$0.inbound.isEmpty } }

    // MARK: Event loop side

    private static func desiredInterest(_ state: State, limits: Limits) -> EventInterest {
        var interest: EventInterest = []
        if state.inbound.count < limits.inboundLimit { interest.insert(.readable) }
        if (state.outboundCount > 0 && !state.flushScheduled) || state.connecting { interest.insert(.writable) }
        return interest
    }

    private func updateInterest(_ state: inout State) {
        guard state.registered, !state.closed else { return }
        let desired = Self.desiredInterest(state, limits: limits)
        if desired != state.interest {
            state.interest = desired
            do {
                try loop.queue.modify(state.fd, id: state.registrationID, interest: desired)
            } catch {
                markClosed(&state, failure: error)
            }
        }
    }

    /// Puts the channel in its loop's deadline sweeps once it has a deadline to enforce (a read
    /// deadline or output that is not leaving). It leaves them at the first sweep that finds none,
    /// so idle connections (such as detached streams with nothing to send) cost the sweeps nothing.
    /// Called under the channel's lock, which orders it with that removal.
    private func watchDeadlines(_ state: inout State) {
        guard state.registered, !state.closed, !state.deadlinesWatched,
            state.writeStalledSince != nil || state.readDeadline != nil
        else { return }
        state.deadlinesWatched = true
        loop.watchDeadlines(self, id: state.registrationID)
    }

    /// Output is queued that the socket did not take: starts the write-timeout clock unless it
    /// runs already, and joins the deadline sweeps.
    private func markWriteStalled(_ state: inout State) {
        guard state.writeStalledSince == nil else { return }
        state.writeStalledSince = .now
        watchDeadlines(&state)
    }

    func handle(_ event: ReadinessEvent) {
        var resumptions = Resumptions()
        state.withLock { state in
            guard !state.closed else { return }
            if event.writable || (event.hangUp && state.connecting) {
                if state.connecting {
                    finishConnecting(&state, &resumptions)
                } else {
                    flush(&state, &resumptions)
                }
            }
            if !state.closed && (event.readable || event.hangUp) {
                readAvailable(&state, &resumptions)
            }
            if !state.closed && event.hangUp {
                // RDHUP, HUP or ERR: the peer is gone even if no read returned 0 yet.
                markClosed(&state, failure: HTTPError.connectionClosed)
            }
            if state.closed {
                collectAll(&state, &resumptions)
            } else {
                updateInterest(&state)
                if state.closed { collectAll(&state, &resumptions) }
            }
        }
        resumptions.run()
    }

    func checkDeadlines(now: ContinuousClock.Instant) {
        var resumptions = Resumptions()
        state.withLock { state in
            guard !state.closed else { return }
            if state.writeStalledSince == nil && state.readDeadline == nil {
                // Nothing to enforce: leave the sweeps until a deadline is set again.
                state.deadlinesWatched = false
                loop.unwatchDeadlines(id: state.registrationID)
                return
            }
            if let since = state.writeStalledSince, since + limits.writeTimeout <= now {
                markClosed(&state, failure: HTTPError.timeout)
                collectAll(&state, &resumptions)
                return
            }
            if let deadline = state.readDeadline, deadline <= now, let waiter = state.readWaiter {
                state.readInterruptible = false
                state.readWaiter = nil
                state.readDeadline = nil
                resumptions.failures.append((waiter, state.readTimeoutError))
            }
        }
        resumptions.run()
    }

    private func readAvailable(_ state: inout State, _ resumptions: inout Resumptions) {
        var received = false
        while state.inbound.count < limits.inboundLimit {
            let fd = state.fd
            // Read into the loop's scratch buffer and keep an exact-size copy: no 16 KiB allocation
            // (and its page faults) per read of a small request.
            let result = loop.withReadBuffer { buffer -> Result<(IOResult, [UInt8]), SystemError> in
                do throws(SystemError) {
                    let outcome = try Syscall.readNonBlocking(fd, into: buffer)
                    if case .transferred(let count) = outcome {
                        return .success((outcome, Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))))
                    }
                    return .success((outcome, []))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .failure(let failure):
                markClosed(&state, failure: failure)
                return
            case .success((.transferred(let count), let bytes)):
                if state.discardsInput {
                    if count < EventLoop.readBufferSize { break }
                    continue
                }
                received = true
                if state.inbound.isEmpty { state.inbound = bytes } else { state.inbound.append(contentsOf: bytes) }
                if count < EventLoop.readBufferSize { break }
                continue
            case .success((.endOfFile, _)):
                markClosed(&state, failure: HTTPError.connectionClosed)
                return
            case .success((.wouldBlock, _)):
                break
            }
            break
        }
        if received, let waiter = state.readWaiter {
            state.readWaiter = nil
            state.readDeadline = nil
            resumptions.successes.append(waiter)
        }
    }

    private func finishConnecting(_ state: inout State, _ resumptions: inout Resumptions) {
        state.connecting = false
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(state.fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 {
            markClosed(&state, failure: SystemError(operation: "connect", errno: error))
            return
        }
        if let waiter = state.connectWaiter {
            state.connectWaiter = nil
            resumptions.successes.append(waiter)
        }
    }

    /// Arranges for queued output to leave: at the end of the loop iteration when called on the loop
    /// (coalescing the writes of one job), otherwise by watching for writability.
    private func scheduleOutput(_ state: inout State, onLoop: Bool) {
        if onLoop && !state.flushScheduled && !state.interest.contains(.writable) {
            state.flushScheduled = true
            loop.deferFlush(self)
        } else {
            updateInterest(&state)
        }
    }

    func performDeferredFlush() {
        var resumptions = Resumptions()
        state.withLock { state in
            state.flushScheduled = false
            guard !state.closed else { return }
            flush(&state, &resumptions)
            if state.closed {
                collectAll(&state, &resumptions)
            } else {
                updateInterest(&state)
                if state.closed { collectAll(&state, &resumptions) }
            }
        }
        resumptions.run()
    }

    /// Sends as much of the outbound buffer as the socket takes.
    private func flush(_ state: inout State, _ resumptions: inout Resumptions) {
        guard state.outboundCount > 0 else { return }
        let fd = state.fd
        let start = state.outboundStart
        let result: Result<IOResult, SystemError> = state.outbound.withUnsafeBytes { buffer in
            Result { () throws(SystemError) -> IOResult in
                try Syscall.sendNonBlocking(fd, UnsafeRawBufferPointer(rebasing: buffer[start...]))
            }
        }
        switch result {
        case .failure(let error):
            markClosed(&state, failure: error)
            return
        case .success(.transferred(let count)):
            state.outboundStart += count
            if state.outboundCount == 0 {
                // Drop the storage rather than keep its capacity: an idle connection then holds no
                // output buffer, and the next write usually hands over its own array anyway
                // (`sendWithoutWaiting` adopts it when the buffer is empty).
                state.outbound = []
                state.outboundStart = 0
                state.writeStalledSince = nil
            } else {
                state.writeStalledSince = .now
                watchDeadlines(&state)
                if state.outboundStart >= 32 * 1024 {
                    state.outbound.removeFirst(state.outboundStart)
                    state.outboundStart = 0
                }
            }
        case .success:
            break
        }
        if let waiter = state.drainWaiter, state.outboundCount <= waiter.threshold {
            state.drainWaiter = nil
            resumptions.successes.append(waiter.continuation)
        }
        if state.writableArmed, state.outboundCount <= limits.outboundLowWaterMark {
            state.writableArmed = false
            resumptions.writable = state.onWritable
        }
    }

    private func markClosed(_ state: inout State, failure: any Error) {
        guard !state.closed else { return }
        state.closed = true
        state.failure = failure
        if state.registered { loop.deregister(id: state.registrationID, fd: state.fd) }
        Syscall.closeDescriptor(state.fd)
        state.fd = -1
        // Bytes already received stay readable: a response followed by the peer's FIN is still whole.
        state.outbound = []
        state.outboundStart = 0
        state.writeStalledSince = nil
    }

    private func collectAll(_ state: inout State, _ resumptions: inout Resumptions) {
        let failure = state.failure
        if let waiter = state.readWaiter { resumptions.failures.append((waiter, failure)) }
        if let waiter = state.drainWaiter { resumptions.failures.append((waiter.continuation, failure)) }
        if let waiter = state.connectWaiter { resumptions.failures.append((waiter, failure)) }
        state.readWaiter = nil
        state.drainWaiter = nil
        state.connectWaiter = nil
        state.readDeadline = nil
        if let hangUp = state.onHangUp {
            state.onHangUp = nil
            resumptions.hangUp = hangUp
        }
        resumptions.closed = state.onClose
        state.onClose = []
        state.onWritable = nil
        state.writableArmed = false
    }

    // MARK: Task side

    /// Returns the next bytes from the peer, waiting for them. Throws `timeoutError` if `deadline`
    /// passes first, the close reason once the channel is closed, or `CancellationError`.
    ///
    /// An `interruptible` read with nothing buffered throws ``ChannelInterruption`` once
    /// ``interruptIdleReads()`` has been called (graceful shutdown of idle keep-alive connections).
    func read(
        deadline: ContinuousClock.Instant? = nil, timeoutError: any Error = HTTPError.timeout,
        interruptible: Bool = false
    ) async throws -> [UInt8] {
        while true {
            let step = state.withLock { state -> ReadStep in
                if !state.inbound.isEmpty {
                    let bytes = state.inbound
                    state.inbound = []
                    updateInterest(&state)
                    return .bytes(bytes)
                }
                if state.closed { return .failed(state.failure) }
                if state.cancelled { return .failed(CancellationError()) }
                if interruptible && state.interruptIdleReads { return .failed(ChannelInterruption()) }
                return .wait
            }
            switch step {
            case .bytes(let bytes): return bytes
            case .failed(let error): throw error
            case .wait: break
            }
            if let deadline, deadline <= .now { throw timeoutError }
            try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                    let parked = state.withLock { state -> Bool in
                        if !state.inbound.isEmpty || state.closed || state.cancelled { return false }
                        if interruptible && state.interruptIdleReads { return false }
                        state.readWaiter = continuation
                        state.readInterruptible = interruptible
                        state.readDeadline = deadline
                        watchDeadlines(&state)
                        state.readTimeoutError = timeoutError
                        return true
                    }
                    if !parked { continuation.resume() }
                }
            } onCancel: {
                cancelWaiters()
            }
        }
    }

    /// Makes interruptible reads throw ``ChannelInterruption`` while nothing is buffered, including one
    /// parked now.
    func interruptIdleReads() {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, any Error>? in
            state.interruptIdleReads = true
            guard state.readInterruptible, state.inbound.isEmpty, let waiter = state.readWaiter else { return nil }
            state.readWaiter = nil
            state.readDeadline = nil
            return waiter
        }
        waiter?.resume(throwing: ChannelInterruption())
    }

    /// Queues `bytes` without waiting for room (for small control output such as a response head or
    /// `100 Continue`); the high-water mark may be exceeded by these bytes only.
    func enqueue(_ bytes: [UInt8]) {
        var resumptions = Resumptions()
        let onLoop = loop.isCurrent
        state.withLock { state in
            guard !state.closed else { return }
            var offset = 0
            if state.outboundCount == 0 && !state.connecting && !onLoop {
                let sent = bytes.withUnsafeBytes { buffer in
                    sendNow(&state, &resumptions) { fd throws(SystemError) in try Syscall.sendNonBlocking(fd, buffer) }
                }
                guard let sent else { return }
                offset = sent
            }
            if offset < bytes.count {
                state.outbound.append(contentsOf: bytes[offset...])
                markWriteStalled(&state)
                state.maxBufferedBytes = max(state.maxBufferedBytes, state.outboundCount)
                scheduleOutput(&state, onLoop: onLoop)
                if state.closed { collectAll(&state, &resumptions) }
            }
        }
        resumptions.run()
    }

    /// Queues `head`, `body` and `tail`, in that order and without waiting for room, like
    /// ``enqueue(_:)``. When nothing is queued before them they are sent at once in one system call,
    /// from whichever thread calls, and only what the socket does not take is copied into the
    /// outbound buffer: a body shared by many connections (a broadcast event) is then never copied.
    /// Returns `false` when the channel has closed.
    @discardableResult
    func enqueue(head: UnsafeRawBufferPointer, body: [UInt8], tail: UnsafeRawBufferPointer) -> Bool {
        var resumptions = Resumptions()
        let open = body.withUnsafeBytes { body in
            state.withLock { state -> Bool in
                guard !state.closed else { return false }
                var sent = 0
                if state.outboundCount == 0 && !state.connecting {
                    let taken = withUnsafeTemporaryAllocation(of: iovec.self, capacity: 3) { parts in
                        parts[0] = Self.ioVector(head)
                        parts[1] = Self.ioVector(body)
                        parts[2] = Self.ioVector(tail)
                        return sendNow(&state, &resumptions) { fd throws(SystemError) in
                            try Syscall.sendNonBlocking(fd, gathering: parts)
                        }
                    }
                    guard let taken else { return false }
                    sent = taken
                }
                if sent == head.count + body.count + tail.count { return true }
                state.outbound.reserveCapacity(state.outbound.count + head.count + body.count + tail.count - sent)
                Self.append(head, skipping: &sent, to: &state.outbound)
                Self.append(body, skipping: &sent, to: &state.outbound)
                Self.append(tail, skipping: &sent, to: &state.outbound)
                markWriteStalled(&state)
                state.maxBufferedBytes = max(state.maxBufferedBytes, state.outboundCount)
                // The socket took less than offered (or bytes were queued already): wait for it to
                // drain rather than try again at the end of the loop iteration.
                updateInterest(&state)
                if state.closed { collectAll(&state, &resumptions) }
                return !state.closed
            }
        }
        resumptions.run()
        return open
    }

    /// Writes at once with `send` (given the descriptor) and returns how many bytes the socket took
    /// (0 when it would block), or `nil` after closing the channel on an error, its waiters and
    /// handlers collected into `resumptions`.
    private func sendNow(
        _ state: inout State, _ resumptions: inout Resumptions, _ send: (Int32) throws(SystemError) -> IOResult
    ) -> Int? {
        do {
            if case .transferred(let count) = try send(state.fd) { return count }
            return 0
        } catch {
            markClosed(&state, failure: error)
            collectAll(&state, &resumptions)
            return nil
        }
    }

    private static func ioVector(_ bytes: UnsafeRawBufferPointer) -> iovec {
        iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
    }

    /// Appends what is left of `part` once `skipped` bytes (counted across parts) have been sent.
    private static func append(_ part: UnsafeRawBufferPointer, skipping skipped: inout Int, to outbound: inout [UInt8])
    {
        if skipped >= part.count {
            skipped -= part.count
            return
        }
        outbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: part[skipped...]))
        skipped = 0
    }

    /// Waits until a non-blocking `connect` has completed.
    func waitUntilConnected() async throws {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (any Error)?? in
                    if state.closed { return .some(state.failure) }
                    if state.cancelled { return .some(CancellationError()) }
                    if !state.connecting { return .some(nil) }
                    state.connectWaiter = continuation
                    return .none
                }
                switch outcome {
                case .none: break
                case .some(.none): continuation.resume()
                case .some(.some(let error)): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancelWaiters()
        }
    }

    /// Queues `bytes` for the peer, sending directly when nothing is queued. Suspends while the
    /// outbound buffer holds ``Limits/outboundHighWaterMark`` bytes, until it drains to the low-water
    /// mark; the buffer never holds more than the high-water mark.
    func send(_ bytes: [UInt8]) async throws {
        var offset = try sendWithoutWaiting(bytes)
        while offset < bytes.count {
            try await waitForDrain(threshold: limits.outboundLowWaterMark)
            offset = try sendWithoutWaiting(bytes, from: offset)
        }
    }

    /// Sends or queues as much of `bytes[offset...]` as fits under the high-water mark, without
    /// suspending, and returns the offset reached (`bytes.count` when all of it was taken). The
    /// synchronous fast path of ``send(_:)``; callers await ``send(_:)`` only for the rest.
    func sendWithoutWaiting(_ bytes: [UInt8], from start: Int = 0) throws -> Int {
        var offset = start
        guard offset < bytes.count else { return offset }
        let onLoop = loop.isCurrent
        var resumptions = Resumptions()
        let failure = state.withLock { state -> (any Error)? in
            if state.closed { return state.failure }
            if state.cancelled { return CancellationError() }
            if state.outboundCount == 0 && !state.connecting && !onLoop {
                let start = offset
                let sent = bytes.withUnsafeBytes { buffer in
                    sendNow(&state, &resumptions) { fd throws(SystemError) in
                        try Syscall.sendNonBlocking(fd, UnsafeRawBufferPointer(rebasing: buffer[start...]))
                    }
                }
                guard let sent else { return state.failure }
                offset += sent
                if offset == bytes.count { return nil }
            }
            let room = limits.outboundHighWaterMark - state.outboundCount
            if room > 0 {
                let end = min(bytes.count, offset + room)
                if offset == 0 && end == bytes.count && state.outbound.isEmpty {
                    state.outbound = bytes
                } else {
                    state.outbound.append(contentsOf: bytes[offset..<end])
                }
                offset = end
                markWriteStalled(&state)
                state.maxBufferedBytes = max(state.maxBufferedBytes, state.outboundCount)
                scheduleOutput(&state, onLoop: onLoop)
                if state.closed {
                    collectAll(&state, &resumptions)
                    return state.failure
                }
            }
            return nil
        }
        resumptions.run()
        if let failure { throw failure }
        return offset
    }

    /// Waits until every queued byte has been handed to the kernel.
    func flush() async throws {
        try await waitForDrain(threshold: 0)
    }

    private func waitForDrain(threshold: Int) async throws {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> (any Error)?? in
                    if state.closed { return .some(state.failure) }
                    if state.cancelled { return .some(CancellationError()) }
                    if state.outboundCount <= threshold { return .some(nil) }
                    state.drainWaiter = DrainWaiter(threshold: threshold, continuation: continuation)
                    return .none
                }
                switch outcome {
                case .none: break
                case .some(.none): continuation.resume()
                case .some(.some(let error)): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancelWaiters()
        }
    }

    /// Fails every waiter with `CancellationError`; later waits fail at once.
    func cancelWaiters() {
        var failures: [UnsafeContinuation<Void, any Error>] = []
        state.withLock { state in
            state.cancelled = true
            if let waiter = state.readWaiter { failures.append(waiter) }
            if let waiter = state.drainWaiter { failures.append(waiter.continuation) }
            if let waiter = state.connectWaiter { failures.append(waiter) }
            state.readWaiter = nil
            state.drainWaiter = nil
            state.connectWaiter = nil
            if limits.closeOnCancel {
                state.onHangUp = nil
                markClosed(&state, failure: CancellationError())
            }
        }
        for waiter in failures { waiter.resume(throwing: CancellationError()) }
    }

    /// Half-closes: the peer reads end of stream once the queued bytes are sent.
    func shutdownOutput() {
        state.withLock { state in
            if !state.closed { _ = shutdown(state.fd, Int32(SHUT_WR)) }
        }
    }

    /// Closes the socket (idempotent), failing any waiter with `HTTPError.connectionClosed`.
    /// ``onHangUp`` is not called.
    func close() {
        var resumptions = Resumptions()
        state.withLock { state in
            state.onHangUp = nil
            markClosed(&state, failure: HTTPError.connectionClosed)
            collectAll(&state, &resumptions)
        }
        resumptions.run()
    }

    /// Closes the socket as if the peer had hung up: waiters fail and ``onHangUp`` runs.
    func abort(failure: any Error = HTTPError.connectionClosed) {
        var resumptions = Resumptions()
        state.withLock { state in
            markClosed(&state, failure: failure)
            collectAll(&state, &resumptions)
        }
        resumptions.run()
    }

    /// Continuations and a callback collected under the lock and run after it is released.
    private struct Resumptions {
        var successes: [UnsafeContinuation<Void, any Error>] = []
        var failures: [(UnsafeContinuation<Void, any Error>, any Error)] = []
        var hangUp: (@Sendable () -> Void)?
        var writable: (@Sendable () -> Void)?
        var closed: [@Sendable () -> Void] = []

        func run() {
            for continuation in successes { continuation.resume() }
            for (continuation, error) in failures { continuation.resume(throwing: error) }
            writable?()
            hangUp?()
            for handler in closed { handler() }
        }
    }
}

/// Thrown by an interruptible ``SocketChannel/read(deadline:timeoutError:interruptible:)`` when idle
/// reads were interrupted (graceful shutdown).
struct ChannelInterruption: Error {}
