/// What a stream handler produced once it started: a body to run in the request's task, and,
/// when the handler's sequence is a ``PollableStreamSource``, that source, which a transport able
/// to detach responses serves without a task instead.
struct StreamProducer: Sendable {
    let body: RegisteredFunction.StreamBody
    var polled: PolledSource?
}
