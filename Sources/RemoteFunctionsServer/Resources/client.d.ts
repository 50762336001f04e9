// Type declarations for client.js: the browser client of remote functions, wire protocol v1.

/** The 16 canonical error codes, snake_case as on the wire. */
export type RemoteErrorCode =
  | "cancelled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists"
  | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range"
  | "unimplemented" | "internal" | "unavailable" | "data_loss" | "unauthenticated";

/** Every code, in the order of the protocol's table. */
export declare const ERROR_CODES: readonly RemoteErrorCode[];

/**
 * A stream's connection state, as in the Swift client:
 * idle → connecting → open → (reconnecting → connecting → open)* → closed | failed.
 * - `idle`: nobody has started iterating yet;
 * - `connecting`: a request is in flight, no response yet;
 * - `open`: the server accepted the stream and values may arrive;
 * - `reconnecting`: the connection dropped (or a retryable error arrived); waiting for the backoff delay;
 * - `closed`: ended normally (`end` event), or stopped by the caller (abort, `break`, `close()`);
 * - `failed`: ended by a non-retryable error, which the loop throws.
 */
export type StreamState = "idle" | "connecting" | "open" | "reconnecting" | "closed" | "failed";

/** Every state. */
export declare const STREAM_STATES: readonly StreamState[];

/** A typed error from a remote function, or from reaching it. */
export declare class RemoteError<Details = unknown> extends Error {
  constructor(code: RemoteErrorCode, message: string, options?: { details?: Details; status?: number; cause?: unknown });
  readonly name: "RemoteError";
  /** The canonical code; an unknown wire code becomes `unknown`. */
  readonly code: RemoteErrorCode;
  /** A message that is safe to show to a user. */
  readonly message: string;
  /** Optional structured details sent by the server. */
  readonly details: Details | undefined;
  /** The HTTP status, when the error came from an HTTP response (not for `event: error`). */
  readonly status: number | undefined;
  /** True only for `unavailable` and `deadline_exceeded`. */
  readonly retryable: boolean;
  /** Builds an error from `{code, message, details}`; null when `body` is not such an object. */
  static fromWire(body: unknown, status?: number): RemoteError | null;
}

/** The code assumed for an HTTP error status whose body is not a remote-functions error. */
export declare function codeForHttpStatus(status: number): RemoteErrorCode;

/** Options of the reconnect backoff: delay = min(cap, base·2ⁿ) · (1 + uniform(−jitter, +jitter)). */
export interface BackoffOptions {
  /** Maximum delay in milliseconds (default 10 000). */
  cap?: number;
  /** Relative jitter (default 0.2, i.e. ±20 %). */
  jitter?: number;
  /** Source of randomness in [0, 1) (default Math.random). */
  random?: () => number;
}

/** The delay before reconnect attempt `attempt` (0-based), in milliseconds. */
export declare function backoffDelay(attempt: number, base?: number, options?: BackoffOptions): number;

/** Options of a unary call. */
export interface CallOptions {
  /** Aborting rejects the call with a RemoteError `cancelled` and hangs up the request. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /**
   * How many times to retry after `unavailable` / `deadline_exceeded` (network failures included),
   * with the stream backoff schedule. Default 0 for `call`, 2 for `query`. Only for calls that
   * are safe to repeat.
   */
  retries?: number;
}

/** Extra information passed with a state change. */
export interface StreamStateInfo {
  /** The number of failed attempts in a row so far (0 for the first connection). */
  attempt?: number;
  /** The backoff delay before the next attempt, in milliseconds. */
  delay?: number;
  /** The error that caused a reconnect, or the terminal error of `failed`. */
  error?: RemoteError;
}

/** Options of a stream. */
export interface StreamOptions {
  /** Aborting ends the loop quietly (state `closed`) and hangs up the connection. */
  signal?: AbortSignal;
  /** Resume after this cursor: sent as `Last-Event-ID` on the first request. */
  lastEventId?: string | null;
  /** Called on every state change. */
  onStateChange?: (state: StreamState, info: StreamStateInfo) => void;
  /** Reconnect backoff tuning; the base delay comes from the server's `retry:` (default 250 ms). */
  backoff?: BackoffOptions;
}

/**
 * A stream of values: use it once with `for await`. Leaving the loop (`break`, `return`, a thrown
 * error) or aborting the signal hangs up the connection, so the server's handler stops.
 * A non-retryable error (before or during the stream) is thrown from the loop as a RemoteError.
 */
