#!/usr/bin/env bash
# The side-by-side benchmarks at one size, in one run (see benches/README.md):
#   benches/speed/scale/run.sh PAGES [WORK_DIR] [SEED]
# 1. `woo scale-corpus` writes PAGES synthetic pages from ../shared/corpus;
# 2. indexing: `woo index` (under /usr/bin/time -v) vs SQLite FTS5 vs plain tantivy;
# 3. query latency of the mix: our SearchService vs FTS5 vs plain tantivy;
# 4. HTTP: `woo serve` under /usr/bin/time -v (peak RSS), wrk with 64 connections for
#    $DURATION seconds (default 60) over the query mix, then 1 connection for 20 s; fails on
#    any socket error or non-2xx.
# Results: WORK_DIR/results.jsonl and WORK_DIR/*.txt. Needs wrk (apt-get install wrk).
# SKIP_INDEX=1 skips steps 1-2 and reuses the indexes already in WORK_DIR; SKIP_QUERY=1 skips
# step 3 (HTTP only).
set -euo pipefail
cd "$(dirname "$0")/../../.."
pages="${1:?usage: run.sh PAGES [WORK_DIR] [SEED]}"
work="${2:-target/scale/$pages}"
seed="${3:-1}"
runs="${RUNS:-200}"
duration="${DURATION:-60}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

cargo build --release --bin woo
cargo bench --bench peers --no-run

if [ -n "${SKIP_INDEX:-}" ]; then
  # SKIP_INDEX=1: reuse the three indexes of an earlier run in WORK_DIR (after a search-side
  # change); the indexing figures stay those of that run.
  echo "== reusing the indexes in $work"
else
echo "== scale corpus: $pages pages, seed $seed"
# Reuse the extracted corpus texts of a previous run when there is one.
if [ ! -f "$work/pages/source-texts.json" ] && [ -f "${SOURCE_TEXTS:-}" ]; then
  mkdir -p "$work/pages" && cp "$SOURCE_TEXTS" "$work/pages/source-texts.json"
fi
target/release/woo scale-corpus --pages "$pages" --seed "$seed" --corpus ../shared/corpus "$work/pages" | tee "$work/corpus.txt"

echo "== indexing: woo index vs SQLite FTS5 vs plain tantivy"
cargo bench --bench peers -- index "$work/pages" "$work" | tee "$work/index.txt"
fi

if [ -n "${SKIP_QUERY:-}" ]; then
  echo "== skipping the query latency step"
else
echo "== query latency ($runs runs per kind and engine)"
cargo bench --bench peers -- query "$work" "$runs" | tee "$work/query.txt"
fi

echo "== HTTP: 64 connections for ${duration} s"
port=$((20000 + RANDOM % 10000))
/usr/bin/time -v -o "$work/serve-time.txt" target/release/woo serve --index "$work/woo" --addr "127.0.0.1:$port" --rate-limit 0 &
time_pid=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
wrk -t2 -c64 -d"${duration}s" --timeout 10s --latency -s benches/speed/scale/mix.lua "http://127.0.0.1:$port" | tee "$work/http.txt"
# One connection: the latency of a request that does not queue behind 63 others (after a
# pause, so that the requests still running from the 64-connection run are done).
sleep 5
wrk -t1 -c1 -d20s --timeout 10s --latency -s benches/speed/scale/mix.lua "http://127.0.0.1:$port" | tee "$work/http-one-connection.txt"
server_pid=$(pgrep -P "$time_pid" -x woo || true)
if [ -n "$server_pid" ]; then kill -INT "$server_pid"; fi
wait "$time_pid" || true
grep -E "Maximum resident set size" "$work/serve-time.txt" | tee -a "$work/http.txt"
# Pass (RELIABILITY.md §5.4): no socket errors, no non-2xx but 503 (load shed), and at 64
# connections at most 5 % 503s; at one connection none.
fail=0
grep -qE "Socket errors" "$work/http.txt" "$work/http-one-connection.txt" && fail=1
grep -qE "other non-2xx [1-9]" "$work/http.txt" "$work/http-one-connection.txt" && fail=1
grep -qE "Non-2xx" "$work/http-one-connection.txt" && fail=1
shed=$(sed -nE 's/.*answers 503 \(load shed\) ([0-9]+).*/\1/p' "$work/http.txt")
total=$(sed -nE 's/^requests ([0-9]+),.*/\1/p' "$work/http.txt")
if [ -n "$shed" ] && [ -n "$total" ] && [ $((shed * 20)) -gt "$total" ]; then fail=1; fi
echo "64 connections: ${shed:-?} of ${total:-?} answers were 503 (load shed)"
if [ "$fail" -ne 0 ]; then
  echo "HTTP run had errors" >&2
  exit 1
fi
