/// Shared by the copies of a ``ClientResponseBody/Iterator``: when the last copy is released
/// before the reader saw the end, the body is cancelled.
final class ResponseBodyIteratorLifetime: Sendable {
    private let storage: ResponseBodyStorage

    init(storage: ResponseBodyStorage) {
        self.storage = storage
    }

    deinit {
        storage.consumerLeft()
    }
}
