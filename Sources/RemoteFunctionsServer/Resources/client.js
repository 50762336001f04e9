// Browser client for remote functions, wire protocol v1 (docs/PROTOCOL.md).
//
// An ES module with no build step and no dependencies. Served by the server at /_remote/client.js.
//
//   import { call, stream, RemoteError } from "/_remote/client.js";
//   const session = await call("sessions.create", { name: "Standup" });
//   for await (const update of stream("participants.stream", { sessionCode }, { signal })) { … }
//
// Streams reconnect after network errors and retryable codes with exponential backoff and jitter,
// and resume with Last-Event-ID. The transport that carries a stream is a seam (createSseTransport
// today; a multiplexed channel transport can be added without touching `stream()`).

/** The codes a client retries automatically. */
const RETRYABLE_CODES = new Set(["unavailable", "deadline_exceeded"]);

/** The 16 canonical codes, in snake_case as on the wire. */
export const ERROR_CODES = Object.freeze([
  "cancelled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists",
  "permission_denied", "resource_exhausted", "failed_precondition", "aborted", "out_of_range",
  "unimplemented", "internal", "unavailable", "data_loss", "unauthenticated",
]);

/**
 * The connection states a stream goes through, as in the Swift client:
 * idle → connecting → open → (reconnecting → connecting → open)* → closed | failed.
 */
export const STREAM_STATES = Object.freeze(["idle", "connecting", "open", "reconnecting", "closed", "failed"]);

/** A typed error from a remote function (or from reaching it). */
export class RemoteError extends Error {
  constructor(code, message, { details, status, cause } = {}) {
    super(message || code, cause === undefined ? undefined : { cause });
    this.name = "RemoteError";
    this.code = ERROR_CODES.includes(code) ? code : "unknown";
    this.details = details;
    this.status = status;
  }

  /** Whether the client retries (reconnects a stream) after this error. */
  get retryable() {
    return RETRYABLE_CODES.has(this.code);
  }

  /** Builds an error from its wire form `{code, message, details}`. */
  static fromWire(body, status) {
    if (body && typeof body === "object" && typeof body.code === "string") {
      return new RemoteError(body.code, typeof body.message === "string" ? body.message : "", {
        details: body.details,
        status,
      });
    }
    return null;
  }
}

/** The code a client assumes for an HTTP error whose body is not a remote-functions error. */
export function codeForHttpStatus(status) {
  switch (status) {
    case 400: return "invalid_argument";
    case 401: return "unauthenticated";
    case 403: return "permission_denied";
    case 404: return "not_found";
    case 405: case 501: return "unimplemented";
    case 408: case 504: return "deadline_exceeded";
    case 409: return "aborted";
    case 413: case 429: case 431: return "resource_exhausted";
    case 499: return "cancelled";
    case 502: case 503: return "unavailable";
    default: return "unknown";
  }
}

/** Reads a non-2xx response into a RemoteError. */
async function errorFromResponse(response) {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // The body could not be read; the status alone decides.
  }
  try {
    const parsed = JSON.parse(text);
    const error = RemoteError.fromWire(parsed && parsed.error, response.status);
    if (error) return error;
  } catch {
    // Not JSON (for example a proxy's HTML page).
  }
  const code = codeForHttpStatus(response.status);
  return new RemoteError(code, `HTTP ${response.status}${response.statusText ? " " + response.statusText : ""}`, {
    status: response.status,
  });
}

/** Turns anything thrown while talking to the server into a RemoteError. */
function asRemoteError(error) {
  if (error instanceof RemoteError) return error;
  return new RemoteError("unavailable", "The server could not be reached.", { cause: error });
}

/**
 * The delay before reconnect attempt `attempt` (0-based), as PROTOCOL.md 5.3 says:
 * `min(cap, base·2^attempt) · (1 + uniform(-jitter, +jitter))`.
 */
export function backoffDelay(attempt, base = 250, { cap = 10_000, jitter = 0.2, random = Math.random } = {}) {
  const exponential = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  const factor = 1 + jitter * (2 * random() - 1);
  return Math.max(0, Math.round(exponential * factor));
}

