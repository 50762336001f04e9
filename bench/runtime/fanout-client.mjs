// Fan-out load generator for bench.fanout / bench.publish (docs/PROTOCOL.md), on raw sockets.
//
//   node bench/runtime/fanout-client.mjs --host 127.0.0.1 --port PORT --pid SERVER_PID \
//        [--subscribers 2000] [--events 1000]
//
// Opens N subscribers (one HTTP/1.1 connection each), waits until the server reports all of them
// subscribed, reads the server's RSS with the subscribers idle, then publishes E events one after
// another (each publish waits for its response) and measures, for every (subscriber, event) pair,
// the time from publish to receive. Prints one JSON object.
import net from 'node:net';
import http from 'node:http';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const host = option('--host', '127.0.0.1');
const port = Number(option('--port'));
const pid = option('--pid');
const subscriberCount = Number(option('--subscribers', '2000'));
const eventCount = Number(option('--events', '1000'));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rssKiB = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
};

const latencies = new Float64Array(subscriberCount * eventCount);
let latencyCount = 0;
let lastReceive = 0;
let allReceived = null;
let errors = 0;

class Subscriber {
  constructor() {
    this.received = 0;
    this.raw = Buffer.alloc(0);
    this.headDone = false;
    this.sse = '';
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = net.connect({ host, port }, () => {
        this.socket.write(
          `GET /_remote/bench.fanout HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      });
      this.socket.setNoDelay(true);
      this.opened = resolve;
      this.socket.on('data', (chunk) => this.onData(chunk));
      this.socket.on('error', (error) => { errors++; reject(error); });
    });
  }

  onData(chunk) {
    this.raw = this.raw.length === 0 ? chunk : Buffer.concat([this.raw, chunk]);
    if (!this.headDone) {
      const end = this.raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.raw.subarray(0, end).toString('latin1');
      if (!head.startsWith('HTTP/1.1 200')) { errors++; this.socket.destroy(); return; }
      this.chunked = /transfer-encoding:\s*chunked/i.test(head);
      this.raw = this.raw.subarray(end + 4);
      this.headDone = true;
    }
    // Decode chunked framing into SSE text.
    if (this.chunked) {
      while (true) {
        const lineEnd = this.raw.indexOf('\r\n');
        if (lineEnd < 0) break;
        const size = parseInt(this.raw.subarray(0, lineEnd).toString('latin1'), 16);
        if (this.raw.length < lineEnd + 2 + size + 2) break;
        this.sse += this.raw.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8');
        this.raw = this.raw.subarray(lineEnd + 2 + size + 2);
      }
    } else {
      this.sse += this.raw.toString('utf8');
      this.raw = Buffer.alloc(0);
    }
    let boundary;
    while ((boundary = this.sse.indexOf('\n\n')) >= 0) {
      const frame = this.sse.slice(0, boundary);
      this.sse = this.sse.slice(boundary + 2);
      this.onFrame(frame);
    }
  }

  onFrame(frame) {
    if (frame.startsWith('retry:')) {
      this.opened?.();
      this.opened = null;
      return;
    }
    if (!frame.startsWith('event: next')) return;
    const dataStart = frame.indexOf('data: ');
    const value = JSON.parse(frame.slice(dataStart + 6));
    if (value.probe) return;
    const now = performance.now();
    latencies[latencyCount++] = now - value.t;
    lastReceive = now;
    this.received++;
    if (latencyCount === subscriberCount * eventCount) allReceived?.();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function publish(object) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(object);
    const request = http.request(
      { host, port, agent, method: 'POST', path: '/_remote/bench.publish',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => { text += chunk; });
        response.on('end', () => resolve(JSON.parse(text)));
      });
    request.on('error', reject);
    request.end(body);
  });
}

const rssBefore = rssKiB();
const subscribers = [];
for (let i = 0; i < subscriberCount; i += 100) {
  const batch = [];
  for (let j = i; j < Math.min(subscriberCount, i + 100); j++) {
    const subscriber = new Subscriber();
    subscribers.push(subscriber);
    batch.push(subscriber.open());
  }
  await Promise.all(batch);
}
// Every subscriber has its opening frame; wait until the server counts them all as subscribed.
for (let attempt = 0; ; attempt++) {
  const { delivered } = await publish({ probe: true });
  if (delivered >= subscriberCount) break;
  if (attempt > 200) throw new Error(`only ${delivered} of ${subscriberCount} subscribed`);
  await sleep(50);
}
await sleep(1000); // let the server settle before reading its idle RSS
const rssIdle = rssKiB();

const done = new Promise((resolve) => { allReceived = resolve; });
const start = performance.now();
for (let seq = 0; seq < eventCount; seq++) {
  await publish({ seq, t: performance.now() });
}
const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 120000));
const outcome = await Promise.race([done, timeout]);
const totalMs = lastReceive - start;

const sorted = latencies.subarray(0, latencyCount).sort();
const percentile = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
console.log(JSON.stringify({
  subscribers: subscriberCount,
  events: eventCount,
  received: latencyCount,
  complete: outcome !== 'timeout',
  errors,
  totalMs: Number(totalMs.toFixed(1)),
  p50Ms: Number(percentile(0.5).toFixed(2)),
  p99Ms: Number(percentile(0.99).toFixed(2)),
  rssBeforeKiB: rssBefore,
  rssIdleKiB: rssIdle,
  rssPerSubscriberKiB: Number(((rssIdle - rssBefore) / subscriberCount).toFixed(2)),
}));
for (const subscriber of subscribers) subscriber.socket.destroy();
agent.destroy();
process.exit(0);
