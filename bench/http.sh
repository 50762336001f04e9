#!/usr/bin/env bash
# Benchmarks the HTTP core (`http-bench`) against Node.js's built-in `http` server (bench/node/http-server.js),
# both serving the same three routes, in one run:
#   - wrk -t1 -c64 -d5s on GET /hello and on POST /echo (bench/wrk/echo.lua posts ~100 bytes of JSON);
#   - the time for `curl -sN '/ticks?count=100000&interval_ms=0' >/dev/null`, best of 3.
# Prints a markdown table with the figures, the ratios (Swift / Node), the date and the machine.
#
# Usage: bench/http.sh [--node-only]
#   --node-only   skip http-bench (for checking the script where http-bench is not built)
# Environment: DURATION (wrk duration, default 5s), CONNECTIONS (default 64), TICKS (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-5s}"
connections="${CONNECTIONS:-64}"
tick_count="${TICKS:-100000}"
node_only=0
if [ "${1:-}" = "--node-only" ]; then node_only=1; fi

for tool in wrk curl node; do
    command -v "$tool" >/dev/null || { echo "bench/http.sh: $tool is required (wrk: apt-get install wrk)" >&2; exit 1; }
done

workdir="$(mktemp -d)"
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME COMMAND...: starts a server whose first stdout line is `listening on HOST:PORT`, waits
# for that line (30 s deadline) and stores the address in the variable address_NAME.
start_server() {
    local name="$1"
    shift
    "$@" >"$workdir/$name.log" 2>&1 &
    server_pids+=("$!")
    local pid="$!" deadline=$((SECONDS + 30)) line=""
    while [ -z "$line" ]; do
        line="$(grep -m1 '^listening on ' "$workdir/$name.log" || true)"
        if [ -n "$line" ]; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "bench/http.sh: $name exited before listening:" >&2
            cat "$workdir/$name.log" >&2
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then echo "bench/http.sh: $name did not start in 30 s" >&2; exit 1; fi
        sleep 0.05
    done
    printf -v "address_$name" '%s' "${line#listening on }"
}

# requests_per_second URL [wrk options...]: runs wrk and prints its Requests/sec, failing on errors.
requests_per_second() {
    local url="$1"
    shift
    local output
    output="$(wrk -t1 -c"$connections" -d"$duration" "$@" "$url")"
    echo "$output" >>"$workdir/wrk.log"
    if grep -qE 'Non-2xx|Socket errors' <<<"$output"; then
        echo "bench/http.sh: wrk reported errors for $url:" >&2
        echo "$output" >&2
        exit 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$output"
}

# tick_seconds BASE_URL: best of 3 wall-clock times of curl reading the whole tick stream.
tick_seconds() {
    local url="$1/ticks?count=$tick_count&interval_ms=0"
    # One checked run first: the stream must be complete, or the timing means nothing.
    curl -sN "$url" >"$workdir/ticks.txt"
    local events
    events="$(grep -c '^event: next$' "$workdir/ticks.txt" || true)"
    if [ "$events" != "$tick_count" ] || [ "$(tail -n 3 "$workdir/ticks.txt" | head -n 1)" != "event: end" ]; then
        echo "bench/http.sh: $url delivered $events events (expected $tick_count and an end event)" >&2
        exit 1
    fi
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --runs 3 --style none --export-json "$workdir/hyperfine.json" \
            "curl -sN $url" >/dev/null
        python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["min"])' \
            "$workdir/hyperfine.json"
    else
        local best="" start end elapsed
        for _ in 1 2 3; do
            start="$(date +%s.%N)"
            curl -sN "$url" >/dev/null
            end="$(date +%s.%N)"
            elapsed="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')"
            if [ -z "$best" ] || awk -v e="$elapsed" -v b="$best" 'BEGIN { exit !(e < b) }'; then best="$elapsed"; fi
        done
        echo "$best"
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

if [ "$node_only" = 0 ]; then
    echo "building http-bench (release)..." >&2
    swift build -c release --product http-bench >&2
    swift_binary="$(swift build -c release --show-bin-path)/http-bench"
    start_server swift "$swift_binary" --host 127.0.0.1 --port 0
fi
start_server node node bench/node/http-server.js --host 127.0.0.1 --port 0

declare -A hello echo_rps ticks
servers=(node)
if [ "$node_only" = 0 ]; then servers=(swift node); fi
for name in "${servers[@]}"; do
    address_var="address_$name"
    base="http://${!address_var}"
    echo "measuring $name at $base..." >&2
    hello[$name]="$(requests_per_second "$base/hello")"
    echo_rps[$name]="$(requests_per_second "$base/echo" -s bench/wrk/echo.lua)"
    ticks[$name]="$(tick_seconds "$base")"
done

echo
echo "## HTTP benchmark: http-bench (Swift) vs Node.js http"
echo
echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), Linux $(uname -r)"
echo "- Node $(node --version), $(swift --version 2>/dev/null | head -n 1 | sed 's/ (.*//'), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "- Load: wrk -t1 -c$connections -d$duration; ticks: curl -sN '/ticks?count=$tick_count&interval_ms=0' >/dev/null, best of 3"
echo
if [ "$node_only" = 0 ]; then
    echo "| Benchmark | http-bench (Swift) | Node.js | Swift / Node |"
    echo "|---|---:|---:|---:|"
    echo "| GET /hello (req/s) | ${hello[swift]} | ${hello[node]} | $(ratio "${hello[swift]}" "${hello[node]}")× |"
    echo "| POST /echo (req/s) | ${echo_rps[swift]} | ${echo_rps[node]} | $(ratio "${echo_rps[swift]}" "${echo_rps[node]}")× |"
    echo "| $tick_count ticks (s, lower is better) | ${ticks[swift]} | ${ticks[node]} | $(ratio "${ticks[swift]}" "${ticks[node]}")× |"
else
    echo "| Benchmark | Node.js |"
    echo "|---|---:|"
    echo "| GET /hello (req/s) | ${hello[node]} |"
    echo "| POST /echo (req/s) | ${echo_rps[node]} |"
    echo "| $tick_count ticks (s, lower is better) | ${ticks[node]} |"
fi