/** Resolves after `ms`, or as soon as `signal` aborts. Never rejects. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", done);
      resolve();
    }
    if (signal) signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * An incremental `text/event-stream` parser (HTML standard): lines end with CRLF, LF or CR, a
 * line starting with `:` is a comment, a blank line dispatches, `data:` lines join with "\n".
 * `feed()` takes decoded text in chunks split anywhere and returns the completed events, each
 * `{event, data, id, retry}` (`event`, `id`, `retry` undefined when absent; `data` undefined when
 * the event only carried `retry:`).
 */
export class SseParser {
  constructor() {
    this.line = "";
    this.lastWasCR = false;
    this.lastEventId = undefined;
    this.reset();
  }

  reset() {
    this.event = undefined;
    this.data = [];
    this.hasData = false;
    this.id = undefined;
    this.retry = undefined;
  }

  feed(text) {
    const events = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) {
        this.lastWasCR = false;
        continue;
      }
      if (ch === 10 && this.lastWasCR && i === start) {
        // The LF of a CRLF whose CR ended the previous line (maybe in the previous chunk).
        this.lastWasCR = false;
        start = i + 1;
        continue;
      }
      this.line += text.slice(start, i);
      start = i + 1;
      this.lastWasCR = ch === 13;
      const event = this.processLine(this.line);
      this.line = "";
      if (event) events.push(event);
    }
    this.line += text.slice(start);
    return events;
  }

  processLine(line) {
    if (line === "") {
      const dispatch = this.hasData || this.retry !== undefined || this.event !== undefined;
      const event = dispatch
        ? { event: this.event, data: this.hasData ? this.data.join("\n") : undefined, id: this.id, retry: this.retry }
        : null;
      this.reset();
      return event;
    }
    if (line.charCodeAt(0) === 58 /* : */) return null;
    const colon = line.indexOf(":");
    let field = line;
    let value = "";
    if (colon >= 0) {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
    }
    switch (field) {
      case "event": this.event = value; break;
      case "data": this.data.push(value); this.hasData = true; break;
      case "id":
        if (!value.includes("\0")) {
          this.id = value;
          this.lastEventId = value;
        }
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
      default: break;
    }
    return null;
  }
}

function defaultBaseUrl() {
  return typeof location !== "undefined" && location.origin && location.origin !== "null" ? location.origin : "";
}

function functionUrl(baseUrl, id) {
  return `${baseUrl.replace(/\/+$/, "")}/_remote/${encodeURIComponent(id)}`;
}

/**
 * The default stream transport: one `fetch` POST per stream with `Accept: text/event-stream`,
 * read with a streaming body reader and parsed by SseParser.
 *
 * A transport has one method, `open({id, args, lastEventId, signal})`, which resolves once the
 * server accepted the stream, to `{events}`: an async iterable of parsed events
 * `{event, data, id, retry}`. It rejects with a RemoteError for an HTTP error before the stream
 * and with anything else for a network failure. Aborting `signal` must end the connection.
 */
export function createSseTransport({ baseUrl = defaultBaseUrl(), fetch: fetchImpl, headers = {}, idleTimeout = 45_000 } = {}) {
  return {
    kind: "sse",
    async open({ id, args, lastEventId, signal: streamSignal }) {
      // One controller per connection: the stream's signal ends it, and so does a silence longer
      // than `idleTimeout` (three 15 s heartbeats, PROTOCOL.md 4.4), which counts as a cut.
      const connection = new AbortController();
      const onAbort = () => connection.abort();
      if (streamSignal.aborted) connection.abort();
      else streamSignal.addEventListener("abort", onAbort, { once: true });
      const signal = connection.signal;
      const requestHeaders = {
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        ...headers,
      };
      if (lastEventId !== undefined && lastEventId !== null) requestHeaders["Last-Event-ID"] = String(lastEventId);
      try {
        const response = await (fetchImpl || globalThis.fetch)(functionUrl(baseUrl, id), {
          method: "POST",
          headers: requestHeaders,
          body: JSON.stringify(args === undefined ? null : args),
          signal,
          cache: "no-store",
          credentials: "same-origin",
        });
        if (!response.ok) throw await errorFromResponse(response);
        const contentType = response.headers.get("content-type") || "";
        if (!contentType.toLowerCase().startsWith("text/event-stream") || !response.body) {
          try { await response.body?.cancel(); } catch { /* already closed */ }
          throw new RemoteError("unimplemented", "The server did not answer with an event stream.", { status: response.status });
        }
        return { events: readEvents(response.body.getReader(), connection, idleTimeout, () => streamSignal.removeEventListener("abort", onAbort)) };
      } catch (error) {
        streamSignal.removeEventListener("abort", onAbort);
        connection.abort();
        throw error;
      }
    },
  };
}

