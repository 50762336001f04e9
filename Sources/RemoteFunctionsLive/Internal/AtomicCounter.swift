import Synchronization

/// One atomic counter that can be shared by reference.
final class AtomicCounter: Sendable {
    private let storage = Atomic<Int>(0)

    var value: Int { storage.load(ordering: .relaxed) }

    func increment() { storage.add(1, ordering: .relaxed) }

    /// Adds one and returns the value before.
    func next() -> Int { storage.wrappingAdd(1, ordering: .relaxed).oldValue }
}
