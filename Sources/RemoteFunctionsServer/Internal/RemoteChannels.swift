import Synchronization

/// The channels a server has open, by id: their count, their heartbeats and their shutdown.
final class RemoteChannels: Sendable {
    private struct State {
        var channels: [String: RemoteChannel] = [:]
        var shuttingDown = false
    }

    private let state = Mutex(State())

    /// The number of channels open now.
    var count: Int { state.withLock { $0.channels.count } }

    /// Registers a channel, or returns `false` once shutdown has begun.
    func insert(_ channel: RemoteChannel) -> Bool {
        state.withLock { state in
            guard !state.shuttingDown else { return false }
            state.channels[channel.id] = channel
            return true
        }
    }

    /// Forgets a channel that has closed.
    func remove(_ channel: RemoteChannel) {
        state.withLock { state in
            if state.channels[channel.id] === channel { state.channels[channel.id] = nil }
        }
    }

    /// Every open channel.
    var all: [RemoteChannel] { state.withLock { Array($0.channels.values) } }

    /// The open channel with this id.
    func channel(id: String) -> RemoteChannel? {
        state.withLock { $0.channels[id] }
    }

    /// Ends every channel's subscriptions with a resumable error and refuses new channels.
    func shutdownAll() {
        let channels = state.withLock { state in
            state.shuttingDown = true
            return Array(state.channels.values)
        }
        for channel in channels { channel.shutdown() }
    }

    /// `remote_open_channels` and `remote_channel_subscriptions`, in Prometheus text format.
    func prometheusText() -> String {
        let channels = state.withLock { Array($0.channels.values) }
        let subscriptions = channels.reduce(0) { $0 + $1.subscriptionCount }
        return """
            # HELP remote_open_channels Multiplexed channels currently open.
            # TYPE remote_open_channels gauge
            remote_open_channels \(channels.count)
            # HELP remote_channel_subscriptions Stream subscriptions currently carried by channels.
            # TYPE remote_channel_subscriptions gauge
            remote_channel_subscriptions \(subscriptions)

            """
    }

    /// A new channel id: 128 bits from the system's cryptographically secure generator, in hex.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