async function* readEvents(reader, connection, idleTimeout, release) {
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let timer;
  const arm = () => {
    clearTimeout(timer);
    if (idleTimeout > 0) timer = setTimeout(() => connection.abort(), idleTimeout);
  };
  try {
    arm();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        // An unterminated last event is discarded, as the HTML standard says.
        parser.feed(decoder.decode());
        return;
      }
      arm();
      for (const event of parser.feed(decoder.decode(value, { stream: true }))) yield event;
    }
  } finally {
    clearTimeout(timer);
    release();
    reader.cancel().catch(() => {});
    connection.abort();
  }
}

/**
 * Creates a client bound to a server. `call` and `stream` exported by this module use a client
 * bound to the page's own origin.
 *
 * Options: `baseUrl` (default: the page's origin), `fetch` (default: globalThis.fetch),
 * `headers` (added to every request), `idleTimeout` (ms of silence after which a stream counts as
 * cut, default 45 000), `transport` (the stream transport), `channel` (default true: every stream
 * of this client travels on one multiplexed channel, falling back to one SSE request per stream
 * when the server has no channel endpoint; false: one SSE request per stream).
 */
export function createClient({ baseUrl = defaultBaseUrl(), fetch: fetchImpl, headers = {}, idleTimeout, transport, channel = true } = {}) {
  const sseTransport = () => createSseTransport({ baseUrl, fetch: fetchImpl, headers, idleTimeout });
  const streamTransport = transport
    || (channel ? createChannelTransport({ baseUrl, fetch: fetchImpl, headers, idleTimeout, fallback: sseTransport() }) : sseTransport());

  async function callFunction(id, args, options = {}) {
    const retries = options.retries ?? 0;
    for (let failures = 0; ; failures++) {
      try {
        return await callOnce(id, args, options);
      } catch (error) {
        if (!error.retryable || failures >= retries || (options.signal && options.signal.aborted)) throw error;
        await sleep(backoffDelay(failures), options.signal);
        if (options.signal && options.signal.aborted) throw new RemoteError("cancelled", "The call was cancelled.");
      }
    }
  }

  async function callOnce(id, args, options) {
    let response;
    try {
      response = await (fetchImpl || globalThis.fetch)(functionUrl(baseUrl, id), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...headers, ...(options.headers || {}) },
        body: JSON.stringify(args === undefined ? null : args),
        signal: options.signal,
        credentials: "same-origin",
      });
    } catch (error) {
      if (options.signal && options.signal.aborted) {
        throw new RemoteError("cancelled", "The call was cancelled.", { cause: error });
      }
      throw asRemoteError(error);
    }
    if (!response.ok) throw await errorFromResponse(response);
    let text;
    try {
      text = await response.text();
    } catch (error) {
      if (options.signal && options.signal.aborted) {
        throw new RemoteError("cancelled", "The call was cancelled.", { cause: error });
      }
      throw asRemoteError(error);
    }
    if (text === "") return null;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new RemoteError("unknown", "The server sent a response that is not JSON.", { status: response.status, cause: error });
    }
  }

  function streamFunction(id, args, options = {}) {
    return createRemoteStream(streamTransport, id, args, options);
  }

  function queryFunction(id, args, options = {}) {
    return callFunction(id, args, { retries: 2, ...options });
  }

  return { call: callFunction, query: queryFunction, stream: streamFunction, transport: streamTransport, baseUrl };
}

