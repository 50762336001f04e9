// Unit and loopback tests of the browser client (client.js) under node: `node --test Tests/browser/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import {
  SseParser, backoffDelay, codeForHttpStatus, createClient, RemoteError, ERROR_CODES,
} from "../../../Sources/RemoteFunctionsServer/Resources/client.js";

function parseAll(chunks) {
  const parser = new SseParser();
  const events = [];
  for (const chunk of chunks) events.push(...parser.feed(chunk));
  return events;
}

const SAMPLE = "retry: 500\r\n\r\n: heartbeat\nevent: next\nid: 1\ndata: {\"a\":\ndata: 1}\n\nevent: next\rid: 2\rdata:2\r\revent: end\r\ndata: null\r\n\r\n";
const EXPECTED = [
  { event: undefined, data: undefined, id: undefined, retry: 500 },
  { event: "next", data: "{\"a\":\n1}", id: "1", retry: undefined },
  { event: "next", data: "2", id: "2", retry: undefined },
  { event: "end", data: "null", id: undefined, retry: undefined },
];

test("the SSE parser handles CRLF, LF and CR, comments, retry, id and multi-line data", () => {
  assert.deepEqual(parseAll([SAMPLE]), EXPECTED);
});

test("the SSE parser gives the same events however the text is split", () => {
  for (let i = 0; i <= SAMPLE.length; i++) {
    for (let j = i; j <= SAMPLE.length; j += 7) {
      const events = parseAll([SAMPLE.slice(0, i), SAMPLE.slice(i, j), SAMPLE.slice(j)]);
      assert.deepEqual(events, EXPECTED, `split at ${i}, ${j}`);
    }
  }
  assert.deepEqual(parseAll([...SAMPLE]), EXPECTED, "one character per chunk");
});

test("the SSE parser ignores unknown fields, keeps the last id and drops an unterminated event", () => {
  const parser = new SseParser();
  assert.deepEqual(parser.feed("foo: bar\nid: 7\ndata\n\n"), [{ event: undefined, data: "", id: "7", retry: undefined }]);
  assert.deepEqual(parser.feed("data: x\n\n"), [{ event: undefined, data: "x", id: undefined, retry: undefined }]);
  assert.equal(parser.lastEventId, "7");
  assert.deepEqual(parser.feed("retry: abc\ndata: tail"), []);
});

test("backoff grows exponentially from the base, with ±20 % jitter around a 10 s cap", () => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const nominal = Math.min(10_000, 250 * 2 ** attempt);
    assert.equal(backoffDelay(attempt, 250, { random: () => 0 }), Math.round(nominal * 0.8), `attempt ${attempt} low`);
    assert.equal(backoffDelay(attempt, 250, { random: () => 0.5 }), nominal, `attempt ${attempt} middle`);
    assert.ok(Math.abs(backoffDelay(attempt, 250, { random: () => 0.999999 }) - nominal * 1.2) <= 1, `attempt ${attempt} high`);
    for (let k = 0; k < 50; k++) {
      const d = backoffDelay(attempt);
      assert.ok(d >= nominal * 0.8 - 1 && d <= nominal * 1.2 + 1, `attempt ${attempt}: ${d}`);
    }
  }
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 250, { random: () => 0.5 })),
    [250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  assert.equal(backoffDelay(0, 1000, { random: () => 0.5 }), 1000);
});

test("HTTP statuses map to codes as the protocol table says", () => {
  const table = {
    400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
    405: "unimplemented", 501: "unimplemented", 408: "deadline_exceeded", 504: "deadline_exceeded",
    409: "aborted", 413: "resource_exhausted", 429: "resource_exhausted", 431: "resource_exhausted",
    502: "unavailable", 503: "unavailable", 500: "unknown", 418: "unknown",
  };
  for (const [status, code] of Object.entries(table)) assert.equal(codeForHttpStatus(Number(status)), code, status);
  for (const code of ERROR_CODES) {
    assert.equal(new RemoteError(code, "m").retryable, code === "unavailable" || code === "deadline_exceeded", code);
  }
  assert.equal(new RemoteError("brand_new", "m").code, "unknown");
});

