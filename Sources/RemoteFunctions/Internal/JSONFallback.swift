/// Thrown inside the wire coders when a value must be left to Foundation's `JSONEncoder` or
/// `JSONDecoder` (a type or a number form the fast path does not handle). The coder also records
/// the request, so a caller that catches this error cannot make the fast path's result stand.
struct JSONFallback: Error {}
