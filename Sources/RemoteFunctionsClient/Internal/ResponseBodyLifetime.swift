/// Cancels a body when released before its reader saw the end. A ``ClientResponseBody`` holds one
/// (so a body dropped unread cancels its request), and each iterator holds its own (so leaving the
/// loop cancels even while a copy of the body is still around).
final class ResponseBodyLifetime: Sendable {
    private let storage: ResponseBodyStorage

    init(storage: ResponseBodyStorage) {
        self.storage = storage
    }

    deinit {
        storage.consumerLeft()
    }
}