/** A loopback server whose behaviour each test scripts. */
async function withServer(handler, body) {
  const sockets = new Set();
  const server = http.createServer(handler);
  server.on("connection", (socket) => { sockets.add(socket); socket.on("close", () => sockets.delete(socket)); });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  try {
    return await body(createClient({ baseUrl: `http://127.0.0.1:${port}`, channel: false }));
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

function readBody(request) {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => { text += chunk; });
    request.on("end", () => resolve(text));
  });
}

test("call posts JSON, decodes the result and types errors", async () => {
  await withServer(async (request, response) => {
    const body = await readBody(request);
    if (request.url === "/_remote/echo") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ got: JSON.parse(body), contentType: request.headers["content-type"] }));
    } else if (request.url === "/_remote/conflict") {
      response.writeHead(409, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { code: "aborted", message: "Changed meanwhile.", details: { v: 3 } } }));
    } else {
      response.writeHead(502, { "Content-Type": "text/html" });
      response.end("<h1>Bad gateway</h1>");
    }
  }, async (client) => {
    assert.deepEqual(await client.call("echo", { n: 1 }), { got: { n: 1 }, contentType: "application/json" });
    assert.deepEqual(await client.call("echo"), { got: null, contentType: "application/json" });
    await assert.rejects(client.call("conflict", null), (error) => {
      assert.ok(error instanceof RemoteError);
      assert.equal(error.code, "aborted");
      assert.equal(error.message, "Changed meanwhile.");
      assert.deepEqual(error.details, { v: 3 });
      assert.equal(error.status, 409);
      assert.equal(error.retryable, false);
      return true;
    });
    await assert.rejects(client.call("proxy", null), (error) => error.code === "unavailable" && error.retryable && error.status === 502);
  });
});

test("a network failure is unavailable", async () => {
  const client = createClient({ baseUrl: "http://127.0.0.1:1", channel: false });
  await assert.rejects(client.call("x", null), (error) => error instanceof RemoteError && error.code === "unavailable");
});

function sse(response, text) {
  response.write(text);
}

function openStream(response) {
  response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store" });
  sse(response, "retry: 20\n\n");
}

test("a stream yields values, ends on `end` and reports its states", async () => {
  await withServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    assert.equal(request.headers.accept, "text/event-stream");
    openStream(response);
    for (let i = 0; i < body.count; i++) sse(response, `event: next\nid: ${i}\ndata: {"i":${i}}\n\n`);
    sse(response, "event: end\ndata: null\n\n");
    response.end();
  }, async (client) => {
    const states = [];
    const values = [];
    const ticks = client.stream("ticks", { count: 3 }, { onStateChange: (s) => states.push(s) });
    assert.equal(ticks.state, "idle");
    for await (const value of ticks) values.push(value);
    assert.deepEqual(values, [{ i: 0 }, { i: 1 }, { i: 2 }]);
    assert.deepEqual(states, ["connecting", "open", "closed"]);
    assert.equal(ticks.state, "closed");
    assert.equal(ticks.lastEventId, "2");
  });
});

test("a dropped stream reconnects with Last-Event-ID and every value arrives exactly once", async () => {
  const seenCursors = [];
  let connections = 0;
  await withServer(async (request, response) => {
    await readBody(request);
    connections++;
    const cursor = request.headers["last-event-id"];
    seenCursors.push(cursor);
    const start = cursor === undefined ? 0 : Number(cursor) + 1;
    openStream(response);
    if (connections === 2) {
      // A retryable error event also makes the client reconnect.
      sse(response, `event: error\ndata: {"code":"unavailable","message":"restarting"}\n\n`);
      response.end();
      return;
    }
    for (let i = start; i < 10; i++) {
      sse(response, `event: next\nid: ${i}\ndata: ${i}\n\n`);
      if (connections === 1 && i === 4) {
        // Cut the connection mid-stream, halfway through an event.
        response.write("event: next\nid: 5\nda", () => response.socket.destroy());
        return;
      }
    }
    sse(response, "event: end\ndata: null\n\n");
    response.end();
  }, async (client) => {
    const states = [];
    const values = [];
    for await (const value of client.stream("ticks", null, { onStateChange: (s) => states.push(s) })) values.push(value);
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(seenCursors, [undefined, "4", "4"]);
    assert.deepEqual(states, ["connecting", "open", "reconnecting", "connecting", "open", "reconnecting", "connecting", "open", "closed"]);
  });
});

