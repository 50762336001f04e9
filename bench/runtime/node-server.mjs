// The Node.js peer of remote-bench-server: the same four functions, written as async generators
// (the seed's programming model), speaking wire protocol v1 (docs/PROTOCOL.md).
//
//   node bench/runtime/node-server.mjs --host 127.0.0.1 --port 0
// prints "listening on HOST:PORT" once bound.
import http from 'node:http';
import { once } from 'node:events';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '0'));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every current bench.fanout subscriber: a function that queues one published object.
const subscribers = new Set();

async function* ticks({ count, intervalMs }, lastEventId) {
  const start = lastEventId === undefined ? 0 : Number(lastEventId) + 1;
  for (let i = start; i < count; i++) {
    if (intervalMs > 0) await sleep(intervalMs);
    yield { value: { i }, cursor: String(i) };
  }
}

async function* fanout(signal) {
  const queue = [];
  let wake = null;
  const push = (value) => {
    queue.push(value);
    if (wake) { wake(); wake = null; }
  };
  subscribers.add(push);
  try {
    while (!signal.aborted) {
      while (queue.length > 0) yield { value: queue.shift() };
      await new Promise((resolve) => {
        wake = resolve;
        signal.addEventListener('abort', resolve, { once: true });
      });
    }
  } finally {
    subscribers.delete(push);
  }
}

const functions = {
  'bench.echo': { kind: 'query', call: async ({ n }) => ({ n, ok: true }) },
  'bench.publish': {
    kind: 'command',
    call: async (object) => {
      for (const push of subscribers) push(object);
      return { delivered: subscribers.size };
    },
  },
  'bench.ticks': { kind: 'stream', call: (a, lastEventId) => ticks(a, lastEventId) },
  'bench.fanout': { kind: 'stream', call: (_a, _l, signal) => fanout(signal) },
};

function sendJSON(response, status, value) {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

function sendError(response, status, code, message) {
  sendJSON(response, status, { error: { code, message } });
}

async function readBody(request, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (!url.pathname.startsWith('/_remote/')) return sendError(response, 404, 'not_found', 'no such path');
  const id = url.pathname.slice('/_remote/'.length);
  const fn = functions[id];
  if (!fn) return sendError(response, 404, 'not_found', `no remote function named '${id}'`);
  const allowed = fn.kind === 'command' ? ['POST'] : ['GET', 'POST'];
  if (!allowed.includes(request.method)) {
    response.setHeader('Allow', allowed.join(', '));
    return sendError(response, 405, 'unimplemented', 'method not allowed');
  }
  let text;
  if (request.method === 'POST') {
    text = await readBody(request, 1 << 20);
    if (text === null) return sendError(response, 413, 'resource_exhausted', 'body too large');
  } else {
    text = url.searchParams.get('args') ?? 'null';
  }
  let argsValue;
  try {
    argsValue = text.length === 0 ? null : JSON.parse(text);
  } catch {
    return sendError(response, 400, 'invalid_argument', 'the body is not valid JSON');
  }
  if (fn.kind !== 'stream') {
    try {
      return sendJSON(response, 200, await fn.call(argsValue));
    } catch {
      return sendError(response, 500, 'internal', 'internal error');
    }
  }
  const lastEventId = request.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? undefined;
  const controller = new AbortController();
  response.on('close', () => controller.abort());
  response.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store, no-transform',
    'X-Accel-Buffering': 'no',
  });
  response.write('retry: 250\n\n');
  const heartbeat = setInterval(() => response.write(':\n\n'), 15000);
  try {
    for await (const { value, cursor } of fn.call(argsValue, lastEventId, controller.signal)) {
      if (controller.signal.aborted) break;
      const frame = `event: next\n${cursor !== undefined ? `id: ${cursor}\n` : ''}data: ${JSON.stringify(value)}\n\n`;
      if (!response.write(frame)) await once(response, 'drain');
    }
    if (!controller.signal.aborted) response.end('event: end\ndata: null\n\n');
  } catch {
    if (!controller.signal.aborted) {
      response.end('event: error\ndata: {"code":"internal","message":"internal error"}\n\n');
    }
  } finally {
    clearInterval(heartbeat);
  }
});

server.keepAliveTimeout = 60000;
server.listen(port, host, () => {
  const address = server.address();
  console.log(`listening on ${address.address}:${address.port}`);
});