/**
 * The reconnecting stream on top of a transport. Returns an async iterable with `state`,
 * `lastEventId` and `close()`.
 */
function createRemoteStream(transport, id, args, options) {
  const { signal, onStateChange, backoff = {} } = options;
  const controller = new AbortController();
  let state = "idle";
  let cursor = options.lastEventId === undefined ? null : options.lastEventId;
  let iterator = null;

  const onAbort = () => controller.abort(signal.reason);
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", onAbort, { once: true });
  }

  function setState(next, info = {}) {
    if (state === next) return;
    state = next;
    if (onStateChange) {
      try {
        onStateChange(next, info);
      } catch (error) {
        // A listener's error must not break the stream.
        setTimeout(() => { throw error; });
      }
    }
  }

  async function* run() {
    let attempt = 0;
    let baseDelay = 250;
    try {
      for (;;) {
        if (controller.signal.aborted) return;
        setState("connecting", { attempt });
        let connection;
        try {
          connection = await transport.open({ id, args, lastEventId: cursor, signal: controller.signal });
        } catch (thrown) {
          if (controller.signal.aborted) return;
          const error = asRemoteError(thrown);
          if (!error.retryable) {
            setState("failed", { error });
            throw error;
          }
          const delay = backoffDelay(attempt++, baseDelay, backoff);
          setState("reconnecting", { attempt, delay, error });
          await sleep(delay, controller.signal);
          continue;
        }
        setState("open");
        let delivered = false;
        let lastError;
        try {
          for await (const event of connection.events) {
            // The connection delivered its opening frame (or more): backoff starts over.
            delivered = true;
            if (event.retry !== undefined) baseDelay = event.retry;
            if (event.data === undefined) continue;
            const name = event.event === undefined ? "message" : event.event;
            if (name === "next" || name === "message") {
              let value;
              try {
                value = JSON.parse(event.data);
              } catch (error) {
                throw new RemoteError("data_loss", "The server sent a stream value that is not JSON.", { cause: error });
              }
              if (event.id !== undefined) cursor = event.id === "" ? null : event.id;
              yield value;
            } else if (name === "end") {
              setState("closed");
              return;
            } else if (name === "error") {
              let body = null;
              try { body = JSON.parse(event.data); } catch { /* not JSON */ }
              const error = RemoteError.fromWire(body) || new RemoteError("unknown", "The stream failed.");
              if (!error.retryable) throw error;
              lastError = error;
              break;
            }
          }
        } catch (thrown) {
          if (controller.signal.aborted) return;
          if (thrown instanceof RemoteError && !thrown.retryable) {
            setState("failed", { error: thrown });
            throw thrown;
          }
          lastError = asRemoteError(thrown);
        }
        if (controller.signal.aborted) return;
        // The connection ended without `end`, dropped, or sent a retryable error: reconnect.
        if (delivered) attempt = 0;
        const delay = backoffDelay(attempt++, baseDelay, backoff);
        setState("reconnecting", { attempt, delay, error: lastError || new RemoteError("unavailable", "The stream was interrupted.") });
        await sleep(delay, controller.signal);
      }
    } finally {
      controller.abort();
      if (signal) signal.removeEventListener("abort", onAbort);
      if (state !== "failed") setState("closed");
    }
  }

  const remoteStream = {
    /** The connection state: connecting, open, reconnecting, closed or failed. */
    get state() { return state; },
    /** The cursor of the last value received (sent as Last-Event-ID on reconnect). */
    get lastEventId() { return cursor; },
    /** Stops the stream and hangs up the connection. */
    close() {
      controller.abort();
      if (iterator) iterator.return().catch(() => {});
      else setState("closed");
    },
    [Symbol.asyncIterator]() {
      if (!iterator) iterator = run();
      return iterator;
    },
  };
  return remoteStream;
}

// ---------------------------------------------------------------------------------------------
// Multiplexed channel transport (docs/PROTOCOL.md section 10).
//
// One long-lived SSE response per client (`GET /_remote/_channel`) carries every stream; streams
// start and stop with small POSTs naming the channel. Each stream keeps its own cursor: when the
// channel drops, every stream's event sequence ends without `end`, `createRemoteStream` reconnects
// it as it would a cut SSE response, and `open()` re-subscribes it on a fresh channel with its last
// cursor. A server without the endpoint (404) makes the transport use `fallback` for good.

