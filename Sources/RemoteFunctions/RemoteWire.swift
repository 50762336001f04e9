/// Names and values fixed by wire protocol v1 (see `docs/PROTOCOL.md`).
public enum RemoteWire {
    /// The version of the protocol these constants describe.
    public static let protocolVersion = 1
    /// Every function lives under this path: `/_remote/{id}`.
    public static let pathPrefix = "/_remote/"
    /// The JSON content type of arguments, results and error bodies.
    public static let jsonContentType = "application/json"
    /// The content type of stream responses.
    public static let eventStreamContentType = "text/event-stream"
    /// The query parameter that carries percent-encoded JSON arguments on `GET`.
    public static let argumentsQueryParameter = "args"
    /// The query parameter that can carry the resume cursor when a header cannot be set.
    public static let lastEventIDQueryParameter = "lastEventId"
    /// The request header that carries the resume cursor.
    public static let lastEventIDHeader = "Last-Event-ID"
    /// The SSE event name of a value.
    public static let nextEvent = "next"
    /// The SSE event name of a normal, final end.
    public static let endEvent = "end"
    /// The SSE event name of a final error.
    public static let errorEvent = "error"
    /// The reconnect delay, in milliseconds, announced in the first `retry:` line of a stream.
    public static let defaultRetryMilliseconds = 250
}
