#!/usr/bin/env bash
# Browser tests of the LiveSessions web app in real headless Chromium (selenium).
#
# Builds and starts `.build/debug/live-sessions --port 0 --data <tmp>`, waits for its
# `listening on HOST:PORT` line, runs Tests/browser/test_*.py against it and stops the server.
#
# Environment:
#   LIVE_SESSIONS_BIN     a server executable to use as is (default: build .build/debug/live-sessions)
#   LIVE_SESSIONS_SERVER  "mock" runs the development mock (Tests/browser/mock_server.py) instead
#   SEED_LARGE            "0" skips --seed-large (the progressive test then seeds its own session)
#   Extra arguments are passed to pytest (for example -k conflict).
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
  echo "run.sh: chromium and chromedriver are needed (apt-get install chromium chromium-driver)" >&2
  exit 1
}
python3 -c "import selenium" 2>/dev/null || { echo "run.sh: selenium is needed (pip install selenium)" >&2; exit 1; }

DATA=$(mktemp -d)
LOG="$DATA/server.log"
if [ "${LIVE_SESSIONS_SERVER:-}" = mock ]; then
  COMMAND=(python3 -u Tests/browser/mock_server.py --port 0 --data "$DATA")
  HELP="--seed-large"
else
  if [ -z "${LIVE_SESSIONS_BIN:-}" ]; then
    # Always (incrementally) build: the web app and client.js are bundle resources, copied at build time.
    swift build --product live-sessions
  fi
  BIN=${LIVE_SESSIONS_BIN:-.build/debug/live-sessions}
  COMMAND=("$BIN" --host 127.0.0.1 --port 0 --data "$DATA")
  HELP=$("$BIN" --help 2>&1 || true)
fi
SEEDING=0
if [ "${SEED_LARGE:-1}" != 0 ] && grep -q -- "--seed-large" <<<"$HELP"; then
  COMMAND+=(--seed-large)
  SEEDING=1
fi

# The server's output arrives on a file descriptor, line by line: no polling, no sleeps.
exec {SERVER_OUT}< <(exec "${COMMAND[@]}" 2>&1)
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

ADDRESS=""
LARGE_CODE=""
# Seeding 100 000 participants may take a while on a busy machine: allow 10 minutes.
while IFS= read -r -t 600 -u "$SERVER_OUT" line; do
  echo "server: $line" >>"$LOG"
  if [[ -z "$ADDRESS" && "$line" =~ listening\ on\ ([^[:space:]]+):([0-9]+) ]]; then
    ADDRESS="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
  fi
  # Session codes use A-Z and 2-9 without I and O, so a count such as 100000 never matches.
  if [[ -z "$LARGE_CODE" && "$line" =~ [Ss]eed ]] && [[ "$line" =~ (^|[^A-Za-z0-9])([A-HJ-NP-Z2-9]{6})([^A-Za-z0-9]|$) ]]; then
    LARGE_CODE="${BASH_REMATCH[2]}"
  fi
  if [[ -n "$ADDRESS" && ( "$SEEDING" = 0 || -n "$LARGE_CODE" ) ]]; then break; fi
done
if [ -z "$ADDRESS" ]; then
  echo "run.sh: the server did not print 'listening on HOST:PORT'" >&2
  cat "$LOG" >&2
  exit 1
fi
# Keep draining the server's output so it never blocks on a full pipe.
cat <&"$SERVER_OUT" >>"$LOG" &

HOST=${ADDRESS%:*}
[ "$HOST" = "0.0.0.0" ] && HOST=127.0.0.1
export LIVE_SESSIONS_URL="http://$HOST:${ADDRESS##*:}"
export LIVE_SESSIONS_LARGE_CODE="$LARGE_CODE"
echo "run.sh: server at $LIVE_SESSIONS_URL${LARGE_CODE:+ (large seeded session $LARGE_CODE)}"

status=0
if python3 -c "import pytest" 2>/dev/null; then
  python3 -m pytest -q -p no:cacheprovider Tests/browser "$@" || status=$?
else
  python3 -m unittest discover -s Tests/browser -p 'test_*.py' -v || status=$?
fi
if [ "$status" != 0 ]; then
  echo "run.sh: server log (last 40 lines):" >&2
  tail -n 40 "$LOG" >&2
fi
exit "$status"
