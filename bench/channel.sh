#!/usr/bin/env bash
# Channel benchmark (issue 7): STREAMS bench.ticks streams carried on CHANNELS multiplexed channels,
# against STREAMS separate SSE requests, on remote-bench-server. A fresh server per mode; reports the
# server's CPU (utime+stime from /proc/PID/stat) per delivered event and its RSS (idle, peak).
# Usage: bench/channel.sh        (STREAMS=1000 CHANNELS=10 COUNT=200 INTERVAL_MS=10 BUILD=release|debug,
#                                  NO_BUILD=1 uses the binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS=${STREAMS:-1000}
CHANNELS=${CHANNELS:-10}
COUNT=${COUNT:-200}
INTERVAL_MS=${INTERVAL_MS:-10}
BUILD=${BUILD:-release}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true; [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null || true' EXIT
command -v node >/dev/null || { echo "missing tool: node" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || true

if [ "$BUILD" = release ] && [ "${NO_BUILD:-0}" != 1 ]; then
    echo "building remote-bench-server (release)…" >&2
    swift build -c release --product remote-bench-server >&2
fi
BIN=.build/$BUILD/remote-bench-server
TICKS_PER_SECOND=$(getconf CLK_TCK)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

run_mode() {
    local mode=$1
    "$BIN" --host 127.0.0.1 --port 0 > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    local port=""
    for _ in $(seq 1 400); do
        port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/server.log")
        [ -n "$port" ] && break
        sleep 0.05   # waiting for the server's first line; not a measurement
    done
    [ -n "$port" ] || { echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }
    local idle_rss cpu_before cpu_after
    idle_rss=$(rss_kib "$SERVER_PID")
    # Peak RSS: sampled every 50 ms while the load runs.
    ( peak=0; while kill -0 "$SERVER_PID" 2>/dev/null; do
          r=$(rss_kib "$SERVER_PID" 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$WORK/peak"
          sleep 0.05
      done ) &
    SAMPLER_PID=$!
    cpu_before=$(cpu_ticks "$SERVER_PID")
    node bench/channel/load.mjs --url "http://127.0.0.1:$port" --mode "$mode" --streams "$STREAMS" \
        --channels "$CHANNELS" --count "$COUNT" --interval "$INTERVAL_MS" > "$WORK/result.json"
    cpu_after=$(cpu_ticks "$SERVER_PID")
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    node -e '
        const [result, ticks, hz, idle, peak, channels] = process.argv.slice(1);
        const r = JSON.parse(result);
        const cpuMs = Number(ticks) / Number(hz) * 1000;
        const label = r.mode === "channel" ? `${r.streams} subscriptions on ${channels} channels` : `${r.streams} SSE requests`;
        console.log(`${label.padEnd(36)} events=${r.events} ends=${r.ends} wall=${r.seconds}s ` +
          `server_cpu=${cpuMs.toFixed(0)}ms cpu_per_event=${(cpuMs * 1000 / r.events).toFixed(2)}µs ` +
          `rss_idle=${(Number(idle) / 1024).toFixed(1)}MiB rss_peak=${(Number(peak) / 1024).toFixed(1)}MiB`);
    ' "$(cat "$WORK/result.json")" "$((cpu_after - cpu_before))" "$TICKS_PER_SECOND" "$idle_rss" "$(cat "$WORK/peak" 2>/dev/null || echo 0)" "$CHANNELS"
}

echo "remote-bench-server ($BUILD): $STREAMS bench.ticks streams × $COUNT ticks, one every ${INTERVAL_MS} ms" >&2
run_mode channel
run_mode sse
