#!/usr/bin/env bash
# OCR throughput and yield on the corpus's no-text-layer pages.
#
# A page has no text layer when `pdftotext` gives it fewer than 40 alphanumeric characters
# (the definition of ../shared/corpus/SOURCES.md). Each such page is OCR'd with exactly the
# command lines of indexer/src/ocr.rs (pdfinfo for the page size, `pdftoppm -r 300 -gray
# -singlefile` to PGM, `tesseract IMG stdout -l nld+eng --psm 3 --dpi 300 tsv` with
# OMP_THREAD_LIMIT=1), JOBS pages at a time, and the text is rebuilt from the TSV the same way.
# Nothing is cached: every page is really OCR'd (the cache is tested by the unit tests).
#
# Usage:
#   benches/speed/ocr_rate.sh                 OCR the no-text-layer pages of a handful of scanned files
#   benches/speed/ocr_rate.sh --all           OCR every no-text-layer page of the corpus (~10 min at 2 jobs)
#   benches/speed/ocr_rate.sh --count         only count no-text-layer pages in the whole corpus
#   benches/speed/ocr_rate.sh FILE.pdf...     OCR the no-text-layer pages of these files
# Environment: CORPUS (default ../shared/corpus from the workspace), JOBS (default 2),
# OUT (directory for per-page results; default a fresh temporary directory).
set -euo pipefail

workspace_dir="$(cd "$(dirname "$0")/../.." && pwd)"
CORPUS="$(cd "${CORPUS:-$workspace_dir/../shared/corpus}" && pwd)"
JOBS="${JOBS:-2}"
MIN_ALNUM=40

for tool in pdfinfo pdftotext pdftoppm tesseract; do
    command -v "$tool" >/dev/null || { echo "ocr_rate: $tool not found (apt-get install poppler-utils tesseract-ocr tesseract-ocr-nld)" >&2; exit 2; }
done

# One scanned file per image compression, plus two scanned letters (JPEG/Flate).
handful=(
    "wob-letter-extraction/Amsterdam/wob_besluit_rekentool_erfpacht.pdf"                                  # CCITT G4
    "wob-letter-extraction/Amsterdam/wob-besluit_m_b_t_verplaatsing_afvalpunt_cruquiusweg_naar_zeeburgereiland.pdf" # JBIG2
    "wob-letter-extraction/Amsterdam/wob-besluit_noodbevelen_willemiisupporters_18-01-2019.pdf"          # JPX
    "wob-letter-extraction/Amsterdam/02_besluit_wob-verzoek.pdf"                                          # JPEG
    "wob-letter-extraction/WooIR/Bes-Besluit+op+Wob-verzoek+over+aan-+en+afgevoerde+mest+van+het+adres+Alte+Picardiekanaal+24+te+Coevorden.pdf" # Flate
    "tpdl-text-redaction/Woo-verzoek_Geredigeerd.pdf"                                                     # Flate, redacted
    "plooi/oep/blg/onopgemaakt/blg-1007826/1/pdf/blg-1007826.pdf"                                         # JPEG, handwriting
)

mode=handful
files=()
case "${1:-}" in
    --all) mode=all ;;
    --count) mode=count ;;
    "") ;;
    *) mode=files; files=("$@") ;;
esac
if [[ $mode == handful ]]; then
    for relative in "${handful[@]}"; do files+=("$CORPUS/$relative"); done
fi
if [[ $mode == all || $mode == count ]]; then
    mapfile -d '' files < <(find "$CORPUS" -type f -iname '*.pdf' -print0 | sort -z)
fi

# Prints "FILE<TAB>PAGE" for every page with fewer than MIN_ALNUM alphanumerics in pdftotext.
# Counts go to the global variables below.
total_pages=0
no_text_pages=0
unreadable_files=0
list_pages_without_text_layer() {
    local file pages page alnum
    for file in "$@"; do
        if ! pages=$(pdfinfo "$file" 2>/dev/null | awk '/^Pages:/ {print $2}') || [[ -z $pages ]]; then
            echo "ocr_rate: cannot read $file (encrypted with a password, broken or not a PDF)" >&2
            unreadable_files=$((unreadable_files + 1))
            continue
        fi
        total_pages=$((total_pages + pages))
        for ((page = 1; page <= pages; page++)); do
            alnum=$(pdftotext -q -f "$page" -l "$page" "$file" - 2>/dev/null | LC_ALL=C tr -cd '[:alnum:]' | wc -c)
            if ((alnum < MIN_ALNUM)); then
                no_text_pages=$((no_text_pages + 1))
                printf '%s\t%s\n' "$file" "$page"
            fi
        done
    done
}