test("a non-retryable error event ends the loop with a RemoteError and state failed", async () => {
  await withServer(async (request, response) => {
    await readBody(request);
    openStream(response);
    sse(response, "event: next\ndata: 1\n\nevent: error\ndata: {\"code\":\"permission_denied\",\"message\":\"no\"}\n\n");
    response.end();
  }, async (client) => {
    const values = [];
    const s = client.stream("s", null);
    await assert.rejects((async () => { for await (const v of s) values.push(v); })(),
      (error) => error instanceof RemoteError && error.code === "permission_denied" && error.message === "no");
    assert.deepEqual(values, [1]);
    assert.equal(s.state, "failed");
  });
});

test("an HTTP error before the stream is thrown; a retryable one is retried", async () => {
  let attempts = 0;
  await withServer(async (request, response) => {
    await readBody(request);
    if (request.url === "/_remote/missing") {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { code: "not_found", message: "No such function." } }));
      return;
    }
    attempts++;
    if (attempts < 3) {
      response.writeHead(503);
      response.end();
      return;
    }
    openStream(response);
    sse(response, "event: next\ndata: \"ok\"\n\nevent: end\ndata: null\n\n");
    response.end();
  }, async (client) => {
    await assert.rejects((async () => { for await (const _ of client.stream("missing", null)) { /* none */ } })(),
      (error) => error.code === "not_found" && error.status === 404);
    const values = [];
    for await (const v of client.stream("flaky", null, { backoff: { cap: 50 } })) values.push(v);
    assert.deepEqual(values, ["ok"]);
    assert.equal(attempts, 3);
  });
});

test("breaking out of the loop or aborting hangs up the connection promptly", async () => {
  const closed = [];
  await withServer(async (request, response) => {
    await readBody(request);
    openStream(response);
    let i = 0;
    const timer = setInterval(() => sse(response, `event: next\ndata: ${i++}\n\n`), 5);
    request.socket.on("close", () => { clearInterval(timer); closed.push(request.url); });
  }, async (client) => {
    for await (const v of client.stream("a", null)) {
      if (v === 3) break;
    }
    const controller = new AbortController();
    const s = client.stream("b", null, { signal: controller.signal });
    for await (const v of s) {
      if (v === 3) controller.abort();
    }
    assert.equal(s.state, "closed");
    // Aborting while the client waits for data (not at a yield) also ends the loop.
    const idle = new AbortController();
    const pending = (async () => { for await (const _ of client.stream("c", { idle: true }, { signal: idle.signal })) { /* none */ } })();
    setTimeout(() => idle.abort(), 50);
    await pending;
    const deadline = Date.now() + 5000;
    while (closed.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(closed.sort(), ["/_remote/a", "/_remote/b", "/_remote/c"]);
  });
});

test("a stream silent for longer than the idle timeout counts as cut and reconnects", async () => {
  let connections = 0;
  await withServer(async (request, response) => {
    await readBody(request);
    connections++;
    openStream(response);
    if (connections === 1) return; // say nothing more: a stalled connection
    sse(response, "event: next\ndata: \"after\"\n\nevent: end\ndata: null\n\n");
    response.end();
  }, async (client) => {
    const fast = createClient({ baseUrl: client.baseUrl, idleTimeout: 150, channel: false });
    const values = [];
    for await (const v of fast.stream("quiet", null)) values.push(v);
    assert.deepEqual(values, ["after"]);
    assert.equal(connections, 2);
  });
});

test("query retries a retryable failure with backoff; call does not", async () => {
  let attempts = 0;
  await withServer(async (request, response) => {
    await readBody(request);
    attempts++;
    if (attempts % 2 === 1) {
      response.writeHead(503, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ error: { code: "unavailable", message: "busy" } }));
    } else {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end("42");
    }
  }, async (client) => {
    assert.equal(await client.query("q", null), 42);
    assert.equal(attempts, 2);
    await assert.rejects(client.call("c", null), (error) => error.code === "unavailable" && error.message === "busy");
    assert.equal(attempts, 3);
  });
});
