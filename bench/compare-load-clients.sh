#!/usr/bin/env bash
# Checks the C load clients against the Node ones on the SAME server process, alternating
# C, Node, C, Node… (ROUNDS rounds), so that both see the same server and about the same machine load.
#
#   bench/compare-load-clients.sh fanout   remote-bench-server, SUBSCRIBERS (2000) × EVENTS (200)
#   bench/compare-load-clients.sh live     live-sessions serve (SERVER=node: bench/live/node-anchor.mjs),
#                                          SUBSCRIBERS (10000) × CHANGES (20), FUNCTION
#                                          (participants.stream), SLOW (0); a fresh session per run
#
# Counts must match exactly; latencies are expected to be lower or equal with the C client. RSS figures
# after the first run are not meaningful (the server has already grown); bench/runtime.sh and
# bench/live.sh measure those with a fresh server. Needs the release builds of remote-bench-server and
# live-sessions (swift build -c release --product …).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-fanout}"
ROUNDS="${ROUNDS:-2}"
WORK=$(mktemp -d)
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cc -O2 -Wall -Wextra -Werror -o "$WORK/fanout-client" bench/runtime/fanout-client.c
cc -O2 -Wall -Wextra -Werror -o "$WORK/sse-load" bench/live/sse-load.c

case "$MODE" in
fanout)
    SUBSCRIBERS="${SUBSCRIBERS:-2000}" EVENTS="${EVENTS:-200}"
    .build/release/remote-bench-server --port 0 > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.05; done
    PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$WORK/server.log")
    for round in $(seq 1 "$ROUNDS"); do
        for client in c node; do
            if [ "$client" = c ]; then command=("$WORK/fanout-client" --stats); else command=(node bench/runtime/fanout-client.mjs); fi
            printf '%-5s round %s load %s: ' "$client" "$round" "$(cut -d' ' -f1 /proc/loadavg)"
            /usr/bin/time -f 'client CPU %U+%S s, %w voluntary context switches (wake-ups)' "${command[@]}" --port "$PORT" --pid "$SERVER_PID" \
                --subscribers "$SUBSCRIBERS" --events "$EVENTS" 2> "$WORK/stderr" || true
            sed 's/^/      /' "$WORK/stderr"
        done
    done
    ;;
live)
    SUBSCRIBERS="${SUBSCRIBERS:-10000}" CHANGES="${CHANGES:-20}" FUNCTION="${FUNCTION:-participants.stream}"
    PORT=18187
    mkdir "$WORK/data"
    if [ "${SERVER:-swift}" = node ]; then
        node bench/live/node-anchor.mjs "$PORT" > /dev/null 2>&1 &
    else
        .build/release/live-sessions serve --port "$PORT" --data "$WORK/data" > /dev/null 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 1 200); do curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics" && break; sleep 0.05; done
    for round in $(seq 1 "$ROUNDS"); do
        for client in c node; do
            if [ "$client" = c ]; then command=("$WORK/sse-load" --stats); else command=(node bench/live/sse-load.mjs); fi
            code=$(curl -s -X POST -H 'content-type: application/json' -d '{"name":"bench"}' \
                "http://127.0.0.1:$PORT/_remote/sessions.create" | sed -n 's/.*"code":"\([A-Z0-9]*\)".*/\1/p')
            printf '%-5s round %s load %s: ' "$client" "$round" "$(cut -d' ' -f1 /proc/loadavg)"
            /usr/bin/time -f 'client CPU %U+%S s, %w voluntary context switches (wake-ups)' "${command[@]}" --url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" \
                --function "$FUNCTION" --session "$code" --subscribers "$SUBSCRIBERS" --changes "$CHANGES" \
                --slow "${SLOW:-0}" 2> "$WORK/stderr" || true
            sed 's/^/      /' "$WORK/stderr"
        done
    done
    ;;
*) echo "usage: bench/compare-load-clients.sh fanout|live" >&2; exit 2 ;;
esac