work_dir="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/woo-ocr-rate.XXXXXX")}"
mkdir -p "$work_dir"
list_pages_without_text_layer "${files[@]}" >"$work_dir/pages.tsv"
echo "files: ${#files[@]} (unreadable: $unreadable_files), pages: $total_pages, pages without text layer: $no_text_pages"
if [[ $mode == count ]]; then
    echo "page list: $work_dir/pages.tsv"
    exit 0
fi

# OCRs one "FILE<TAB>PAGE" line; prints "FILE<TAB>PAGE<TAB>SECONDS<TAB>ALNUM<TAB>MEAN_CONF<TAB>STATUS".
ocr_one_page() {
    local file="${1%%$'\t'*}" page="${1##*$'\t'}"
    local scratch size dpi started ended tsv_status=ok alnum conf
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/woo-ocr-page.XXXXXX")
    started=$(date +%s.%N)
    # Same resolution rule as ocr.rs: 300 dpi unless the page would exceed 60 million pixels.
    size=$(pdfinfo -f "$page" -l "$page" "$file" 2>/dev/null | awk -v p="$page" '$1 == "Page" && $2 == p && $3 == "size:" {print $4, $6}')
    dpi=$(awk -v s="$size" 'BEGIN { split(s, a, " "); px = (a[1] / 72 * 300) * (a[2] / 72 * 300);
        if (a[1] == "" || px <= 60000000) print 300; else print int(sqrt(60000000 / ((a[1] / 72) * (a[2] / 72)))) }')
    if ! pdftoppm -r "$dpi" -gray -f "$page" -l "$page" -singlefile "$file" "$scratch/page" 2>/dev/null; then
        tsv_status=render-failed
    elif ! OMP_THREAD_LIMIT=1 timeout 120 tesseract "$scratch/page.pgm" stdout -l nld+eng --psm 3 --dpi "$dpi" tsv \
        >"$scratch/page.tsv" 2>/dev/null; then
        tsv_status=tesseract-failed
    fi
    ended=$(date +%s.%N)
    if [[ $tsv_status == ok ]]; then
        # Words of level 5 with non-blank text; mean confidence over those with conf >= 0.
        awk -F'\t' 'NR > 1 && $1 == 5 && $12 !~ /^[ ]*$/ { printf "%s ", $12; if ($11 >= 0) { sum += $11; n++ } }
            END { printf "\n%.1f\n", (n ? sum / n : 0) > "/dev/stderr" }' "$scratch/page.tsv" \
            >"$scratch/page.txt" 2>"$scratch/conf.txt"
        alnum=$(LC_ALL=C tr -cd '[:alnum:]' <"$scratch/page.txt" | wc -c)
        conf=$(tail -n 1 "$scratch/conf.txt")
    else
        alnum=0
        conf=0
    fi
    printf '%s\t%s\t%.2f\t%s\t%s\t%s\n' "$file" "$page" "$(echo "$ended - $started" | bc)" "$alnum" "$conf" "$tsv_status"
    rm -rf "$scratch"
}
export -f ocr_one_page

echo "ocr: $no_text_pages pages, $JOBS at a time, $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wall_started=$(date +%s.%N)
tr '\n' '\0' <"$work_dir/pages.tsv" | xargs -0 -P "$JOBS" -I{} bash -c 'ocr_one_page "$1"' _ {} >"$work_dir/results.tsv"
wall_ended=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

awk -F'\t' -v wall="$(echo "$wall_ended - $wall_started" | bc)" -v min="$MIN_ALNUM" -v jobs="$JOBS" '
    { pages++; seconds += $3; conf += $5; if ($4 >= min) searchable++; else weak[++w] = $1 " page " $2 " (" $4 " alnum, conf " $5 ", " $6 ")" }
    END {
        if (pages == 0) { print "no pages to OCR"; exit }
        printf "wall %.1f s for %d pages with %d jobs: %.0f pages/hour (%.2f s/page per job)\n", wall, pages, jobs, pages * 3600 / wall, seconds / pages
        printf "searchable (>= %d alphanumerics): %d / %d = %.1f %%; mean confidence %.1f\n", min, searchable, pages, 100 * searchable / pages, conf / pages
        for (i = 1; i <= w; i++) print "  not searchable: " weak[i]
    }' "$work_dir/results.tsv"
echo "per-page results: $work_dir/results.tsv"
