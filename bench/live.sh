#!/usr/bin/env bash
# Live-query benchmarks (issue 5). Prints figures; docs/BENCHMARKS.md records them.
#
#   bench/live.sh              both parts below
#   bench/live.sh inprocess    RemoteFunctionsLive alone
#   bench/live.sh http         the demo server over HTTP, against participants.streamPolling and Node
#
# In-process: SUBSCRIBERS (10 000) subscribers share one live query; CHANGES (50) changes, each
# awaited by every subscriber before the next. Reports evaluations per change, change→receive
# p50/p99, memory per subscriber and CPU per delivered event, then the same with one subscriber that
# never reads, and how much it moves the others' p99.
#
# HTTP: a fresh `live-sessions serve` (release build) per run, SUBSCRIBERS SSE subscribers on one
# session, CHANGES joins, measured by the load client bench/live/sse-load.c (C, epoll, about 1 µs of
# CPU per received event; built here with cc). LOAD_CLIENT=node uses bench/live/sse-load.mjs instead
# (same output, but 10–20 µs of CPU per event on the same cores as the server, which then dominates
# the tail). Runs: participants.stream,
# participants.stream with one raw-socket subscriber that never reads, participants.streamPolling,
# and the Node anchor (bench/live/node-anchor.mjs) with and without the slow subscriber.
set -euo pipefail
cd "$(dirname "$0")/.."

SUBSCRIBERS="${SUBSCRIBERS:-10000}"
CHANGES="${CHANGES:-50}"
PART="${1:-all}"
LOAD_CLIENT="${LOAD_CLIENT:-c}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

inprocess() {
    echo "== building the in-process benchmark (release)"
    (cd bench/live/inprocess && swift build -c release 2>&1 | tail -1)
    local bin=bench/live/inprocess/.build/release/live-inprocess-bench
    echo "== in-process"
    local plain slow
    plain=$("$bin" "$SUBSCRIBERS" "$CHANGES")
    echo "$plain" | head -1
    slow=$("$bin" "$SUBSCRIBERS" "$CHANGES" slow)
    echo "$slow" | head -1
    awk -v a="$(echo "$plain" | sed -n 's/^p99_ms=//p')" -v b="$(echo "$slow" | sed -n 's/^p99_ms=//p')" \
        'BEGIN { printf "one slow subscriber moves the others'"'"' p99 by %+.1f %% (%.1f ms -> %.1f ms)\n", (b / a - 1) * 100, a, b }'
}

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT

build_load_client() {
    case "$LOAD_CLIENT" in
    c)
        command -v cc >/dev/null || { echo "missing tool: cc (or run with LOAD_CLIENT=node)" >&2; exit 1; }
        cc -O2 -Wall -Wextra -Werror -o "$WORK/sse-load" bench/live/sse-load.c
        SSE_LOAD=("$WORK/sse-load")
        ;;
    node) SSE_LOAD=(node bench/live/sse-load.mjs) ;;
    *) echo "LOAD_CLIENT must be c or node" >&2; exit 2 ;;
    esac
    echo "== load client: ${SSE_LOAD[*]}"
}

wait_listening() { # port
    for _ in $(seq 1 200); do
        if curl -s -o /dev/null "http://127.0.0.1:$1/metrics"; then return 0; fi
        sleep 0.05
    done
    echo "server on port $1 did not start" >&2
    return 1
}

create_session() { # port
    curl -s -X POST -H 'content-type: application/json' -d '{"name":"bench"}' \
        "http://127.0.0.1:$1/_remote/sessions.create" | sed -n 's/.*"code":"\([A-Z0-9]*\)".*/\1/p'
}

run_load() { # label port function slow
    local code
    code=$(create_session "$2")
    printf '%-44s ' "$1"
    "${SSE_LOAD[@]}" --url "http://127.0.0.1:$2" --pid "$SERVER_PID" --function "$3" \
        --session "$code" --subscribers "$SUBSCRIBERS" --changes "$CHANGES" --slow "$4"
}

http() {
    build_load_client
    echo "== building live-sessions (release)"
    swift build -c release --product live-sessions 2>&1 | tail -1
    local bin=.build/release/live-sessions port=18181 data
    for run in "participants.stream 0" "participants.stream 1" "participants.streamPolling 0"; do
        set -- $run
        data=$(mktemp -d)
        "$bin" serve --port "$port" --data "$data" >/dev/null 2>&1 &
        SERVER_PID=$!
        wait_listening "$port"
        run_load "swift $1 slow=$2" "$port" "$1" "$2"
        stop_server
        rm -rf "$data"
    done
    for run in "participants.stream 0" "participants.stream 1" "participants.streamPolling 0"; do
        set -- $run
        node bench/live/node-anchor.mjs "$port" >/dev/null &
        SERVER_PID=$!
        wait_listening "$port"
        run_load "node $1 slow=$2" "$port" "$1" "$2"
        stop_server
    done
}

case "$PART" in
inprocess) inprocess ;;
http) http ;;
all) inprocess; http ;;
*) echo "usage: bench/live.sh [inprocess|http|all]" >&2; exit 2 ;;
esac
