// The channel transport of client.js (PROTOCOL.md section 10) against the real Swift server
// (`remote-bench-server`), over real sockets, plus its fallback against a server without channel.
// The server tests are skipped when .build/debug/remote-bench-server has not been built.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient } from "../../../Sources/RemoteFunctionsServer/Resources/client.js";

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

async function metric(name) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : NaN;
}

async function until(condition, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const options = { skip: available ? false : "remote-bench-server is not built" };

test("ten streams share one channel and each yields every tick in order", options, async () => {
  const client = createClient({ baseUrl });
  assert.equal(client.transport.kind, "channel");
  const runs = Array.from({ length: 10 }, async (_, n) => {
    const values = [];
    for await (const tick of client.stream("bench.ticks", { count: 50 + n, intervalMs: 1 })) values.push(tick.i);
    return values;
  });
  const results = await Promise.all(runs);
  results.forEach((values, n) => assert.deepEqual(values, Array.from({ length: 50 + n }, (_, i) => i)));
  assert.equal(client.transport.usesFallback, false);
  assert.ok(client.transport.channelId && /^[0-9a-f]{32}$/.test(client.transport.channelId));
});

test("a cut channel reconnects and every stream resumes from its own cursor, exactly once", options, async () => {
  // A TCP proxy that cuts the first channel connection after some bytes of its response.
  const target = new URL(baseUrl);
  let channelConnections = 0;
  const proxy = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    let isChannel = false;
    let cutAfter = Infinity;
    let received = 0;
    downstream.on("data", (chunk) => {
      if (!isChannel && /^GET \/_remote\/_channel /.test(chunk.toString("latin1"))) {
        isChannel = true;
        channelConnections++;
        if (channelConnections === 1) cutAfter = 3000;
      }
      upstream.write(chunk);
    });
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
    downstream.on("end", () => upstream.end());
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");
  try {
    const client = createClient({ baseUrl: `http://127.0.0.1:${proxy.address().port}` });
    const reconnects = [];
    const runs = Array.from({ length: 5 }, async (_, n) => {
      const values = [];
      const stream = client.stream("bench.ticks", { count: 80, intervalMs: 2 }, {
        onStateChange: (state) => { if (state === "reconnecting") reconnects.push(n); },
      });
      for await (const tick of stream) values.push(tick.i);
      return values;
    });
    const results = await Promise.all(runs);
    for (const values of results) assert.deepEqual(values, Array.from({ length: 80 }, (_, i) => i));
    assert.equal(channelConnections, 2, "one cut channel and one new channel");
    assert.ok(reconnects.length >= 1, "streams reconnected");
  } finally {
    proxy.close();
  }
});

test("leaving the loop unsubscribes: the server's handler stops", options, async () => {
  const client = createClient({ baseUrl });
  const controller = new AbortController();
  const fanout = client.stream("bench.fanout", null, { signal: controller.signal });
  const received = [];
  const reading = (async () => {
    for await (const value of fanout) {
      received.push(value);
      if (received.length === 2) break;
    }
  })();
  await until(async () => (await metric("remote_channel_subscriptions")) >= 1, "the subscription to open");
  assert.equal(await metric("remote_open_streams"), 0, "no per-stream request");
  await until(async () => {
    await client.call("bench.publish", { hello: received.length });
    return received.length >= 2;
  }, "two published values");
  await reading;
  await until(async () => (await metric("remote_channel_subscriptions")) === 0, "the subscription to end");
});

test("a server without the channel endpoint gets one SSE request per stream", async () => {
  const paths = [];
  const mock = http.createServer((request, response) => {
    paths.push(`${request.method} ${request.url}`);
    if (request.url.startsWith("/_remote/_channel")) {
      response.writeHead(404, { "Content-Type": "application/json" });
      response.end('{"error":{"code":"not_found","message":"no remote function at this path"}}');
      return;
    }
    response.writeHead(200, { "Content-Type": "text/event-stream" });
    response.end('retry: 20\n\nevent: next\nid: 0\ndata: {"i":0}\n\nevent: end\ndata: null\n\n');
  });
  mock.listen(0, "127.0.0.1");
  await once(mock, "listening");
  try {
    const client = createClient({ baseUrl: `http://127.0.0.1:${mock.address().port}` });
    for (let round = 0; round < 2; round++) {
      const values = [];
      for await (const value of client.stream("ticks", null)) values.push(value);
      assert.deepEqual(values, [{ i: 0 }]);
    }
    assert.equal(client.transport.usesFallback, true);
    assert.deepEqual(paths, ["GET /_remote/_channel", "POST /_remote/ticks", "POST /_remote/ticks"]);
  } finally {
    mock.close();
  }
});
