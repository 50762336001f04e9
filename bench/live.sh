#!/usr/bin/env bash
# Live-query benchmarks (issue 5). Prints figures; docs/BENCHMARKS.md records them.
#
#   bench/live.sh              in-process benchmark (RemoteFunctionsLive alone)
#
# In-process: 10 000 subscribers share one live query; 50 changes, each awaited by every
# subscriber before the next. Reports evaluations per change, change→receive p50/p99, memory per
# subscriber (held subscription, and with one reading task each) and CPU per delivered event, then
# the same with one subscriber that never reads, and how much it moves the others' p99.
set -euo pipefail
cd "$(dirname "$0")/.."

SUBSCRIBERS="${SUBSCRIBERS:-10000}"
CHANGES="${CHANGES:-50}"

echo "== building the in-process benchmark (release)"
(cd bench/live/inprocess && swift build -c release 2>&1 | tail -1)
BIN=bench/live/inprocess/.build/release/live-inprocess-bench

echo "== in-process"
plain=$("$BIN" "$SUBSCRIBERS" "$CHANGES")
echo "$plain" | head -1
slow=$("$BIN" "$SUBSCRIBERS" "$CHANGES" slow)
echo "$slow" | head -1
p99_plain=$(echo "$plain" | sed -n 's/^p99_ms=//p')
p99_slow=$(echo "$slow" | sed -n 's/^p99_ms=//p')
awk -v a="$p99_plain" -v b="$p99_slow" \
    'BEGIN { printf "one slow subscriber moves the others'"'"' p99 by %+.1f %% (%.1f ms -> %.1f ms)\n", (b / a - 1) * 100, a, b }'
