import Synchronization

/// Counts exited threads and wakes those waiting for all of them.
final class ThreadExits: Sendable {
    private let threadCount: Int
    private let state = Mutex<(exited: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init(threadCount: Int) {
        self.threadCount = threadCount
    }

    func threadExited() {
        let waiters = state.withLock { state in
            state.exited += 1
            guard state.exited == threadCount else { return [CheckedContinuation<Void, Never>]() }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitForAll() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.exited == threadCount { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
