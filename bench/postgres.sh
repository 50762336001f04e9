#!/usr/bin/env bash
# Cross-instance change→receive latency over PostgreSQL LISTEN/NOTIFY (issue 6).
#
#   bench/postgres.sh                 uses $REMOTE_FUNCTIONS_POSTGRES_URL, or starts (and stops) a
#                                     throwaway cluster with scripts/postgres-test-cluster.sh
#   CHANGES=5000 INTERVAL_MS=2 bench/postgres.sh
#
# Part 1, database leg: instance A (a PostgresLiveSessionsStore with its own pool) updates one
# entity CHANGES times, one at a time; instance B (a PostgresChangeListener on its own connection)
# receives each commit's NOTIFY. p50/p99 from "A starts the update" to "B's listener delivers it".
#
# Part 2, end to end over HTTP: two demo instances (PostgresDemoInstance, each with its own pool,
# LISTEN connection and HTTP server), SUBSCRIBERS clients holding an entities.watch SSE stream on B,
# HTTP_CHANGES entities.update commands sent to A one at a time. p50/p99 from "command sent to A" to
# "event parsed by a client of B", over every (subscriber, change) pair. The clients use
# HTTPClientTransport; CLIENT=urlsession uses URLSessionClientTransport instead (on Linux its open
# streams spin and take CPU from the instances, which share the process).
set -euo pipefail
cd "$(dirname "$0")/.."

CHANGES="${CHANGES:-2000}"
INTERVAL_MS="${INTERVAL_MS:-5}"
SUBSCRIBERS="${SUBSCRIBERS:-100}"
HTTP_CHANGES="${HTTP_CHANGES:-200}"

started_cluster=""
if [ -z "${REMOTE_FUNCTIONS_POSTGRES_URL:-}" ]; then
    REMOTE_FUNCTIONS_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
    started_cluster=yes
fi
cleanup() { if [ -n "$started_cluster" ]; then scripts/postgres-test-cluster.sh stop; fi; }
trap cleanup EXIT

echo "== building postgres-bench (release)"
swift build --package-path Postgres -c release --product postgres-bench 2>&1 | tail -1
echo "== PostgreSQL: $(psql "$REMOTE_FUNCTIONS_POSTGRES_URL" -Atc 'SHOW server_version' 2>/dev/null || echo unknown), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== database leg"
Postgres/.build/release/postgres-bench --url "$REMOTE_FUNCTIONS_POSTGRES_URL" --changes "$CHANGES" --interval-ms "$INTERVAL_MS"
echo "== end to end over HTTP"
Postgres/.build/release/postgres-bench --url "$REMOTE_FUNCTIONS_POSTGRES_URL" --http --subscribers "$SUBSCRIBERS" \
    --changes "$HTTP_CHANGES" --interval-ms "$INTERVAL_MS" --client "${CLIENT:-http}"
