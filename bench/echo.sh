#!/usr/bin/env bash
# Echo only: remote-bench-server (Swift) against the Node.js peer (bench/runtime/node-server.mjs),
# alternated ROUNDS times in one run (Swift, Node, Swift, Node, …) so both see the same machine load.
# Each measurement is `wrk -t1 -c64 -d$DURATION` POSTing {"n":1} to /_remote/bench.echo after a 1 s
# warm-up, on a freshly started server. Prints one line per measurement, then the medians and ratio.
# Usage: bench/echo.sh        (ROUNDS=2, DURATION=5s override; SKIP_BUILD=1 uses the existing build;
#        BASELINE=path/to/another/remote-bench-server adds it to each round as "baseline", for A/B runs)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5s}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true' EXIT

for tool in wrk node; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

if [[ -z "${SKIP_BUILD:-}" ]]; then
    echo "building remote-bench-server (release)…" >&2
    swift build -c release --product remote-bench-server >&2
fi
SWIFT_SERVER=(.build/release/remote-bench-server --port 0)
NODE_SERVER=(node bench/runtime/node-server.mjs --port 0)

cat > "$WORK/echo.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"n":1}'
wrk.headers["Content-Type"] = "application/json"
LUA

start_server() {
    # A fresh log per server: a reused one could still show the previous server's port.
    LOG=$(mktemp -p "$WORK" server.XXXXXX)
    "$@" > "$LOG" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
        if grep -q "listening on" "$LOG"; then
            PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$LOG")
            return
        fi
        sleep 0.05
    done
    echo "server did not start: $(cat "$LOG")" >&2
    exit 1
}

# utime + stime of a process, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
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
    local url="http://127.0.0.1:$PORT/_remote/bench.echo"
    wrk -t1 -c64 -d1s -s "$WORK/echo.lua" "$url" > /dev/null
    local output rps requests cpu_before cpu_after cpu_us
    cpu_before=$(cpu_ticks "$SERVER_PID")
    output=$(wrk -t1 -c64 -d"$DURATION" -s "$WORK/echo.lua" "$url")
    cpu_after=$(cpu_ticks "$SERVER_PID")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$output")
    requests=$(awk '/requests in/ {print $1}' <<< "$output")
    # Server CPU time (user + system) per request, in µs: less sensitive to other load than req/s.
    cpu_us=$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.2f", (b - a) / hz * 1e6 / n }')
    if grep -q 'Non-2xx' <<< "$output"; then
        echo "$name: non-2xx responses" >&2
        exit 1
    fi
    stop_server
    echo "$name $rps" >> "$WORK/results.txt"
    echo "$(date -u +%H:%M:%S) $name echo $rps req/s, server CPU $cpu_us µs/request (load $(cut -d' ' -f1-3 /proc/loadavg))"
}

echo "start $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $(uptime)"
for _ in $(seq 1 "$ROUNDS"); do
    measure swift "${SWIFT_SERVER[@]}"
    measure node "${NODE_SERVER[@]}"
    if [[ -n "${BASELINE:-}" ]]; then measure baseline "$BASELINE" --port 0; fi
done
echo "end   $(date -u '+%H:%M:%S') UTC, $(uptime)"

awk '
    { values[$1] = values[$1] " " $2; all[$1, ++count[$1]] = $2 }
    END {
        for (name in count) {
            n = count[name]
            for (i = 1; i <= n; i++) sorted[i] = all[name, i]
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
            median[name] = n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
            printf "%s:%s (median %.0f)\n", name, values[name], median[name]
        }
        if (median["node"] > 0) printf "ratio swift/node (medians): %.2fx\n", median["swift"] / median["node"]
        if (median["node"] > 0 && median["baseline"] > 0) printf "ratio baseline/node (medians): %.2fx\n", median["baseline"] / median["node"]
    }' "$WORK/results.txt"
