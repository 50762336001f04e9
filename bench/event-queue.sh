#!/usr/bin/env bash
# epoll vs poll(2) (issue 8), measured in one run with the same http-bench binary:
#   - GET /hello req/s with `wrk -t1 -c64 -d5s`;
#   - resident memory per idle SSE stream (bench/idle-memory.py, 1 000 streams);
#   - the cost of a wake-up with 1 000 idle streams open: the mean round trip of GET /hello on one
#     connection (`wrk -t1 -c1 -d5s`) while 1 000 idle SSE streams are registered with the same loop.
#     With poll(2) every wake-up scans every registered descriptor, so this is where its cost shows.
# Usage: bench/event-queue.sh   (builds http-bench in release first)
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
swift build -c release --product http-bench 2>&1 | tail -1
bin=.build/release/http-bench

echo "## epoll vs poll(2): http-bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| backend | GET /hello req/s (wrk -c64) | RSS per idle SSE stream | /hello round trip with 1 000 idle streams (wrk -c1, mean) |"
echo "|---|---:|---:|---:|"
for kind in epoll poll; do
    log=$(mktemp)
    "$bin" --port 0 --loops 1 --event-queue "$kind" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
    address=$(sed -n 's/^listening on //p' "$log")
    rps=$(wrk -t1 -c64 -d5s "http://$address/hello" | awk '/Requests\/sec/ {print $2}')
    # Hold 1 000 idle SSE streams open on this server while measuring one connection's round trip.
    ready=$(mktemp -u)
    python3 - "$address" "$ready" <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
streams = []
for _ in range(1000):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /ticks?count=1&interval_ms=3600000 HTTP/1.1\r\nHost: x\r\n\r\n")
    streams.append(s)
for s in streams:
    s.recv(4096)
open(sys.argv[2], "w").close()
time.sleep(30)
PY
    holder=$!
    for _ in $(seq 600); do [ -e "$ready" ] && break; sleep 0.05; done
    latency=$(wrk -t1 -c1 -d5s --latency "http://$address/hello" | awk '/^    Latency/ {print $2}')
    kill "$holder" 2>/dev/null || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
    memory=$(python3 bench/idle-memory.py --server "$bin" --kind sse --count 1000 --repeat 1 -- --event-queue "$kind" | tail -1)
    echo "| $kind | $rps | $memory | $latency |"
    rm -f "$log" "$ready"
done