export interface RemoteStream<T> extends AsyncIterable<T> {
  /** The current connection state. */
  readonly state: StreamState;
  /** The cursor of the last value received, sent as `Last-Event-ID` when reconnecting. */
  readonly lastEventId: string | null;
  /** Stops the stream and hangs up the connection. */
  close(): void;
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
}

/** One event parsed from `text/event-stream`. */
export interface ServerSentEvent {
  event: string | undefined;
  /** Undefined when the event only carried `retry:`. */
  data: string | undefined;
  id: string | undefined;
  retry: number | undefined;
}

/** Incremental `text/event-stream` parser (HTML standard). */
export declare class SseParser {
  /** The last `id:` seen; kept across events. */
  lastEventId: string | undefined;
  /** Feeds decoded text (split anywhere) and returns the events it completes, in order. */
  feed(text: string): ServerSentEvent[];
}

/** A connection opened by a stream transport. */
export interface StreamConnection {
  /** The parsed events, until the connection ends. */
  events: AsyncIterable<ServerSentEvent>;
}

/**
 * How streams reach the server. The default sends one SSE request per stream; a multiplexed
 * channel transport can implement the same shape.
 */
export interface StreamTransport {
  readonly kind: string;
  /**
   * Resolves once the server accepted the stream. Rejects with a RemoteError for an HTTP error
   * before the stream, and with any other error for a network failure. Aborting `signal` ends it.
   */
  open(request: { id: string; args: unknown; lastEventId: string | null; signal: AbortSignal }): Promise<StreamConnection>;
}

/** Options of a client. */
export interface ClientOptions {
  /** The server's origin, such as "http://127.0.0.1:8080" (default: the page's origin). */
  baseUrl?: string;
  /** The fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Headers added to every request. */
  headers?: Record<string, string>;
  /** Milliseconds without any byte (not even a heartbeat) after which a stream counts as cut and reconnects (default 45 000; 0 disables). */
  idleTimeout?: number;
  /** The stream transport (default: the channel transport, or SSE when `channel` is false). */
  transport?: StreamTransport;
  /**
   * Whether streams travel on one multiplexed channel per client (PROTOCOL.md section 10), falling
   * back to one SSE request per stream when the server has no channel endpoint (default true).
   */
  channel?: boolean;
}

/** A client bound to one server. */
export interface RemoteClient {
  readonly baseUrl: string;
  readonly transport: StreamTransport;
  call<T = unknown, A = unknown>(id: string, args?: A, options?: CallOptions): Promise<T>;
  query<T = unknown, A = unknown>(id: string, args?: A, options?: CallOptions): Promise<T>;
  stream<T = unknown, A = unknown>(id: string, args?: A, options?: StreamOptions): RemoteStream<T>;
}

/** Creates a client bound to a server. */
export declare function createClient(options?: ClientOptions): RemoteClient;

/** The per-stream transport: one `fetch` POST with `Accept: text/event-stream` per stream. */
export declare function createSseTransport(options?: Omit<ClientOptions, "transport">): StreamTransport;

/** The channel transport (PROTOCOL.md section 10): every stream on one SSE channel. */
export interface ChannelTransport extends StreamTransport {
  /** The id of the open channel, or null. */
  readonly channelId: string | null;
  /** Whether the server had no channel endpoint, so streams use `fallback`. */
  readonly usesFallback: boolean;
}

/**
 * The default stream transport: one long-lived channel per client carries every stream; streams
 * start and stop with small POSTs, reconnect together and resume each from its own cursor.
 */
export declare function createChannelTransport(
  options?: Omit<ClientOptions, "transport" | "channel"> & { fallback?: StreamTransport },
): ChannelTransport;

/**
 * Calls a query or command on the page's origin: `POST /_remote/{id}` with the JSON arguments
 * (`null` when omitted). Resolves to the decoded result; rejects with a RemoteError (network
 * failures are `unavailable`).
 */
export declare function call<T = unknown, A = unknown>(id: string, args?: A, options?: CallOptions): Promise<T>;

/**
 * Calls a query (no side effects) on the page's origin: like `call`, but retried up to twice
 * with backoff after a retryable error (override with `options.retries`).
 */
export declare function query<T = unknown, A = unknown>(id: string, args?: A, options?: CallOptions): Promise<T>;

/**
 * Opens a stream on the page's origin. Values arrive as they are yielded by the server; the
 * stream reconnects with exponential backoff and jitter and resumes with `Last-Event-ID`.
 */
export declare function stream<T = unknown, A = unknown>(id: string, args?: A, options?: StreamOptions): RemoteStream<T>;
