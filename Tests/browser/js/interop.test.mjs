// client.js against the real Swift server (`remote-bench-server`), over real sockets.
// Skipped when .build/debug/remote-bench-server has not been built
// (`swift build --product remote-bench-server`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient, RemoteError } from "../../../Sources/RemoteFunctionsServer/Resources/client.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const binary = process.env.REMOTE_BENCH_SERVER || `${root}.build/debug/remote-bench-server`;
const available = existsSync(binary);
let server;
let baseUrl;

before(async () => {
  if (!available) return;
  server = spawn(binary, ["--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: server.stdout });
  for await (const line of lines) {
    const match = /listening on ([^\s]+):(\d+)/.exec(line);
    if (match) {
      baseUrl = `http://127.0.0.1:${match[2]}`;
      break;
    }
  }
});

after(() => server?.kill());

async function openStreams() {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^remote_open_streams (\d+)$/m.exec(text)[1]);
}

async function until(condition, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const options = { skip: available ? false : "remote-bench-server is not built" };

test("unary calls and typed errors", options, async () => {
  const client = createClient({ baseUrl });
  assert.deepEqual(await client.call("bench.echo", { n: 41 }), { n: 41, ok: true });
  await assert.rejects(client.call("no.such.function", null), (error) => error instanceof RemoteError && error.code === "not_found" && error.status === 404);
  await assert.rejects(client.call("bench.echo", { n: "x" }), (error) => error.code === "invalid_argument" && /n/.test(error.message));
});

test("a stream yields every tick in order and ends", options, async () => {
  const client = createClient({ baseUrl });
  const ticks = client.stream("bench.ticks", { count: 200, intervalMs: 0 });
  const values = [];
  for await (const tick of ticks) values.push(tick.i);
  assert.deepEqual(values, Array.from({ length: 200 }, (_, i) => i));
  assert.equal(ticks.state, "closed");
  assert.equal(ticks.lastEventId, "199");
});

test("lastEventId resumes after the cursor", options, async () => {
  const client = createClient({ baseUrl });
  const values = [];
  for await (const tick of client.stream("bench.ticks", { count: 15, intervalMs: 0 }, { lastEventId: "9" })) values.push(tick.i);
  assert.deepEqual(values, [10, 11, 12, 13, 14]);
});

test("a connection cut mid-stream reconnects with Last-Event-ID: every tick exactly once", options, async () => {
  // A TCP proxy that cuts the first two connections after some bytes of the response.
  const target = new URL(baseUrl);
  let connections = 0;
  const proxy = net.createServer((downstream) => {
    connections++;
    const cutAfter = connections <= 2 ? 400 : Infinity;
    let received = 0;
    const upstream = net.connect(Number(target.port), target.hostname);
    downstream.pipe(upstream);
    upstream.on("data", (chunk) => {
      received += chunk.length;
      if (received > cutAfter) {
        downstream.destroy();
        upstream.destroy();
      } else {
        downstream.write(chunk);
      }
    });
    upstream.on("error", () => downstream.destroy());
    downstream.on("error", () => upstream.destroy());
    upstream.on("end", () => downstream.end());
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");
  try {
    const client = createClient({ baseUrl: `http://127.0.0.1:${proxy.address().port}`, channel: false });
    const states = [];
    const values = [];
    for await (const tick of client.stream("bench.ticks", { count: 60, intervalMs: 1 }, { onStateChange: (s) => states.push(s) })) values.push(tick.i);
    assert.deepEqual(values, Array.from({ length: 60 }, (_, i) => i));
    assert.ok(connections >= 3, `connections: ${connections}`);
    assert.equal(states.filter((s) => s === "reconnecting").length, connections - 1);
  } finally {
    proxy.close();
  }
});

test("leaving the loop closes the stream on the server", options, async () => {
  const client = createClient({ baseUrl, channel: false });
  await until(async () => (await openStreams()) === 0, "no open streams");
  const controller = new AbortController();
  const fanout = client.stream("bench.fanout", null, { signal: controller.signal });
  const received = [];
  const reading = (async () => {
    for await (const value of fanout) {
      received.push(value);
      if (received.length === 2) break;
    }
  })();
  await until(async () => (await openStreams()) === 1, "the fan-out stream to open");
  await until(async () => {
    await client.call("bench.publish", { hello: received.length });
    return received.length >= 2;
  }, "two published values");
  await reading;
  assert.equal(fanout.state, "closed");
  await until(async () => (await openStreams()) === 0, "the server to close the stream");

  // Aborting an idle stream also ends it on the server.
  const idle = new AbortController();
  const pending = (async () => { for await (const _ of client.stream("bench.fanout", null, { signal: idle.signal })) { /* none */ } })();
  await until(async () => (await openStreams()) === 1, "the idle stream to open");
  idle.abort();
  await pending;
  await until(async () => (await openStreams()) === 0, "the aborted stream to close");
  controller.abort();
});
