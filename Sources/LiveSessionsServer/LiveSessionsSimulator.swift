import Foundation
public import LiveSessionsAPI

/// Simulated participants that join, change status and leave at a modest pace, so the demo's
/// dashboard moves on its own.
///
/// It acts on the most recently created session (creating one named "Demo" when there is none),
/// and only ever touches the participants it created itself.
public struct LiveSessionsSimulator: Sendable {
    private let store: any LiveSessionsStorage
    private let interval: Duration

    /// Creates a simulator that acts about once per `interval` (with ±50 % jitter).
    public init(store: any LiveSessionsStorage, interval: Duration = .milliseconds(600)) {
        self.store = store
        self.interval = interval
    }

    /// Makes sure a session exists and returns the one the simulator will act on.
    @discardableResult
    public func prepareSession() async throws -> Session {
        if let latest = try await store.latestSession() { return latest }
        return try await store.createSession(name: "Demo")
    }

    /// Acts until the calling task is cancelled. Failures (for example a participant removed by
    /// someone else) are skipped.
    public func run() async {
        var generator = SystemRandomNumberGenerator()
        var ownParticipants: [String: [Int]] = [:]
        while !Task.isCancelled {
            do {
                let session = try await prepareSession()
                var own = ownParticipants[session.code, default: []]
                try await step(session: session, own: &own, using: &generator)
                ownParticipants[session.code] = own
            } catch is CancellationError {
                return
            } catch {
                // A simulated action failed (a participant was removed elsewhere, or the
                // database is busy): skip it.
            }
            let jitter = Double.random(in: 0.5..<1.5, using: &generator)
            do {
                try await Task.sleep(for: interval * jitter)
            } catch {
                return
            }
        }
    }

    private func step(session: Session, own: inout [Int], using generator: inout some RandomNumberGenerator)
        async throws
    {
        let roll = Double.random(in: 0..<1, using: &generator)
        if own.count < 8 || (own.count < 40 && roll < 0.3) {
            let participant = try await store.join(
                sessionCode: session.code, name: DemoNames.random(using: &generator))
            own.append(participant.id)
        } else if own.count > 40 || roll < 0.55 {
            let index = Int.random(in: 0..<own.count, using: &generator)
            let id = own.remove(at: index)
            try await store.leave(sessionCode: session.code, participantID: id)
        } else if let id = own.randomElement(using: &generator) {
            let status = ParticipantStatus.allCases.randomElement(using: &generator) ?? .active
            do {
                _ = try await store.setStatus(sessionCode: session.code, participantID: id, status: status)
            } catch {
                own.removeAll { $0 == id }
                throw error
            }
        }
    }
}
