#!/usr/bin/env bash
# Bounded load run on loopback: wrk sends search, decision and export requests to
# `recueil serve` while re-ingests swap the index underneath, then the server is stopped.
#
#   scripts/load.sh [SECONDS]        (default and maximum 60)
#   LOAD_CONNECTIONS=256 LOAD_PROFILE=release scripts/load.sh 60
#
# Passes when no request failed (no socket error, no non-2xx status other than the
# documented 503 with Retry-After), /readyz answered 200 every half second throughout, the
# server moved to the new generations, and shutdown took at most 30 s. Prints p50/p90/p99
# latency.
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
if [ "$secs" -gt 60 ]; then secs=60; fi
data=../shared/data
[ -d "$data" ] || { echo "error: $data is missing: the load run serves the real CNIL data" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

conns="${LOAD_CONNECTIONS:-16}"
profile="${LOAD_PROFILE:-debug}"
flag=; [ "$profile" = release ] && flag=--release
cargo build $flag --bin recueil 2>/dev/null || cargo build $flag --bin recueil
bin=${CARGO_TARGET_DIR:-$PWD/target}/$profile/recueil
work=$(mktemp -d)
server_pid=
ingest_pid=
probe_pid=
cleanup() {
  [ -n "$ingest_pid" ] && kill "$ingest_pid" 2>/dev/null
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --index-dir "$work/index" ingest "$data/dila/tree" "$data/gdprhub" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$bin" --index-dir "$work/index" serve --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/readyz" >/dev/null || { echo "error: server not ready" >&2; cat "$work/serve.log" >&2; exit 1; }
gen_before=$(curl -fs "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')

# The request mix: searches (words, phrases, filters, sorts, pages), every decision the
# index holds, and both exports.
{
  for q in donnees 'securite+des+donnees' '%22mesures+de+securite%22' 'cookies+OR+traceurs' 'sante+-recherche' \
           'article%3A32' 'year%3A2025' 'fine%3E%3D10000' 'consentement+prospection'; do
    echo "/api/v1/search?q=$q"
    echo "/api/v1/search?q=$q&sort=date&limit=50"
  done
  curl -fs "$base/api/v1/search?q=&limit=100" | python3 -c '
import json, sys
for hit in json.load(sys.stdin)["hits"]:
    print("/api/v1/decisions/" + hit["id"])'
  echo "/api/v1/export.csv?q=donnees"
  echo "/api/v1/export.jsonl?q=securite"
  echo "/api/v1/stats"
} >"$work/paths"
echo "load: $(wc -l <"$work/paths") distinct requests, ${secs}s, $conns connections ($profile build), re-ingest looping"

# Re-ingests during the run: each adds one invented record, so each commits a new generation
# that the server must switch to without failing a request.
(
  i=0
  mkdir -p "$work/new"
  while [ ! -e "$work/stop" ]; do
    i=$((i + 1))
    n=$(printf '%03d' "$i")
    cat >"$work/new/SAN-2099-$n.md" <<MD
---
number: SAN-2099-$n
authority: CNIL
nature: Sanction
date: 2099-01-01
title: "Invented decision $n for the load test"
---
## English

Invented record $n, written for the load test: it only makes the index change.
MD
    "$bin" --index-dir "$work/index" ingest "$work/new/SAN-2099-$n.md" >/dev/null 2>>"$work/ingest.stderr" || echo "ingest $n failed: $(tail -1 "$work/ingest.stderr")" >>"$work/ingest.log"
    echo "$i" >"$work/swaps"
    sleep 1
  done
) &
ingest_pid=$!

# Readiness under load: one probe every half second, its status kept.
(
  while [ ! -e "$work/stop" ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code}\n' "$base/readyz" >>"$work/readyz.log"
    sleep 0.5
  done
) &
probe_pid=$!

LOAD_PATHS="$work/paths" wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s scripts/load.lua "$base" | tee "$work/wrk.out"
# Let the re-ingest under way finish rather than orphan it.
touch "$work/stop"
wait "$ingest_pid" || true
ingest_pid=
wait "$probe_pid" || true

sleep 3 # one reload interval, for the last swap
gen_after=$(curl -fs "$base/readyz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
swaps=$(cat "$work/swaps" 2>/dev/null || echo 0)
started=$(date +%s.%N)
kill -TERM "$server_pid"
for _ in $(seq 350); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then shutdown=never; else shutdown=$(python3 -c "import time; print(round(time.time() - $started, 2))"); fi
server_pid=

result=$(grep '^LOAD_RESULT ' "$work/wrk.out" | sed 's/^LOAD_RESULT //')
echo "generations: $gen_before -> $gen_after after $swaps re-ingests; shutdown ${shutdown}s"
python3 - "$result" "$gen_before" "$gen_after" "$shutdown" "$work/ingest.log" "$work/readyz.log" <<'PY'
import collections, json, sys
r = json.loads(sys.argv[1]); before, after, shutdown = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
shed = r["statuses"].get("503+retry-after", 0)
failed = r["non_2xx"] - shed + sum(r["socket_errors"].values())
probes = collections.Counter(open(sys.argv[6]).read().split())
print(f'/readyz under load: {dict(probes)}; documented 503 with Retry-After: {shed}')
ingest_errors = open(sys.argv[5]).read().strip() if __import__("os").path.exists(sys.argv[5]) else ""
print(f'requests {r["requests"]} in {r["seconds"]}s ({r["requests"] / r["seconds"]:.0f}/s), statuses {r["statuses"]}, failed {failed}')
print(f'latency ms: p50 {r["latency_ms"]["p50"]}, p90 {r["latency_ms"]["p90"]}, p99 {r["latency_ms"]["p99"]}, max {r["latency_ms"]["max"]}')
problems = []
if failed: problems.append(f"{failed} failed requests")
if set(probes) != {"200"}: problems.append(f"/readyz answered {dict(probes)}")
if after <= before: problems.append("the server never moved to a new generation")
if ingest_errors: problems.append("re-ingest errors: " + ingest_errors)
if shutdown == "never" or float(shutdown) > 30: problems.append(f"shutdown took {shutdown}s")
if problems:
    print("load: FAILED: " + "; ".join(problems)); sys.exit(1)
print("load: passed")
PY
