#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the Postgres tests and benchmarks.
#
#   scripts/postgres-test-cluster.sh start     initdb a cluster in a temporary directory, start it on a
#                                              free port, print its postgres:// URL on stdout
#   scripts/postgres-test-cluster.sh url       print the running cluster's URL
#   scripts/postgres-test-cluster.sh restart   restart the server (same port, same data), waiting until it accepts connections
#   scripts/postgres-test-cluster.sh status    exit 0 when the cluster runs
#   scripts/postgres-test-cluster.sh stop      stop the server and delete its directory
#
# Typical use:
#   export REMOTE_FUNCTIONS_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
#   swift test --package-path Postgres
#   scripts/postgres-test-cluster.sh stop
#
# Authentication is `trust`, the server listens on 127.0.0.1 only and keeps its unix socket in the
# temporary directory. PostgreSQL refuses to run as root, so under root the cluster belongs to the
# `postgres` system user (created by the postgresql package) and the database user is `postgres`.
# The state (directory, port, URL) is kept in $REMOTE_FUNCTIONS_POSTGRES_STATE, default
# ${TMPDIR:-/tmp}/remote-functions-postgres-test-cluster.env; the URL is also written to DIR/url.
set -euo pipefail

STATE="${REMOTE_FUNCTIONS_POSTGRES_STATE:-${TMPDIR:-/tmp}/remote-functions-postgres-test-cluster.env}"

find_bin() {
    if [ -n "${POSTGRES_BIN:-}" ]; then echo "$POSTGRES_BIN"; return; fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return
    fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$candidate" ] || [ ! -x "$candidate/initdb" ]; then
        echo "postgres-test-cluster: initdb not found; install postgresql (apt-get install postgresql) or set POSTGRES_BIN" >&2
        exit 1
    fi
    echo "$candidate"
}

if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    if ! id "$OWNER" >/dev/null 2>&1; then
        echo "postgres-test-cluster: running as root needs the 'postgres' system user (it comes with apt's postgresql)" >&2
        exit 1
    fi
    as_owner() { runuser -u "$OWNER" -- "$@"; }
else
    OWNER=$(id -un)
    as_owner() { "$@"; }
fi

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "postgres-test-cluster: no free port found" >&2
    exit 1
}

load_state() {
    if [ ! -f "$STATE" ]; then return 1; fi
    # shellcheck disable=SC1090
    . "$STATE"
    [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ]
}

is_running() {
    load_state && as_owner "$BIN/pg_ctl" -D "$CLUSTER_DIR/data" status >/dev/null 2>&1
}

BIN=$(find_bin)

case "${1:-}" in
start)
    if is_running; then
        echo "$CLUSTER_URL"
        exit 0
    fi
    CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/remote-functions-postgres.XXXXXX")
    chmod 755 "$CLUSTER_DIR"
    if [ "$(id -u)" = 0 ]; then chown "$OWNER" "$CLUSTER_DIR"; fi
    PORT=$(free_port)
    as_owner "$BIN/initdb" -D "$CLUSTER_DIR/data" --auth=trust --username="$OWNER" \
        --encoding=UTF8 --locale=C --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1 || {
        cat "$CLUSTER_DIR/initdb.log" >&2
        exit 1
    }
    as_owner "$BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -t 60 \
        -o "-p $PORT -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || {
        cat "$CLUSTER_DIR/server.log" >&2
        exit 1
    }
    CLUSTER_URL="postgres://$OWNER@127.0.0.1:$PORT/postgres"
    printf 'CLUSTER_DIR=%q\nCLUSTER_PORT=%q\nCLUSTER_URL=%q\n' "$CLUSTER_DIR" "$PORT" "$CLUSTER_URL" >"$STATE"
    echo "$CLUSTER_URL" >"$CLUSTER_DIR/url"
    echo "$CLUSTER_URL"
    ;;
url)
    load_state || { echo "postgres-test-cluster: no cluster; run '$0 start'" >&2; exit 1; }
    echo "$CLUSTER_URL"
    ;;
status)
    if is_running; then echo "running: $CLUSTER_URL"; else echo "not running"; exit 1; fi
    ;;
restart)
    load_state || { echo "postgres-test-cluster: no cluster; run '$0 start'" >&2; exit 1; }
    # pg_ctl restart reuses the options the server was started with (data/postmaster.opts).
    as_owner "$BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" -w -t 60 -m fast restart >/dev/null
    echo "$CLUSTER_URL"
    ;;
stop)
    if load_state; then
        as_owner "$BIN/pg_ctl" -D "$CLUSTER_DIR/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
        rm -rf "$CLUSTER_DIR"
    fi
    rm -f "$STATE"
    ;;
*)
    echo "usage: $0 start|url|status|restart|stop" >&2
    exit 2
    ;;
esac
