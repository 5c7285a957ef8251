#!/usr/bin/env bash
# PDF extraction speed: our extractor against pdftotext on the same born-digital corpus files,
# with the same parallelism (xargs -P), in one run. Prints pages/s of both and the ratio.
#
# Usage: benches/speed/pdf_speed.sh [JOBS] [ROUNDS]
#   JOBS    parallel processes for both tools (default: number of cores)
#   ROUNDS  repetitions of each tool, the best round counts (default 3)
# Environment: EXTRACT="command" overrides our extractor (the PDF path is appended);
#   CORPUS=dir overrides ../shared/corpus.
# Build first: cargo build --release -p woo-indexer --example extract
#   (or the `woo` binary with its `extract` subcommand, used when present).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
jobs="${1:-$(nproc)}"
rounds="${2:-3}"

if [[ -n "${EXTRACT:-}" ]]; then
  extract="$EXTRACT"
elif [[ -x "$root/target/release/woo" ]] && "$root/target/release/woo" extract --help >/dev/null 2>&1; then
  extract="$root/target/release/woo extract"
elif [[ -x "$root/target/release/examples/extract" ]]; then
  extract="$root/target/release/examples/extract"
else
  echo "build the extractor: cargo build --release -p woo-indexer --example extract" >&2
  exit 1
fi

# Born-digital files: every page of the manifest's page classes is T (text without a page image).
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
python3 - "$corpus" >"$list" <<'EOF'
import csv, os, sys
corpus = os.path.normpath(sys.argv[1])
base = os.path.dirname(corpus)
with open(os.path.join(corpus, "MANIFEST.csv"), newline="") as handle:
    for row in csv.DictReader(handle):
        classes = row.get("page_classes", "")
        if row["path"].lower().endswith(".pdf") and classes and set(classes) == {"T"}:
            print(os.path.join(base, row["path"]))
EOF
files=$(wc -l <"$list")
pages=$( (tr '\n' '\0' <"$list" | xargs -0 -n1 pdfinfo 2>/dev/null || true) | awk '/^Pages:/ {sum += $2} END {print sum}')

# Runs "$1 FILE $2" over the list with $jobs processes; prints the best wall time of $rounds.
time_tool() {
  local best="" start end elapsed
  for _ in $(seq "$rounds"); do
    start=$(date +%s.%N)
    tr '\n' '\0' <"$list" | xargs -0 -P "$jobs" -I{} sh -c "$1 \"\$1\" $2 >/dev/null 2>&1 || true" _ {}
    end=$(date +%s.%N)
    elapsed=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$elapsed < $best" | bc -l) )); then best=$elapsed; fi
  done
  echo "$best"
}

# One thread per process for ours too, so both tools run with exactly JOBS threads.
ours=$(RAYON_NUM_THREADS=1 time_tool "$extract" "")
reference=$(time_tool "pdftotext -enc UTF-8 -q" "-")

printf 'files: %d born-digital PDFs, %d pages, %d parallel jobs, best of %d rounds\n' "$files" "$pages" "$jobs" "$rounds"
printf 'ours      (%s): %.2f s, %.0f pages/s\n' "$extract" "$ours" "$(echo "$pages / $ours" | bc -l)"
printf 'pdftotext: %.2f s, %.0f pages/s\n' "$reference" "$(echo "$pages / $reference" | bc -l)"
printf 'ratio (ours pages/s / pdftotext pages/s): %.2f\n' "$(echo "$reference / $ours" | bc -l)"
