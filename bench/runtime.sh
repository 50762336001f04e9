#!/usr/bin/env bash
# Runtime benchmark: remote-bench-server (Swift) against the Node.js peer (bench/runtime/node-server.mjs),
# measured in one run with the same tools:
#   echo     wrk -t1 -c64 -d5s, POST {"n":1} to bench.echo                      (requests/s)
#   ticks    one curl -N stream of 100 000 bench.ticks with intervalMs 0         (seconds)
#   fan-out  2 000 bench.fanout subscribers, 1 000 bench.publish events          (total, p50, p99, RSS)
# The fan-out load client is bench/runtime/fanout-client.c (C, epoll, about 1 µs of CPU per received
# event), built here with cc; LOAD_CLIENT=node uses bench/runtime/fanout-client.mjs instead (same output,
# but 10–20 µs of CPU per event on the same cores as the server, which then dominates the tail).
# Usage: bench/runtime.sh            (SUBSCRIBERS, EVENTS, TICKS, DURATION override the sizes)
set -euo pipefail
cd "$(dirname "$0")/.."

SUBSCRIBERS=${SUBSCRIBERS:-2000}
EVENTS=${EVENTS:-1000}
TICKS=${TICKS:-100000}
DURATION=${DURATION:-5s}
LOAD_CLIENT=${LOAD_CLIENT:-c}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true' EXIT

for tool in wrk curl node; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
ulimit -n 20000 2>/dev/null || true

case "$LOAD_CLIENT" in
c)
    command -v cc >/dev/null || { echo "missing tool: cc (or run with LOAD_CLIENT=node)" >&2; exit 1; }
    cc -O2 -Wall -Wextra -Werror -o "$WORK/fanout-client" bench/runtime/fanout-client.c
    FANOUT_CLIENT=("$WORK/fanout-client")
    ;;
node) FANOUT_CLIENT=(node bench/runtime/fanout-client.mjs) ;;
*) echo "LOAD_CLIENT must be c or node" >&2; exit 2 ;;
esac
echo "fan-out load client: ${FANOUT_CLIENT[*]}" >&2

echo "building remote-bench-server (release)…" >&2
swift build -c release --product remote-bench-server >&2
SWIFT_SERVER=(.build/release/remote-bench-server --port 0)
NODE_SERVER=(node bench/runtime/node-server.mjs --port 0)

cat > "$WORK/echo.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"n":1}'
wrk.headers["Content-Type"] = "application/json"
LUA

start_server() {
    "$@" > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
        if grep -q "listening on" "$WORK/server.log"; then
            PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/server.log")
            return
        fi
        sleep 0.05
    done
    echo "server did not start: $(cat "$WORK/server.log")" >&2
    exit 1
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

measure() {
    local name=$1
    shift
    start_server "$@"
    local url="http://127.0.0.1:$PORT"

    # Warm up, then echo.
    wrk -t1 -c64 -d1s -s "$WORK/echo.lua" "$url/_remote/bench.echo" > /dev/null
    local echo_rps
    echo_rps=$(wrk -t1 -c64 -d"$DURATION" -s "$WORK/echo.lua" "$url/_remote/bench.echo" | awk '/Requests\/sec/ {print $2}')

    # Ticks.
    local started ended ticks_received ticks_seconds
    started=$(date +%s%N)
    curl -sN -G "$url/_remote/bench.ticks" -H 'Accept: text/event-stream' \
        --data-urlencode "args={\"count\":$TICKS,\"intervalMs\":0}" -o "$WORK/ticks.txt"
    ended=$(date +%s%N)
    ticks_received=$(grep -c '^event: next$' "$WORK/ticks.txt" || true)
    grep -q '^event: end$' "$WORK/ticks.txt" || { echo "$name: ticks stream did not end" >&2; exit 1; }
    [[ "$ticks_received" == "$TICKS" ]] || { echo "$name: $ticks_received of $TICKS ticks" >&2; exit 1; }
    ticks_seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')

    # Fan-out.
    local fanout
    fanout=$("${FANOUT_CLIENT[@]}" --port "$PORT" --pid "$SERVER_PID" \
        --subscribers "$SUBSCRIBERS" --events "$EVENTS")
    stop_server

    echo "$name $echo_rps $ticks_seconds $fanout" >> "$WORK/results.txt"
    echo "$name: echo $echo_rps req/s, $TICKS ticks in ${ticks_seconds}s, fan-out $fanout" >&2
}

measure swift "${SWIFT_SERVER[@]}"
measure node "${NODE_SERVER[@]}"

node - "$WORK/results.txt" "$TICKS" "$SUBSCRIBERS" "$EVENTS" <<'JS'
const fs = require('fs');
const [file, ticks, subscribers, events] = process.argv.slice(2);
const rows = {};
for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
  const [name, echo, ticksSeconds, ...rest] = line.split(' ');
  rows[name] = { echo: Number(echo), ticks: Number(ticksSeconds), fanout: JSON.parse(rest.join(' ')) };
}
const s = rows.swift, n = rows.node;
const ratio = (a, b) => (a / b).toFixed(2) + '×';
console.log(`| measure | Swift (remote-bench-server) | Node 20 (node-server.mjs) | Swift vs Node |`);
console.log(`|---|---|---|---|`);
console.log(`| echo, wrk -t1 -c64 (req/s) | ${s.echo.toFixed(0)} | ${n.echo.toFixed(0)} | ${ratio(s.echo, n.echo)} |`);
console.log(`| ${ticks} ticks, one stream (s) | ${s.ticks} | ${n.ticks} | ${ratio(n.ticks, s.ticks)} faster |`);
console.log(`| fan-out ${events} events → ${subscribers} subscribers, total (ms) | ${s.fanout.totalMs} | ${n.fanout.totalMs} | ${ratio(n.fanout.totalMs, s.fanout.totalMs)} faster |`);
console.log(`| fan-out publish→receive p50 (ms) | ${s.fanout.p50Ms} | ${n.fanout.p50Ms} | |`);
console.log(`| fan-out publish→receive p99 (ms) | ${s.fanout.p99Ms} | ${n.fanout.p99Ms} | |`);
console.log(`| RSS with ${subscribers} idle subscribers (KiB) | ${s.fanout.rssIdleKiB} (from ${s.fanout.rssBeforeKiB}) | ${n.fanout.rssIdleKiB} (from ${n.fanout.rssBeforeKiB}) | |`);
console.log(`| RSS per idle subscriber (KiB) | ${s.fanout.rssPerSubscriberKiB} | ${n.fanout.rssPerSubscriberKiB} | |`);
console.log(`| deliveries received / expected | ${s.fanout.received} / ${subscribers * events} | ${n.fanout.received} / ${subscribers * events} | |`);
JS
