#!/usr/bin/env bash
# Cross-instance change→receive latency over PostgreSQL LISTEN/NOTIFY (issue 6).
#
#   bench/postgres.sh                 uses $REMOTE_FUNCTIONS_POSTGRES_URL, or starts (and stops) a
#                                     throwaway cluster with scripts/postgres-test-cluster.sh
#   CHANGES=5000 INTERVAL_MS=2 bench/postgres.sh
#
# Instance A (a PostgresLiveSessionsStore with its own pool) updates one entity CHANGES times, one
# at a time; instance B (a PostgresChangeListener on its own connection) receives each commit's
# NOTIFY. Prints p50/p99 from "A starts the update" to "B's listener delivers the notification",
# and A's update+commit latency. What it does not include yet: B's live-query re-evaluation and the
# SSE write to a client through nginx (the HTTP-level benchmark needs the server runtime).
set -euo pipefail
cd "$(dirname "$0")/.."

CHANGES="${CHANGES:-2000}"
INTERVAL_MS="${INTERVAL_MS:-5}"

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
Postgres/.build/release/postgres-bench --url "$REMOTE_FUNCTIONS_POSTGRES_URL" --changes "$CHANGES" --interval-ms "$INTERVAL_MS"
