// Node anchor for the live-query benchmark: the same endpoints and wire format as the Swift demo
// for what the benchmark uses (sessions.create, participants.join, participants.stream,
// participants.streamPolling, /metrics), with the same design as RemoteFunctionsLive: one shared
// evaluation per change, serialised once and written to every subscriber; a subscriber whose
// socket is full keeps only the newest frame (.latest). Data lives in memory (Node 20 has no
// built-in SQLite), so its "read" is cheaper than the Swift server's SQLite read.
//
// node node-anchor.mjs PORT
import http from 'node:http';

const port = Number(process.argv[2] ?? 8090);
const sessions = new Map(); // code -> { participants: [], subscribers: Set }
let nextID = 1;
let evaluations = 0;

function update(session) {
  evaluations++;
  const participants = session.participants.slice(-500);
  const byStatus = { active: 0, idle: 0, away: 0 };
  for (const p of session.participants) byStatus[p.status]++;
  return { participants, stats: { byStatus, total: session.participants.length }, timestamp: new Date().toISOString() };
}
const frame = (value) => `event: next\ndata: ${JSON.stringify(value)}\n\n`;

function send(subscriber, text) {
  if (subscriber.blocked) { subscriber.pending = text; return; } // .latest: keep the newest only
  if (!subscriber.res.write(text)) {
    subscriber.blocked = true;
    subscriber.res.once('drain', () => {
      subscriber.blocked = false;
      const pending = subscriber.pending;
      subscriber.pending = null;
      if (pending) send(subscriber, pending);
    });
  }
}

function publish(session) {
  const text = frame(update(session)); // one read, one serialisation, whatever the subscribers
  for (const subscriber of session.subscribers) send(subscriber, text);
}

function body(req) {
  return new Promise((resolve) => { let text = ''; req.on('data', (c) => text += c); req.on('end', () => resolve(text ? JSON.parse(text) : null)); });
}
function json(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/metrics') {
    res.end(`# TYPE remote_live_evaluations_total counter\nremote_live_evaluations_total{function="participants.stream"} ${evaluations}\n`);
    return;
  }
  const id = url.pathname.replace('/_remote/', '');
  if (id === 'sessions.create') {
    const args = await body(req);
    const code = Math.random().toString(36).slice(2, 8).toUpperCase();
    sessions.set(code, { participants: [], subscribers: new Set() });
    json(res, 200, { code, name: args.name, createdAt: new Date().toISOString() });
    return;
  }
  if (id === 'participants.join') {
    const args = await body(req);
    const session = sessions.get(args.sessionCode);
    if (!session) { json(res, 404, { error: { code: 'not_found', message: 'no such session' } }); return; }
    const participant = { id: nextID++, joinedAt: new Date().toISOString(), name: args.name, status: 'active' };
    session.participants.push(participant);
    json(res, 200, participant);
    publish(session); // after the "commit"
    return;
  }
  if (id === 'participants.stream' || id === 'participants.streamPolling') {
    const args = JSON.parse(url.searchParams.get('args') ?? 'null');
    const session = sessions.get(args?.sessionCode);
    if (!session) { json(res, 404, { error: { code: 'not_found', message: 'no such session' } }); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store, no-transform' });
    res.write('retry: 250\n\n');
    const subscriber = { res, blocked: false, pending: null };
    if (id === 'participants.stream') {
      session.subscribers.add(subscriber);
      send(subscriber, frame(update(session)));
      req.on('close', () => session.subscribers.delete(subscriber));
    } else {
      const poll = () => send(subscriber, frame(update(session))); // one read per subscriber per second
      poll();
      const timer = setInterval(poll, 1000);
      req.on('close', () => clearInterval(timer));
    }
    return;
  }
  json(res, 404, { error: { code: 'not_found', message: 'no such function' } });
}).listen(port, '127.0.0.1', () => console.log(`node anchor listening on ${port}`));
