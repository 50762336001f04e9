import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// ``EventQueue`` over POSIX `poll(2)`: portable, and O(descriptors) per wait.
///
/// Registrations live in a table guarded by a mutex; `wait` snapshots it into a `pollfd` array
/// (rebuilt only after a change). A change made while the loop is blocked in `poll` wakes it so the
/// new interest takes effect at once. Hang-ups are `POLLHUP`/`POLLERR`, plus `POLLRDHUP` on Linux;
/// elsewhere a read of 0 bytes reports them.
final class PollEventQueue: EventQueue {
    private struct Registration {
        var id: UInt64
        var interest: EventInterest
    }

    private struct State {
        var registrations: [Int32: Registration] = [:]
        var snapshot: [pollfd] = []
        var snapshotIDs: [UInt64] = []
        var changed = true
        var polling = false
    }

    private let wakeChannel: (read: Int32, write: Int32)
    private let state = Mutex(State())

    init() throws(SystemError) {
        wakeChannel = try PlatformShims.makeWakeChannel()
    }

    private func update(_ body: (inout State) -> Void) {
        let wasPolling = state.withLock { state in
            body(&state)
            state.changed = true
            return state.polling
        }
        if wasPolling { wake() }
    }

    func register(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError) {
        update { $0.registrations[fd] = Registration(id: id, interest: interest) }
    }

    func modify(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError) {
        update { $0.registrations[fd] = Registration(id: id, interest: interest) }
    }

    func deregister(_ fd: Int32) {
        update { $0.registrations[fd] = nil }
    }

    private static func pollEvents(_ interest: EventInterest) -> Int16 {
        var events = PlatformShims.pollReadHangUp
        if interest.contains(.readable) { events |= Int16(POLLIN) }
        if interest.contains(.writable) { events |= Int16(POLLOUT) }
        return events
    }

    func wait(timeoutMilliseconds: Int32, into events: inout [ReadinessEvent]) throws(SystemError) {
        let (snapshot, ids) = state.withLock { state in
            if state.changed {
                state.changed = false
                var snapshot = [pollfd(fd: wakeChannel.read, events: Int16(POLLIN), revents: 0)]
                var snapshotIDs: [UInt64] = [0]
                snapshot.reserveCapacity(state.registrations.count + 1)
                snapshotIDs.reserveCapacity(state.registrations.count + 1)
                for (fd, registration) in state.registrations {
                    snapshot.append(pollfd(fd: fd, events: Self.pollEvents(registration.interest), revents: 0))
                    snapshotIDs.append(registration.id)
                }
                state.snapshot = snapshot
                state.snapshotIDs = snapshotIDs
            }
            state.polling = true
            return (state.snapshot, state.snapshotIDs)
        }
        defer { state.withLock { $0.polling = false } }
        var descriptors = snapshot
        let count = descriptors.withUnsafeMutableBufferPointer { buffer -> Int32 in
            while true {
                let result = poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
                if result < 0 && errno == EINTR { return 0 }
                return result
            }
        }
        if count < 0 { throw SystemError(operation: "poll", errno: errno) }
        if count == 0 { return }
        let hangUpMask = Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL) | PlatformShims.pollReadHangUp
        for index in descriptors.indices where descriptors[index].revents != 0 {
            let revents = descriptors[index].revents
            if index == 0 {
                PlatformShims.drain(wakeChannel.read)
                continue
            }
            if revents & Int16(POLLNVAL) != 0 {
                // A descriptor closed without being deregistered: drop it, or every poll would
                // return at once.
                let fd = descriptors[index].fd
                let id = ids[index]
                update { state in
                    if state.registrations[fd]?.id == id { state.registrations[fd] = nil }
                }
            }
            events.append(
                ReadinessEvent(
                    id: ids[index],
                    readable: revents & Int16(POLLIN) != 0,
                    writable: revents & Int16(POLLOUT) != 0,
                    hangUp: revents & hangUpMask != 0))
        }
    }

    func wake() {
        PlatformShims.signal(wakeChannel.write)
    }

    func close() {
        PlatformShims.closeWakeChannel(wakeChannel)
    }
}
