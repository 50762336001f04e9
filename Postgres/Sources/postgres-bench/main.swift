// Cross-instance change→receive latency over PostgreSQL LISTEN/NOTIFY.
//
//   postgres-bench --url postgres://… [--changes 2000] [--interval-ms 5] [--json]
//   postgres-bench --url postgres://… --http [--subscribers 100] [--changes 200] [--client http|urlsession]
//                                                                                  (see HTTPBenchmark)
//
// "Instance A" is a PostgresLiveSessionsStore with its own connection pool; "instance B" is a
// PostgresChangeListener on its own connection, as each server instance has. A updates one entity
// CHANGES times, one update at a time, INTERVAL apart (so the figure is latency, not queueing);
// each update commits and NOTIFYs its topics inside the transaction. The latency of change i is
// from the moment A starts the update to the moment B's listener thread hands the i-th
// notification to its callback (notifications arrive in commit order, and updates are sequential,
// so the i-th notification belongs to the i-th update). Both ends are in this process, so they
// share one clock; the connections are separate, so the path is the one between two instances:
// A's backend → commit → PostgreSQL's notification queue → B's backend → B's socket → poll() →
// PQconsumeInput → PQnotifies.
import Foundation
import LiveSessionsAPI
import LiveSessionsPostgres
import RemoteFunctionsPostgres
import Synchronization

struct Options {
    var url = ProcessInfo.processInfo.environment["REMOTE_FUNCTIONS_POSTGRES_URL"] ?? ""
    var changes = 2000
    var intervalMilliseconds = 5
    var json = false
    var http = false
    var subscribers = 100
    /// The clients' transport in the HTTP leg: `http` (HTTPClientTransport) or `urlsession`.
    var client = "http"

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--url": url = iterator.next() ?? ""
            case "--changes": changes = Int(iterator.next() ?? "") ?? changes
            case "--interval-ms": intervalMilliseconds = Int(iterator.next() ?? "") ?? intervalMilliseconds
            case "--json": json = true
            case "--http": http = true
            case "--subscribers": subscribers = Int(iterator.next() ?? "") ?? subscribers
            case "--client": client = iterator.next() ?? ""
            default: throw UsageError(message: "unknown argument \(argument)")
            }
        }
        if url.isEmpty { throw UsageError(message: "--url or REMOTE_FUNCTIONS_POSTGRES_URL is required") }
        if client != "http" && client != "urlsession" { throw UsageError(message: "--client is http or urlsession") }
    }
}

struct UsageError: Error {
    var message: String
}

/// Receive instants, appended by the listener thread; waiting is signalled by a continuation.
final class Receipts: Sendable {
    private struct State {
        var instants: [ContinuousClock.Instant] = []
        var waiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    func record(_ instant: ContinuousClock.Instant) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.instants.append(instant)
            guard let waiter = state.waiter, state.instants.count >= waiter.count else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    var instants: [ContinuousClock.Instant] { state.withLock { $0.instants } }

    func wait(for count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.instants.count >= count { return true }
                state.waiter = (count, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
    return sorted[index]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let options: Options
do {
    options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("postgres-bench: \(error.message)\n".utf8))
    exit(2)
}

if options.http {
    let figures = try await HTTPBenchmark.run(
        url: options.url, subscribers: options.subscribers, changes: options.changes,
        intervalMilliseconds: options.intervalMilliseconds, urlSession: options.client == "urlsession")
    let latencies = figures.latencies
    print(
        "two instances over HTTP (\(options.client) clients): \(options.subscribers) SSE subscribers on B, \(options.changes) entities.update commands on A, "
            + "one at a time, \(options.intervalMilliseconds) ms apart (\(latencies.count) deliveries)")
    let p50 = percentile(latencies, 0.5)
    let p99 = percentile(latencies, 0.99)
    print(
        String(
            format:
                "change→receive (command sent to A → event parsed by a client of B): p50 %.2f ms  p99 %.2f ms  max %.2f ms",
            p50, p99, latencies.last ?? .nan))
    for (name, values) in [
        ("  command sent to A → A's answer (update + commit):", figures.acknowledged),
        ("  command sent to A → first client of B has it:    ", figures.firstArrival),
        ("  first → last client of B (B's fan-out):           ", figures.spread),
    ] {
        print(
            String(
                format: "%@ p50 %.2f ms  p99 %.2f ms  max %.2f ms", name, percentile(values, 0.5),
                percentile(values, 0.99), values.last ?? .nan))
    }
    print("goal p99 ≤ 100 ms: \(p99 <= 100 ? "met" : "NOT met")")
    exit(0)
}

let channel = "bench_\(UInt32.random(in: 0...UInt32.max))"
let receipts = Receipts()
let listening = Receipts()
let listener = try PostgresChangeListener(
    options: PostgresConnectionOptions(url: options.url, applicationName: "postgres-bench-instance-b"),
    configuration: .init(channels: [channel]),
    onChange: { _ in receipts.record(.now) },
    onResync: { listening.record(.now) })
listener.start()
await listening.wait(for: 1)

let store = try await PostgresLiveSessionsStore.open(url: options.url, maximumConnections: 2, channel: channel)
let session = try await store.createSession(name: "Benchmark")
var entity = try await store.createEntity(sessionCode: session.code, title: "Counter")
await receipts.wait(for: 2)  // the notifications of the session's and the entity's creation
let baseline = receipts.instants.count

var started: [ContinuousClock.Instant] = []
var commits: [Double] = []
for index in 0..<options.changes {
    let start = ContinuousClock.now
    started.append(start)
    let result = try await store.updateEntity(
        id: entity.id, changes: EntityChanges(notes: "change \(index)"), baseVersion: entity.version)
    commits.append(milliseconds(ContinuousClock.now - start))
    guard case .applied(let updated) = result else {
        FileHandle.standardError.write(Data("postgres-bench: unexpected conflict\n".utf8))
        exit(1)
    }
    entity = updated
    if options.intervalMilliseconds > 0 { try await Task.sleep(for: .milliseconds(options.intervalMilliseconds)) }
}
await receipts.wait(for: baseline + options.changes)
let received = Array(receipts.instants[baseline...])
let latencies = zip(started, received).map { milliseconds($1 - $0) }.sorted()
let commitLatencies = commits.sorted()
await listener.stop()
await store.close()

let p50 = percentile(latencies, 0.50)
let p99 = percentile(latencies, 0.99)
if options.json {
    print(
        """
        {"changes": \(options.changes), "change_to_receive_ms": {"p50": \(p50), "p99": \(p99), \
        "max": \(latencies.last ?? .nan)}, "commit_ms": {"p50": \(percentile(commitLatencies, 0.5)), \
        "p99": \(percentile(commitLatencies, 0.99))}}
        """)
} else {
    print("changes: \(options.changes), one at a time, \(options.intervalMilliseconds) ms apart")
    print(
        String(
            format: "change→receive (A update start → B listener): p50 %.2f ms  p99 %.2f ms  max %.2f ms", p50, p99,
            latencies.last ?? .nan))
    print(
        String(
            format: "update+commit on A:                         p50 %.2f ms  p99 %.2f ms",
            percentile(commitLatencies, 0.5), percentile(commitLatencies, 0.99)))
    print(String(format: "goal p99 ≤ 100 ms: %@", p99 <= 100 ? "met" : "NOT met"))
}
