import RemoteFunctionsServer
import Synchronization

/// Carries one in-process response from the server's handler to the client, with backpressure:
/// like a socket's send buffer, it holds up to ``highWaterMark`` bytes; a write that goes past it
/// suspends until the reader has taken every buffered chunk, so a slow reader slows the handler as
/// a slow socket would. Once the reader cancels, writes throw.
final class ResponsePipe: ServerResponseWriter {
    struct Head: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
    }

    /// Thrown by writes once the reader has gone.
    struct ReaderGone: Error {}

    private struct State {
        var head: Head?
        var headWaiter: CheckedContinuation<Head?, Never>?
        var chunks: [[UInt8]] = []
        var bufferedBytes = 0
        var finished = false
        var cancelled = false
        var readerWaiter: CheckedContinuation<[UInt8]?, Never>?
        var writerWaiter: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())
    /// How many bytes may wait for the reader before a write suspends.
    static let highWaterMark = 64 * 1024
    /// Called once when the reader cancels, to cancel the handler's task.
    private let onCancel: Mutex<(@Sendable () -> Void)?> = Mutex(nil)

    func setOnCancel(_ action: @escaping @Sendable () -> Void) {
        onCancel.withLock { $0 = action }
    }

    // MARK: Writer side

    func writeHead(status: Int, headers: [(name: String, value: String)]) async throws {
        let (waiter, head) = try state.withLock { state -> (CheckedContinuation<Head?, Never>?, Head) in
            guard !state.cancelled else { throw ReaderGone() }
            let head = Head(status: status, headers: headers)
            state.head = head
            defer { state.headWaiter = nil }
            return (state.headWaiter, head)
        }
        waiter?.resume(returning: head)
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let (reader, outcome) = state.withLock {
                state -> (CheckedContinuation<[UInt8]?, Never>?, Result<Void, any Error>?) in
                guard !state.cancelled else { return (nil, .failure(ReaderGone())) }
                if let reader = state.readerWaiter {
                    state.readerWaiter = nil
                    return (reader, .success(()))
                }
                state.chunks.append(bytes)
                state.bufferedBytes += bytes.count
                guard state.bufferedBytes > Self.highWaterMark else { return (nil, .success(())) }
                state.writerWaiter = continuation
                return (nil, nil)
            }
            if let reader {
                reader.resume(returning: bytes)
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    func finish() async throws {
        end()
    }

    /// Marks the end of the body, also when the handler returns without finishing.
    func end() {
        let (headWaiter, reader) = state.withLock { state in
            state.finished = true
            defer {
                state.headWaiter = nil
                if state.chunks.isEmpty { state.readerWaiter = nil }
            }
            return (state.headWaiter, state.chunks.isEmpty ? state.readerWaiter : nil)
        }
        headWaiter?.resume(returning: nil)
        reader?.resume(returning: nil)
    }

    // MARK: Reader side

    /// The head, or `nil` when the handler ended without writing one.
    func head() async -> Head? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> (Bool, Head?) in
                if let head = state.head { return (true, head) }
                if state.finished || state.cancelled { return (true, nil) }
                state.headWaiter = continuation
                return (false, nil)
            }
            if ready.0 { continuation.resume(returning: ready.1) }
        }
    }

    /// The next chunk, or `nil` at the end. Cancelling the calling task cancels the response.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (chunk, writer, ready) = state.withLock {
                    state -> ([UInt8]?, CheckedContinuation<Void, any Error>?, Bool) in
                    if !state.chunks.isEmpty {
                        let chunk = state.chunks.removeFirst()
                        state.bufferedBytes -= chunk.count
                        let writer = state.chunks.isEmpty ? state.writerWaiter : nil
                        if writer != nil { state.writerWaiter = nil }
                        return (chunk, writer, true)
                    }
                    if state.finished || state.cancelled { return (nil, nil, true) }
                    state.readerWaiter = continuation
                    return (nil, nil, false)
                }
                writer?.resume()
                if ready { continuation.resume(returning: chunk) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The reader has gone: pending and later writes throw and the handler's task is cancelled.
    func cancel() {
        let (reader, writer, headWaiter, action) = state.withLock { state in
            guard !state.cancelled else {
                return (nil, nil, nil, nil)
                    as (
                        CheckedContinuation<[UInt8]?, Never>?, CheckedContinuation<Void, any Error>?,
                        CheckedContinuation<Head?, Never>?, (@Sendable () -> Void)?
                    )
            }
            state.cancelled = true
            state.chunks.removeAll()
            state.bufferedBytes = 0
            defer {
                state.readerWaiter = nil
                state.writerWaiter = nil
                state.headWaiter = nil
            }
            return (state.readerWaiter, state.writerWaiter, state.headWaiter, onCancel.withLock { $0 })
        }
        reader?.resume(returning: nil)
        writer?.resume(throwing: ReaderGone())
        headWaiter?.resume(returning: nil)
        action?()
    }
}
