import Foundation
import RemoteFunctions

extension RemoteClient {
    /// One unary call with its retries.
    func unaryCall<Arguments: Encodable, Output: Decodable>(
        _ id: RemoteFunctionID, arguments: Arguments, retry: RetryPolicy
    ) async throws(RemoteError) -> Output {
        let body = try encodeArguments(arguments)
        var failures = 0
        while true {
            do {
                return try await unaryAttempt(id, body: body)
            } catch {
                failures += 1
                guard error.isRetryable, retry.allowsAttempt(after: failures) else { throw error }
                let delay = retry.backoff.delay(attempt: failures, randomUnit: configuration.randomUnit())
                do {
                    try await configuration.sleep(delay)
                } catch {
                    throw Self.cancelledError
                }
            }
        }
    }

    private func unaryAttempt<Output: Decodable>(_ id: RemoteFunctionID, body: Data) async throws(RemoteError) -> Output
    {
        let request = ClientRequest(
            method: "POST",
            url: url(for: id),
            headers: configuration.headers + [
                (name: "Content-Type", value: RemoteWire.jsonContentType),
                (name: "Accept", value: RemoteWire.jsonContentType),
            ],
            body: body)
        let response = try await send(request)
        guard response.status == 200 else {
            throw await error(from: response)
        }
        let bytes: [UInt8]
        do {
            bytes = try await response.body.collect(upTo: configuration.maximumResponseBytes)
        } catch {
            throw mapTransportError(error)
        }
        do {
            return try RemoteJSON.decode(Output.self, from: Data(bytes))
        } catch {
            throw RemoteError(.internal, "the server's response could not be decoded (\(error.message))")
        }
    }

    /// Encodes arguments as wire JSON.
    func encodeArguments(_ arguments: some Encodable) throws(RemoteError) -> Data {
        do {
            return try RemoteJSON.encode(arguments)
        } catch {
            throw RemoteError(.invalidArgument, "the arguments could not be encoded as JSON")
        }
    }

    /// Sends through the transport, turning any failure into a ``RemoteError``.
    func send(_ request: ClientRequest) async throws(RemoteError) -> ClientResponse {
        do {
            return try await transport.send(request)
        } catch {
            throw mapTransportError(error)
        }
    }

    /// The ``RemoteError`` of a non-200 response: the protocol's `{"error": …}` body, or else a
    /// code derived from the HTTP status.
    func error(from response: ClientResponse) async -> RemoteError {
        let bytes: [UInt8]
        do {
            bytes = try await response.body.collect(upTo: 1024 * 1024)
        } catch {
            if Task.isCancelled { return Self.cancelledError }
            bytes = []
        }
        if let envelope = try? RemoteJSON.decode(RemoteError.Envelope.self, from: Data(bytes)) {
            return envelope.error
        }
        return RemoteError(
            RemoteError.Code(httpStatus: response.status), "the server answered with HTTP status \(response.status)")
    }

    /// A transport failure as a user-safe ``RemoteError``; the underlying error goes only to
    /// ``Configuration/networkErrorHandler``.
    func mapTransportError(_ error: any Error) -> RemoteError {
        if let remoteError = error as? RemoteError { return remoteError }
        if let tooLarge = error as? ClientResponseBody.TooLarge {
            return RemoteError(.resourceExhausted, "the response is larger than \(tooLarge.limit) bytes")
        }
        if error is CancellationError || Task.isCancelled { return Self.cancelledError }
        configuration.networkErrorHandler?(error)
        return RemoteError(.unavailable, "the server could not be reached")
    }

    static var cancelledError: RemoteError { RemoteError(.cancelled, "the call was cancelled") }
}
