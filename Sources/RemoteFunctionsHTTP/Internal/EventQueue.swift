/// What a registered descriptor wants to be told about. Hang-ups and errors are always reported.
struct EventInterest: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    /// Data can be read (or, for a listener, a connection accepted).
    static let readable = EventInterest(rawValue: 1 << 0)
    /// The send buffer has room.
    static let writable = EventInterest(rawValue: 1 << 1)
}

/// What the kernel reported for one descriptor.
struct ReadinessEvent: Sendable {
    /// The id given at registration.
    var id: UInt64
    /// Data (or end of stream) can be read.
    var readable: Bool
    /// The send buffer has room.
    var writable: Bool
    /// The peer closed its side, or the socket failed (RDHUP, HUP or ERR).
    var hangUp: Bool
}

/// The seam between an event loop and the kernel's readiness API: register, modify, deregister,
/// wait, wake. ``EpollEventQueue`` and ``PollEventQueue`` implement it.
///
/// All registrations are level-triggered. `register`, `modify`, `deregister` and `wake` may be called
/// from any thread; `wait` only from the loop's thread.
protocol EventQueue: AnyObject, Sendable {
    /// Starts watching `fd`, reporting events under `id`.
    func register(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError)
    /// Changes what `fd` is watched for.
    func modify(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError)
    /// Stops watching `fd`. Call before closing it.
    func deregister(_ fd: Int32)
    /// Blocks until an event, a wake-up or the timeout (-1 = none), appending the events to `events`.
    /// Wake-ups are consumed here and not reported.
    func wait(timeoutMilliseconds: Int32, into events: inout [ReadinessEvent]) throws(SystemError)
    /// Makes a blocked or the next `wait` return promptly. Safe from any thread.
    func wake()
    /// Releases the kernel objects. No call may follow.
    func close()
}

/// Creates the queue for `kind`.
func makeEventQueue(_ kind: EventQueueKind) throws(SystemError) -> any EventQueue {
    switch kind {
    case .epoll:
        #if os(Linux)
            return try EpollEventQueue()
        #else
            return try PollEventQueue()
        #endif
    case .poll:
        return try PollEventQueue()
    }
}
