#!/usr/bin/env bash
# Runs one fuzz target for a while on the stable toolchain (no sanitizer, RELIABILITY.md §5.2).
#
#   fuzz/run.sh TARGET [SECONDS]     targets: extract_pdf validate_and_parse_query
#                                    parse_search_params extract_xlsx parse_complaint_record
#                                    read_document
#
# Seeds are generated at run time into fuzz/seeds/TARGET (the hostile PDFs and the fixtures
# from `woo fixtures`, sample queries, parameters, complaint records, a small xlsx); new
# inputs go to fuzz/corpus/TARGET and crashes to fuzz/artifacts/TARGET. Exits non-zero on a
# finding. Needs cargo-fuzz (`cargo install cargo-fuzz`). WOO_FUZZ_DEV=1 builds the targets
# unoptimised (`cargo fuzz run --dev`: minutes to build instead of half an hour, slower
# fuzzing), as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: fuzz/run.sh TARGET [SECONDS]}"
seconds="${2:-60}"
seeds="fuzz/seeds/$target"
corpus="fuzz/corpus/$target"
mkdir -p "$seeds" "$corpus"

write_query_seeds() {
  local n=0
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" > "$seeds/seed-$n"
  done
}

max_len=4096
dict=""
case "$target" in
  extract_pdf)
    max_len=1048576
    dict="fuzz/dicts/pdf.dict"
    woo=target/debug/woo
    [ -x "$woo" ] || cargo build --quiet --bin woo
    "$woo" fixtures --hostile "$seeds/hostile" >/dev/null
    "$woo" fixtures "$seeds/fixtures" >/dev/null
    # libFuzzer reads seed files from the directory itself, not from subfolders.
    find "$seeds/hostile" "$seeds/fixtures" -name '*.pdf' -size -1024k -exec cp {} "$seeds/" \;
    rm -rf "$seeds/hostile" "$seeds/fixtures"
    ;;
  validate_and_parse_query)
    dict="fuzz/dicts/query.dict"
    write_query_seeds <<'QUERIES'
mondkapjes
"persoonlijke beschermingsmiddelen" AND (ffp2 OR mondkapje)
title:besluit NOT ground:5.1.2e
year:[2020 TO 2023] publisher:"Ministerie van VWS"
mondkap* jansen~1 -vertrouwelijk +woo
(((a OR b) AND c) OR (d AND (e OR f)))
QUERIES
    ;;
  parse_search_params)
    dict="fuzz/dicts/query.dict"
    write_query_seeds <<'PARAMS'
q=mondkapjes&page=2&size=20&sort=date
q=besluit&publisher=Ministerie+van+VWS&from=2020-01&to=2023-12-31
q=%22woo-verzoek%22&ground=5.1.2e&category=2i&decided_from=2021
q=a&q=b
q=%FF%FE&size=101&page=0
PARAMS
    ;;
  parse_complaint_record)
    first=1
    for file in tests/data/klachten/*.csv; do
      { printf '\x00'; cat "$file"; } > "$seeds/seed-csv-$first"
      first=$((first + 1))
    done
    printf '\x01{"id":"K-1","title":"Klacht over bejegening","outcome":"gegrond","date_judged":"2024-03-01"}\n' > "$seeds/seed-jsonl"
    ;;
  extract_xlsx)
    max_len=262144
    # The seed workbook is written with Python's zipfile; without python3 the target starts
    # from an empty corpus.
    command -v python3 >/dev/null || { echo "fuzz/run.sh: no python3, no xlsx seed" >&2; }
    command -v python3 >/dev/null && python3 - "$seeds/minimal.xlsx" <<'PY'
import sys, zipfile
sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>ID</t></is></c><c r="B1" t="inlineStr"><is><t>Document naam</t></is></c>'
         '<c r="C1" t="inlineStr"><is><t>Beoordeling</t></is></c><c r="D1" t="inlineStr"><is><t>Weigeringsgrond</t></is></c></row>'
         '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Besluit</t></is></c>'
         '<c r="C2" t="inlineStr"><is><t>Deels openbaar</t></is></c><c r="D2" t="inlineStr"><is><t>5.1.2e</t></is></c></row>'
         '</sheetData></worksheet>')
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Inventaris" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', sheet)
PY
    ;;
  read_document)
    max_len=262144
    woo=target/debug/woo
    [ -x "$woo" ] || cargo build --quiet --bin woo
    "$woo" fixtures --formats "$seeds/formats" >/dev/null
    # The first byte picks the reader (NAMES in fuzz_targets/read_document.rs).
    names=(docx odt xlsx ods csv txt html eml msg zip xml png)
    for file in "$seeds"/formats/*; do
      extension="${file##*.}"
      [ "$extension" = md ] && extension=txt
      for index in "${!names[@]}"; do
        if [ "${names[$index]}" = "$extension" ] && [ "$(stat -c %s "$file")" -lt 262144 ]; then
          { printf "\\$(printf '%03o' "$index")"; cat "$file"; } > "$seeds/seed-$(basename "$file")"
        fi
      done
    done
    rm -rf "$seeds/formats"
    ;;
  *)
    echo "unknown target $target" >&2
    exit 2
    ;;
esac

root="$(pwd)"
# An unoptimised build is 40x slower: an input taking 0.3 s optimised took over 10 s.
timeout=10
if [ "${WOO_FUZZ_DEV:-0}" = 1 ]; then
  timeout=60
fi
flags=(-max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1)
if [ -n "$dict" ]; then
  flags+=(-dict="$root/$dict")
fi
cd fuzz
build=()
if [ "${WOO_FUZZ_DEV:-0}" = 1 ]; then
  build=(--dev)
fi
nice cargo fuzz run "${build[@]}" "$target" -s none "$root/$corpus" "$root/$seeds" -- "${flags[@]}"
