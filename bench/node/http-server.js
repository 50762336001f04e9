#!/usr/bin/env node
// The Node.js peer of `http-bench`: the same three routes on Node's built-in `http` module, so that
// bench/http.sh can compare the two in one run.
//
//   node bench/node/http-server.js [--host 127.0.0.1] [--port 0]
//
// Prints `listening on HOST:PORT` once bound (port 0 picks a free port).
//   GET  /hello                          -> {"message":"Hello, World!"}
//   POST /echo                           -> the request body, with the request's content type
//   GET  /ticks?count=N&interval_ms=M    -> SSE: N x (event: next / data: {"i":k}), then event: end / data: null;
//                                           with M = 0 it writes as fast as backpressure ('drain') allows.
'use strict';

const http = require('node:http');

const options = { host: '127.0.0.1', port: 8080 };
const args = process.argv.slice(2);
for (let index = 0; index < args.length; index += 2) {
  const [name, value] = [args[index], args[index + 1]];
  if (value === undefined) fail(`missing value for ${name}`);
  if (name === '--host') options.host = value;
  else if (name === '--port') {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port ${value}`);
    options.port = port;
  } else fail(`unknown option ${name}`);
}

function fail(message) {
  process.stderr.write(`http-server.js: ${message}\n`);
  process.exit(2);
}

const helloBody = Buffer.from('{"message":"Hello, World!"}');
const maxEchoBytes = 1 << 20;

function respond(response, status, contentType, body) {
  response.writeHead(status, { 'content-type': contentType, 'content-length': body.length });
  response.end(body);
}

function echo(request, response) {
  const chunks = [];
  let length = 0;
  let tooLarge = false;
  request.on('data', (chunk) => {
    if (tooLarge) return;
    length += chunk.length;
    if (length > maxEchoBytes) {
      tooLarge = true;
      response.setHeader('connection', 'close');
      respond(response, 413, 'text/plain', Buffer.from('Payload too large\n'));
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (tooLarge) return;
    const contentType = request.headers['content-type'] || 'application/octet-stream';
    respond(response, 200, contentType, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
  });
}

/// Resolves when the response can take more data ('drain') or the client has gone ('close').
function writable(response) {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function ticks(url, response) {
  const count = url.searchParams.has('count') ? Number(url.searchParams.get('count')) : 10;
  const interval = url.searchParams.has('interval_ms') ? Number(url.searchParams.get('interval_ms')) : 0;
  if (!Number.isInteger(count) || !Number.isInteger(interval) || count < 0 || interval < 0) {
    respond(response, 400, 'text/plain', Buffer.from('Bad query\n'));
    return;
  }
  let closed = false;
  response.on('close', () => { closed = true; });
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let index = 0; index < count; index++) {
    if (closed) return;
    if (!response.write(`event: next\ndata: {"i":${index}}\n\n`)) await writable(response);
    if (interval > 0) await sleep(interval);
  }
  if (closed) return;
  response.end('event: end\ndata: null\n\n');
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  const route = `${request.method} ${url.pathname}`;
  if (route === 'GET /hello' || route === 'HEAD /hello') {
    respond(response, 200, 'application/json', helloBody);
  } else if (route === 'POST /echo') {
    echo(request, response);
  } else if (route === 'GET /ticks') {
    ticks(url, response).catch((error) => response.destroy(error));
  } else {
    respond(response, 404, 'text/plain', Buffer.from('Not found\n'));
  }
});

server.on('error', (error) => fail(error.message));
server.listen(options.port, options.host, () => {
  const address = server.address();
  process.stdout.write(`listening on ${address.address}:${address.port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
