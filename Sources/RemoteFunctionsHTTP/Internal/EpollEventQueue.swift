#if os(Linux)
    import CEpoll
    import Glibc

    /// ``EventQueue`` over Linux `epoll(7)`, level-triggered, with an eventfd for wake-ups and
    /// `EPOLLRDHUP` so a peer's close is seen even while nobody reads.
    final class EpollEventQueue: EventQueue {
        private static let inFlag: UInt32 = 0x001
        private static let outFlag: UInt32 = 0x004
        private static let errorFlag: UInt32 = 0x008
        private static let hangUpFlag: UInt32 = 0x010
        private static let readHangUpFlag: UInt32 = 0x2000
        /// The id the wake eventfd is registered under; connections never get it.
        private static let wakeID = UInt64.max

        private let epollFD: Int32
        private let wakeChannel: (read: Int32, write: Int32)

        init() throws(SystemError) {
            epollFD = try Syscall.retrying("epoll_create1") { epoll_create1(Int32(O_CLOEXEC)) }
            do {
                wakeChannel = try PlatformShims.makeWakeChannel()
            } catch {
                Syscall.closeDescriptor(epollFD)
                throw error
            }
            var event = epoll_event(events: Self.inFlag, data: epoll_data_t(u64: Self.wakeID))
            _ = try Syscall.retrying("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeChannel.read, &event) }
        }

        private static func mask(_ interest: EventInterest) -> UInt32 {
            var mask = readHangUpFlag
            if interest.contains(.readable) { mask |= inFlag }
            if interest.contains(.writable) { mask |= outFlag }
            return mask
        }

        func register(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError) {
            var event = epoll_event(events: Self.mask(interest), data: epoll_data_t(u64: id))
            _ = try Syscall.retrying("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
        }

        func modify(_ fd: Int32, id: UInt64, interest: EventInterest) throws(SystemError) {
            var event = epoll_event(events: Self.mask(interest), data: epoll_data_t(u64: id))
            _ = try Syscall.retrying("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) }
        }

        func deregister(_ fd: Int32) {
            var event = epoll_event()
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
        }

        func wait(timeoutMilliseconds: Int32, into events: inout [ReadinessEvent]) throws(SystemError) {
            let capacity = 512
            try withUnsafeTemporaryAllocation(of: epoll_event.self, capacity: capacity) { buffer throws(SystemError) in
                let count: Int32
                while true {
                    let result = epoll_wait(epollFD, buffer.baseAddress, Int32(capacity), timeoutMilliseconds)
                    if result >= 0 {
                        count = result
                        break
                    }
                    let code = errno
                    if code == EINTR {
                        count = 0
                        break
                    }
                    throw SystemError(operation: "epoll_wait", errno: code)
                }
                for index in 0..<Int(count) {
                    let raw = buffer[index]
                    let id = raw.data.u64
                    if id == Self.wakeID {
                        PlatformShims.drain(wakeChannel.read)
                        continue
                    }
                    events.append(
                        ReadinessEvent(
                            id: id,
                            readable: raw.events & Self.inFlag != 0,
                            writable: raw.events & Self.outFlag != 0,
                            hangUp: raw.events & (Self.readHangUpFlag | Self.hangUpFlag | Self.errorFlag) != 0))
                }
            }
        }

        func wake() {
            PlatformShims.signal(wakeChannel.write)
        }

        func close() {
            PlatformShims.closeWakeChannel(wakeChannel)
            Syscall.closeDescriptor(epollFD)
        }
    }
#endif
