#!/usr/bin/env bash
# HTTP load on `recueil serve`, over loopback only: wrk at 64 connections for a bounded time
# against /api/v1/search with the benchmark's mixed set (64 distinct queries: 16 words, alone
# and with a sector, year or fine filter, listed by `recueil bench` in INDEX_DIR/bench/), then
# requests/s, p99, errors, the server's CPU per request and its resident memory. The server is
# stopped on exit, whatever happens.
#
# Usage: scripts/http-load.sh [INDEX_DIR]
#   INDEX_DIR  a store built by `recueil bench` (default target/bench-index-$DOCS; built when missing)
# Environment:
#   DOCS=10000      corpus size when the index must be built
#   DURATION=30s    wrk run time (bounded: at most 300s)
#   CONNECTIONS=64  wrk connections
#   PORT=18080      loopback port
#   BIN=target/release/recueil
#   COLD=1         requests the response cache has not seen (a random `&offset=0..99` on
#                  each, 6,400 distinct requests); the clause cache still serves the words
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${DOCS:-10000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18080}
BIN=${BIN:-target/release/recueil}
INDEX=${1:-target/bench-index-$DOCS}
HOST=127.0.0.1
COLD=${COLD:-0}

case "$DURATION" in
  [0-9]s|[0-9][0-9]s|[0-2][0-9][0-9]s|300s) ;;
  *) echo "DURATION must be 1s..300s, got $DURATION" >&2; exit 2 ;;
esac
[ -x "$BIN" ] || { echo "no $BIN: run cargo build --release first" >&2; exit 2; }

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

if [ ! -f "$INDEX/CURRENT" ]; then
  echo "building a $DOCS-decision bench index in $INDEX" >&2
  "$BIN" --index-dir "$INDEX" bench --docs "$DOCS" >&2
fi

"$BIN" --index-dir "$INDEX" serve --addr "$HOST:$PORT" >/dev/null 2>&1 &
SERVER=$!
LUA=$(mktemp --suffix=.lua)
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LUA"' EXIT

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://$HOST:$PORT/healthz" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "recueil serve exited before it was ready" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://$HOST:$PORT/healthz" || { echo "recueil serve not ready after 60 s" >&2; exit 1; }

PATHS="$INDEX/bench/http-paths.txt"
[ -f "$PATHS" ] || { echo "no $PATHS: build the index with this version of recueil bench" >&2; exit 2; }
# Each request takes the next path, so the run mixes selectivities as the bench does; wrk's
# threads start at different places in the list.
cat >"$LUA" <<EOF
local paths = {}
for line in io.lines("$PATHS") do table.insert(paths, line) end
local cold = $COLD == 1
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  local path = paths[i]
  if cold then path = path .. "&offset=" .. math.random(0, 99) end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\\n",
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

# Every path must answer 200 before it is worth timing.
while read -r p; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT$p")
  [ "$code" = 200 ] || { echo "GET $p answered $code" >&2; exit 1; }
done <"$PATHS"

# Server CPU time (user + system ticks of /proc/PID/stat, 100 per second) around the run:
# CPU per request does not depend on what else the machine is running.
cpu_ticks() { sed 's/.*) //' "/proc/$SERVER/stat" | awk '{print $12 + $13}'; }
CPU0=$(cpu_ticks)
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency -s "$LUA" "http://$HOST:$PORT")
echo "$OUT"
RPS=$(awk '/^Requests\/sec:/ {print $2}' <<<"$OUT")
P99=$(awk '$1 == "99%" {print $2}' <<<"$OUT")
CPU1=$(cpu_ticks)
REQS=$(awk '/requests in/ {print $1}' <<<"$OUT")
CPU_MS=$(awk -v a="$CPU0" -v b="$CPU1" -v n="$REQS" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 10 / n; else print "n/a" }')
RSS=$(awk '/^VmRSS:/ {printf "%.0f MB", $2/1024}' "/proc/$SERVER/status")
HWM=$(awk '/^VmHWM:/ {printf "%.0f MB", $2/1024}' "/proc/$SERVER/status")
echo "index: $INDEX  connections: $CONNECTIONS  duration: $DURATION  paths: $(wc -l <"$PATHS")  cold: $COLD"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "requests/s = $RPS  p99 = $P99  server cpu per request = $CPU_MS ms  server rss = $RSS (peak $HWM)"
