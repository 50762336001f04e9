#!/usr/bin/env bash
# Runs every test: formatting lint, the Swift test suite, the browser tests in headless Chromium,
# and a bounded fuzzing run of the HTTP parser. The README names this command; .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift-format lint"
swift-format lint --strict --recursive Sources Tests

echo "== swift build (warnings are errors)"
swift build --build-tests

echo "== swift test"
swift test --skip-build

if [ -d Tests/browser/js ] && command -v node >/dev/null; then
    echo "== browser client unit tests (node --test)"
    node --test Tests/browser/js/
fi

if [ -x Tests/browser/run.sh ]; then
    echo "== browser tests (headless Chromium)"
    Tests/browser/run.sh
fi

if [ -x fuzz/run.sh ]; then
    echo "== fuzzing the HTTP request parser for ${FUZZ_SECONDS:-60} s"
    fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi
echo "== all tests passed"
