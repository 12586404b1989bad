#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, seeded from ../shared/data, the project's own
# corpus and the kept regression inputs.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#
# A crash (panic, abort, timeout of one input, memory blow-up) leaves its input in
# fuzz/artifacts/<target>/ and makes the script fail. Keep the input in
# fuzz/regressions/<target>/: `cargo test --test it reliability_fuzz_regressions::` replays it.
set -uo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
shift || true
data=../shared/data
if [ ! -d "$data" ]; then
  echo "error: $data is missing: the fuzz seeds come from the real data there" >&2
  exit 1
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "error: cargo-fuzz needs a nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

# The working corpora live in fuzz/corpus/ (ignored by git): real data is read, never copied
# into the project.
seed() {
  local t=$1 dir=fuzz/corpus/$1
  mkdir -p "$dir"
  case $t in
    extract_text) cp -n "$data"/eval/texts/* "$dir"/ ;;
    dila_xml) find "$data/dila/tree" -name '*.xml' -exec cp -n {} "$dir"/ \; ;;
    gdprhub_html) cp -n "$data"/gdprhub/*.html "$dir"/ ;;
    markdown) cp -n corpus/decisions/*.md "$dir"/ 2>/dev/null ;;
  esac
  cp -n fuzz/regressions/"$t"/* "$dir"/ 2>/dev/null
  return 0
}

# Decision texts run to 85 k chars; larger inputs are the size bounds' business, tested apart.
max_len() {
  case $1 in
    query) echo 4096 ;;
    *) echo 131072 ;;
  esac
}

(cd fuzz && cargo +nightly fuzz build) || exit 1 # every target, before the clock starts
mkdir -p fuzz/artifacts
passed=0
failed=0
for t in "${targets[@]}"; do
  seed "$t"
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=dict/$t.dict")
  log=fuzz/artifacts/$t.log
  echo "== $t: ${secs}s"
  (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
      -print_final_stats=1 "${dict[@]}") >"$log" 2>&1
  rc=$?
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+ +DONE|ERROR|panicked|Test unit written' "$log"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    echo "!! $t failed (exit $rc): see $log and fuzz/artifacts/$t/" >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