const CHANNEL_PATH = "/_remote/_channel";

/**
 * The channel transport. Options: `baseUrl`, `fetch`, `headers`, `idleTimeout` (ms of silence
 * after which the channel counts as cut; default three heartbeat intervals as announced by the
 * server), `fallback` (the transport used when the server has no channel endpoint).
 */
export function createChannelTransport({ baseUrl = defaultBaseUrl(), fetch: fetchImpl, headers = {}, idleTimeout, fallback } = {}) {
  const doFetch = (...rest) => (fetchImpl || globalThis.fetch)(...rest);
  const root = baseUrl.replace(/\/+$/, "");
  let current = null; // { id, retry, subs: Map<sub, queue>, closed, ready: Promise, controller }
  let unsupported = false;
  let counter = 0;

  function openChannel() {
    const controller = new AbortController();
    const channel = { id: null, retry: 250, subs: new Map(), closed: false, controller, ready: null };
    channel.ready = (async () => {
      const response = await doFetch(root + CHANNEL_PATH, {
        method: "GET",
        headers: { Accept: "text/event-stream", ...headers },
        signal: controller.signal,
        cache: "no-store",
        credentials: "same-origin",
      });
      if (!response.ok) throw await errorFromResponse(response);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      let pending = [];
      // Read until the opening `channel` event; later events are handed to the read loop.
      while (channel.id === null) {
        const { value, done } = await reader.read();
        if (done) throw new RemoteError("unavailable", "The channel closed before it opened.");
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          if (event.retry !== undefined) channel.retry = event.retry;
          if (channel.id === null && event.event === "channel") {
            const settings = JSON.parse(event.data);
            channel.id = settings.channel;
            channel.heartbeatMs = settings.heartbeatMs;
          } else if (channel.id !== null) {
            pending.push(event);
          }
        }
      }
      readLoop(channel, reader, decoder, parser, pending);
      return channel;
    })();
    channel.ready.catch(() => close(channel));
    return channel;
  }

  async function readLoop(channel, reader, decoder, parser, pending) {
    const limit = idleTimeout ?? 3 * (channel.heartbeatMs || 15_000);
    let timer;
    const arm = () => {
      clearTimeout(timer);
      if (limit > 0) timer = setTimeout(() => channel.controller.abort(), limit);
    };
    try {
      arm();
      for (const event of pending) dispatch(channel, event);
      pending = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) dispatch(channel, event);
      }
    } catch {
      // A network failure or the idle timeout: the channel is cut.
    } finally {
      clearTimeout(timer);
      reader.cancel().catch(() => {});
      close(channel);
    }
  }

  function dispatch(channel, event) {
    if (event.data === undefined || event.event === "channel") return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    const queue = frame && channel.subs.get(frame.sub);
    if (!queue) return;
    if (event.event === "next") {
      queue.push({ event: "next", data: JSON.stringify(frame.value === undefined ? null : frame.value), id: frame.cursor === undefined ? undefined : String(frame.cursor) });
    } else if (event.event === "end") {
      channel.subs.delete(frame.sub);
      queue.push({ event: "end", data: "null" });
      queue.end();
    } else if (event.event === "error") {
      channel.subs.delete(frame.sub);
      queue.push({ event: "error", data: JSON.stringify(frame.error || {}) });
      queue.end();
    }
  }

  /** Ends a channel: every stream on it sees its events end without `end`, and reconnects. */
  function close(channel) {
    if (channel.closed) return;
    channel.closed = true;
    channel.controller.abort();
    if (current === channel) current = null;
    const queues = [...channel.subs.values()];
    channel.subs.clear();
    for (const queue of queues) queue.end();
  }

  function control(channel, action, body, keepalive = false) {
    return doFetch(`${root}${CHANNEL_PATH}/${encodeURIComponent(channel.id)}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
      credentials: "same-origin",
      keepalive,
    });
  }

  return {
    kind: "channel",
    /** The id of the open channel, or null (for tests and diagnostics). */
    get channelId() { return current && current.id; },
    /** Whether the server had no channel endpoint, so streams use the fallback. */
    get usesFallback() { return unsupported; },
    async open(request) {
      if (unsupported && fallback) return fallback.open(request);
      const { id, args, lastEventId, signal } = request;
      if (!current) current = openChannel();
      const opening = current;
      let channel;
      try {
        channel = await opening.ready;
      } catch (error) {
        if (error instanceof RemoteError && error.status === 404 && fallback) {
          unsupported = true;
          return fallback.open(request);
        }
        throw error;
      }
      if (signal.aborted) throw new RemoteError("cancelled", "The stream was cancelled.");
      const sub = `s${++counter}`;
      const queue = createEventQueue(() => {
        // The consumer left before the stream ended: tell the server, if the channel still lives.
        signal.removeEventListener("abort", onAbort);
        if (channel.subs.get(sub) === queue) {
          channel.subs.delete(sub);
          if (!channel.closed) control(channel, "unsubscribe", { sub }, true).catch(() => {});
        }
      });
      const onAbort = () => queue.cancel();
      signal.addEventListener("abort", onAbort, { once: true });
      channel.subs.set(sub, queue);
      let response;
      try {
        const body = { sub, id, args: args === undefined ? null : args };
        if (lastEventId !== undefined && lastEventId !== null) body.lastEventId = String(lastEventId);
        response = await control(channel, "subscribe", body);
      } catch (error) {
        channel.subs.delete(sub);
        signal.removeEventListener("abort", onAbort);
        throw error;
      }
      if (!response.ok) {
        channel.subs.delete(sub);
        signal.removeEventListener("abort", onAbort);
        const error = await errorFromResponse(response);
        if (error.details && error.details.channel) {
          // The channel is gone or no longer ours (for example the cookies changed): open a new one.
          close(channel);
          throw new RemoteError("unavailable", "The channel was refused; reconnecting.", { status: response.status });
        }
        throw error;
      }
      // Like the opening `retry:` frame of a single stream: resets the reconnect backoff.
      queue.push({ retry: channel.retry });
      return { events: queue.events };
    },
  };
}

/**
 * The events of one subscription: `push` and `end` from the channel's read loop, read once with
 * `for await`. `cancel()` (or leaving the loop) ends it and calls `onCancel` once.
 */
function createEventQueue(onCancel) {
  const items = [];
  let waiter = null;
  let done = false;
  let cancelled = false;
  const finishWaiter = () => {
    if (!waiter) return;
    const resolve = waiter;
    waiter = null;
    resolve({ value: undefined, done: true });
  };
  const queue = {
    push(event) {
      if (done) return;
      if (waiter) {
        const resolve = waiter;
        waiter = null;
        resolve({ value: event, done: false });
      } else {
        items.push(event);
      }
    },
    end() {
      done = true;
      if (items.length === 0) finishWaiter();
    },
    cancel() {
      if (!cancelled) {
        cancelled = true;
        onCancel();
      }
      done = true;
      items.length = 0;
      finishWaiter();
    },
    events: {
      [Symbol.asyncIterator]() {
        return {
          next() {
            if (items.length) return Promise.resolve({ value: items.shift(), done: false });
            if (done) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve) => { waiter = resolve; });
          },
          return() {
            queue.cancel();
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    },
  };
  return queue;
}

const defaultClient = createClient();

/** Calls a query or command: POST /_remote/{id} with JSON arguments; resolves to the decoded result. */
export function call(id, args, options) {
  return defaultClient.call(id, args, options);
}

/**
 * Calls a query (a function without side effects): like `call`, but retried up to twice with
 * backoff after `unavailable` or `deadline_exceeded`, as the Swift client's default query policy.
 */
export function query(id, args, options) {
  return defaultClient.query(id, args, options);
}

/** Opens a stream: an async iterable of values that reconnects and resumes on its own. */
export function stream(id, args, options) {
  return defaultClient.stream(id, args, options);
}
