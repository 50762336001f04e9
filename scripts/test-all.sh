#!/usr/bin/env bash
# Runs every test: formatting lint, the Swift test suite, the browser tests in headless Chromium,
# and a bounded fuzzing run of the HTTP parser. The README names this command; .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift-format lint"
swift-format lint --strict --recursive Sources Tests

echo "== swift build (warnings are errors)"
swift build --build-tests

echo "== swift test (parallel)"
swift test --skip-build --skip 'Latency\('

# Tests that assert a latency bound (cleanup within 100 ms of a client leaving) end in `Latency`.
# They run alone, one at a time, so that the parallel suite's own load on a 2-core machine does
# not decide their outcome.
echo "== swift test (latency bounds, serial)"
swift test --skip-build --filter 'Latency\(' --no-parallel

# The HTTP core's own suite is parameterised over both event queues; the runtime's end-to-end
# suites run once more with poll(2) as the default backend.
echo "== runtime end-to-end tests on the poll(2) backend"
REMOTE_FUNCTIONS_EVENT_QUEUE=poll swift test --skip-build --filter 'RemoteFunctionsServerTests|RemoteFunctionsClientTests' --skip 'Latency\('

if [ -d Tests/browser/js ] && command -v node >/dev/null; then
    echo "== browser client unit tests (node --test)"
    node --test Tests/browser/js/
fi

if [ -x Tests/browser/run.sh ]; then
    echo "== browser tests (headless Chromium)"
    Tests/browser/run.sh
fi

if [ -x scripts/postgres-tests.sh ]; then
    echo "== PostgreSQL adapter and multi-instance tests (nested package Postgres/)"
    scripts/postgres-tests.sh
fi

if [ -x fuzz/run.sh ]; then
    echo "== fuzzing the HTTP request parser for ${FUZZ_SECONDS:-60} s"
    fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi
echo "== all tests passed"
