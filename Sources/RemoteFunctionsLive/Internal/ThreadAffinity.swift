#if os(Linux)
    import CAffinity
    import Glibc
#endif

/// Binds the calling thread to one processor for the length of a job, then gives it back the
/// processors it had.
///
/// A large fan-out runs one worker per core. Left to itself, the Linux scheduler sometimes starts
/// the second worker on the first one's core (it wakes next to its waker) and leaves them there
/// for tens of milliseconds while another core is half idle, or moves a worker mid-way to a core
/// whose caches hold none of its subscribers; in the live benchmark (10 000 subscribers, two cores
/// shared with the load client) such a change took 54–67 ms instead of 42–46. Binding worker *i*
/// to the *i*-th processor the thread may use keeps the workers apart for the whole fan-out. The
/// workers take chunks of subscribers in turn, so one whose core is busier simply takes fewer.
///
/// Only on Linux; elsewhere ``bind(toProcessor:)`` returns `nil` and the scheduler decides.
struct ThreadAffinity {
    #if os(Linux)
        private var saved: cpu_set_t
    #endif

    /// Binds the calling thread to the `index`-th (modulo their number) of the processors it may run
    /// on. `nil` when it may run on only one, or the system refused.
    static func bind(toProcessor index: Int) -> ThreadAffinity? {
        #if os(Linux)
            var saved = cpu_set_t()
            guard sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &saved) == 0 else { return nil }
            let allowed = processors(in: saved)
            guard allowed.count > 1 else { return nil }
            let processor = allowed[index % allowed.count]
            var one = cpu_set_t()
            withUnsafeMutableBytes(of: &one) { $0[processor / 8] |= 1 << (processor % 8) }
            guard sched_setaffinity(0, MemoryLayout<cpu_set_t>.size, &one) == 0 else { return nil }
            return ThreadAffinity(saved: saved)
        #else
            return nil
        #endif
    }

    /// The processors the calling thread may run on now, in ascending order (`nil` where unknown).
    static func allowedProcessors() -> [Int]? {
        #if os(Linux)
            var set = cpu_set_t()
            guard sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 else { return nil }
            return processors(in: set)
        #else
            return nil
        #endif
    }

    #if os(Linux)
        private static func processors(in set: cpu_set_t) -> [Int] {
            withUnsafeBytes(of: set) { bytes in
                (0..<(bytes.count * 8)).filter { bytes[$0 / 8] & (1 << ($0 % 8)) != 0 }
            }
        }
    #endif

    /// Gives the calling thread (the one that bound itself) back the processors it had. The kernel
    /// keeps only those still allowed, should the process's set have shrunk meanwhile.
    func restore() {
        #if os(Linux)
            var saved = saved
            _ = sched_setaffinity(0, MemoryLayout<cpu_set_t>.size, &saved)
        #endif
    }
}
