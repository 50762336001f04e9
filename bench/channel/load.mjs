// Load generator for bench/channel.sh: N `bench.ticks` streams, either on M multiplexed channels
// (PROTOCOL.md section 10) or as N separate SSE requests. Prints one JSON line:
// {"mode","streams","events","ends","seconds"}.
//
//   node bench/channel/load.mjs --url http://127.0.0.1:8080 --mode channel --streams 1000 --channels 10 \
//        --count 200 --interval 10
import http from "node:http";

const options = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, value, index, all) => (index % 2 === 0 ? [...pairs, [value.replace(/^--/, ""), all[index + 1]]] : pairs), []),
);
const url = new URL(options.url);
const mode = options.mode || "channel";
const streams = Number(options.streams || 1000);
const channels = Number(options.channels || 10);
const count = Number(options.count || 200);
const interval = Number(options.interval || 10);
const longLived = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const control = new http.Agent({ keepAlive: true, maxSockets: 16 });

let events = 0;
let ends = 0;

/** Counts `event: next` and `event: end` lines of a response, across chunk boundaries. */
function countEvents(response, onEnd) {
  let rest = "";
  response.setEncoding("utf8");
  response.on("data", (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop();
    for (const line of lines) {
      if (line === "event: next") events++;
      else if (line === "event: end") {
        ends++;
        onEnd?.();
      }
    }
  });
}

function request(method, path, { headers = {}, body, agent }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, resolve);
    req.on("error", reject);
    req.end(body);
  });
}

async function openChannel() {
  const response = await request("GET", "/_remote/_channel", { headers: { Accept: "text/event-stream" }, agent: longLived });
  if (response.statusCode !== 200) throw new Error(`channel: HTTP ${response.statusCode}`);
  response.setEncoding("utf8");
  const id = await new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk) => {
      text += chunk;
      const match = /"channel":"([0-9a-f]+)"/.exec(text);
      if (match) {
        response.off("data", onData);
        resolve(match[1]);
      }
    };
    response.on("data", onData);
    response.on("error", reject);
  });
  return { id, response };
}

async function subscribe(channel, sub) {
  const body = JSON.stringify({ sub, id: "bench.ticks", args: { count, intervalMs: interval } });
  const response = await request("POST", `/_remote/_channel/${channel}/subscribe`, {
    headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
    body,
    agent: control,
  });
  response.resume();
  if (response.statusCode !== 204) throw new Error(`subscribe: HTTP ${response.statusCode}`);
}

const start = process.hrtime.bigint();
let allEnded;
const finished = new Promise((resolve) => { allEnded = resolve; });
const checkDone = () => { if (ends === streams) allEnded(); };

if (mode === "channel") {
  const opened = await Promise.all(Array.from({ length: channels }, openChannel));
  for (const channel of opened) countEvents(channel.response, checkDone);
  const perChannel = Math.ceil(streams / channels);
  const subscribes = [];
  for (let index = 0; index < streams; index++) {
    subscribes.push(subscribe(opened[Math.floor(index / perChannel)].id, `s${index}`));
  }
  await Promise.all(subscribes);
  await finished;
  for (const channel of opened) channel.response.destroy();
} else {
  const body = JSON.stringify({ count, intervalMs: interval });
  await Promise.all(Array.from({ length: streams }, async () => {
    const response = await request("POST", "/_remote/bench.ticks", {
      headers: { Accept: "text/event-stream", "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
      body,
      agent: longLived,
    });
    if (response.statusCode !== 200) throw new Error(`stream: HTTP ${response.statusCode}`);
    countEvents(response, checkDone);
  }));
  await finished;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ mode, streams, events, ends, seconds: Number(seconds.toFixed(3)) }));
control.destroy();
longLived.destroy();
