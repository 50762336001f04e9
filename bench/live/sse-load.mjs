// Load client for the live-query benchmark: N subscribers on one participants stream of one
// session, M changes (participants.join), measuring change→receive latency at every subscriber,
// server RSS per subscriber and CPU per delivered event (read from /proc/PID of the server).
//
// node sse-load.mjs --url http://127.0.0.1:8080 --pid 1234 --function participants.stream \
//     --session ABC234 --subscribers 10000 --changes 20 [--slow 1] [--pause-ms 300]
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';

const options = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []));
const base = new URL(options.url ?? 'http://127.0.0.1:8080');
const pid = Number(options.pid);
const fn = options.function ?? 'participants.stream';
const session = options.session;
const subscribers = Number(options.subscribers ?? 10000);
const changes = Number(options.changes ?? 20);
const slowCount = Number(options.slow ?? 0);
const pauseMs = Number(options['pause-ms'] ?? 300);
const runID = Math.random().toString(36).slice(2, 8);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function residentKiB() {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}
function cpuSeconds() {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
}
function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent,
      headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} },
      (res) => { let text = ''; res.setEncoding('utf8'); res.on('data', (c) => text += c);
        res.on('end', () => resolve({ status: res.statusCode, text })); });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
async function metric(name) {
  const { text } = await request('GET', '/metrics');
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name)) total += Number(line.split(' ').pop());
  }
  return total;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const streamPath = `/_remote/${fn}?args=${encodeURIComponent(JSON.stringify({ sessionCode: session }))}`;

// Subscribers: each remembers the time it first saw the current marker.
let marker = null;
let markerSentAt = 0;
let seen = 0;
let onAllSeen = null;
const latencies = [];
let events = 0;
const connections = [];

function subscribe() {
  return new Promise((resolve, reject) => {
    const state = { tail: '', sawMarker: null, opened: false };
    const req = http.request({ host: base.hostname, port: base.port, path: streamPath, agent,
      headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`status ${res.statusCode}`)); return; }
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const text = state.tail + chunk;
        if (!state.opened && text.includes('event: next')) { state.opened = true; resolve(); }
        // Count frames whose marker ends in the new chunk (the tail was scanned before).
        let index = text.indexOf('event: next');
        while (index !== -1) {
          if (index + 11 > state.tail.length) events++;
          index = text.indexOf('event: next', index + 1);
        }
        if (marker && state.sawMarker !== marker && text.includes(marker)) {
          state.sawMarker = marker;
          latencies.push(performance.now() - markerSentAt);
          if (++seen === subscribers && onAllSeen) onAllSeen();
        }
        state.tail = text.slice(-64);
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end();
    connections.push(req);
  });
}

// A subscriber that never reads: a raw socket that sends its request and then pauses.
function slowSubscriber() {
  const socket = net.connect({ host: base.hostname, port: Number(base.port) });
  socket.write(`GET ${streamPath} HTTP/1.1\r\nHost: ${base.host}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause();
  return socket;
}

const rssBefore = residentKiB();
for (let i = 0; i < subscribers; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, subscribers - i) }, subscribe));
}
await sleep(1000);
const rssAfter = residentKiB();
const slow = Array.from({ length: slowCount }, slowSubscriber);
await sleep(200);

const evaluationsBefore = await metric('remote_live_evaluations_total');
const cpuBefore = cpuSeconds();
const eventsBefore = events;
const started = performance.now();
let missing = 0;
for (let k = 1; k <= changes; k++) {
  seen = 0;
  const name = `bench-${runID}-${k}`;
  markerSentAt = performance.now();
  marker = `"${name}"`;
  const allSeen = new Promise((resolve) => { onAllSeen = resolve; });
  const response = await request('POST', '/_remote/participants.join', { sessionCode: session, name });
  if (response.status !== 200) throw new Error(`join failed: ${response.status} ${response.text}`);
  const timedOut = await Promise.race([allSeen.then(() => false), sleep(15000).then(() => true)]);
  if (timedOut) missing += subscribers - seen;
  await sleep(pauseMs);
}
const elapsed = (performance.now() - started) / 1000;
const cpu = cpuSeconds() - cpuBefore;
const delivered = events - eventsBefore;
const evaluations = (await metric('remote_live_evaluations_total')) - evaluationsBefore;

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * p) - 1)];
const result = {
  function: fn, subscribers, changes, slow: slowCount,
  p50_ms: +pct(0.5).toFixed(2), p99_ms: +pct(0.99).toFixed(2), max_ms: +latencies.at(-1).toFixed(2),
  missed: missing,
  evaluations_per_change: +(evaluations / changes).toFixed(2),
  // The polling stream reads once a second per subscriber whatever happens: derived, not counted.
  polling_reads_per_change: fn.endsWith('Polling') ? +(subscribers * elapsed / changes).toFixed(0) : undefined,
  rss_kib_per_subscriber: +((rssAfter - rssBefore) / subscribers).toFixed(2),
  events_delivered: delivered, seconds: +elapsed.toFixed(1),
  cpu_us_per_event: +(cpu * 1e6 / Math.max(delivered, 1)).toFixed(1),
};
console.log(JSON.stringify(result));
for (const socket of slow) socket.destroy();
for (const req of connections) req.destroy();
process.exit(0);
