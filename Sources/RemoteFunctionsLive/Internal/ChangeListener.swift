/// Something registered on a ``ChangeFeed``. The feed calls ``receive(_:)`` outside its lock, in
/// publish order, on the publisher's thread: it must record the event and return at once, never
/// suspend or wait.
protocol ChangeListener: AnyObject, Sendable {
    func receive(_ event: ChangeFeed.Event)
}
