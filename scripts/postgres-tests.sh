#!/usr/bin/env bash
# The PostgreSQL part of the test run: lints and builds the nested Postgres package, starts a
# throwaway cluster (scripts/postgres-test-cluster.sh), runs `swift test --package-path Postgres`
# against it, and stops the cluster. CI (.ci/run installs postgresql and libpq-dev) runs it from
# scripts/test-all.sh; outside CI it skips, with a message, when PostgreSQL is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists libpq 2>/dev/null || ! { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then
    if [ -n "${CI:-}" ]; then
        echo "postgres-tests: libpq-dev and postgresql must be installed in CI" >&2
        exit 1
    fi
    echo "== PostgreSQL tests skipped: install libpq-dev and postgresql (apt-get install libpq-dev postgresql) to run them"
    exit 0
fi

echo "== swift-format lint (Postgres package)"
swift-format lint --strict --recursive Postgres/Sources Postgres/Tests

echo "== swift build --package-path Postgres (warnings are errors)"
swift build --package-path Postgres --build-tests

url=$(scripts/postgres-test-cluster.sh start)
trap 'scripts/postgres-test-cluster.sh stop' EXIT
echo "== swift test --package-path Postgres against $url"
REMOTE_FUNCTIONS_POSTGRES_URL="$url" swift test --package-path Postgres --skip-build
