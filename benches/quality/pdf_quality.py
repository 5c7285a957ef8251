#!/usr/bin/env python3
"""PDF extraction quality: our extractor against pdftotext, page by page, word-level F1.

For every PDF under the corpus folder, runs our extractor (pages separated by form feeds, like
`pdftotext FILE -`) and `pdftotext -enc UTF-8 FILE -`, and computes per page the F1 of the bags
of lowercase words (a word = a run of letters/digits). Pages count when pdftotext gives at least
40 letters/digits that are not garbage (control characters) and the corpus manifest classes the
page as born-digital (`T`); pages classed `O` (scan with an OCR text layer) are reported apart.

Usage:
  python3 benches/quality/pdf_quality.py [--extractor "CMD"] [--corpus DIR] [--jobs N] [--dump FILE.tsv]

The extractor command gets the PDF path appended; default: `woo extract` if the release `woo`
binary has it, else the `extract` example (`cargo build --release -p woo-indexer --example extract`).
Standard library only.
"""
import argparse
import collections
import concurrent.futures
import csv
import os
import re
import shlex
import statistics
import subprocess
import sys

WORD = re.compile(r"[^\W_]+")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def default_extractor():
    woo = os.path.join(ROOT, "target", "release", "woo")
    if os.path.exists(woo):
        probe = subprocess.run([woo, "extract", "--help"], capture_output=True)
        if probe.returncode == 0:
            return [woo, "extract"]
    for profile in ("release", "debug"):
        example = os.path.join(ROOT, "target", profile, "examples", "extract")
        if os.path.exists(example):
            return [example]
    sys.exit("no extractor: build it with `cargo build --release -p woo-indexer --example extract`")


def run_pages(command, timeout):
    """Runs command, returns the list of page texts (split on form feeds)."""
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    text = result.stdout.decode("utf-8", errors="replace")
    pages = text.split("\f")
    if pages and pages[-1].strip() == "":
        pages = pages[:-1]
    return pages, (result.stderr.decode("utf-8", errors="replace").strip() if result.returncode else "")


def words(text):
    return collections.Counter(match.lower() for match in WORD.findall(text))


def f1(reference, candidate):
    ref, cand = words(reference), words(candidate)
    total_ref, total_cand = sum(ref.values()), sum(cand.values())
    if total_ref == 0 and total_cand == 0:
        return 1.0
    common = sum((ref & cand).values())
    if common == 0:
        return 0.0
    precision, recall = common / total_cand, common / total_ref
    return 2 * precision * recall / (precision + recall)


def alphanumerics(text):
    return sum(1 for c in text if c.isalnum())


def is_garbage(text):
    """pdftotext output of fonts without a Unicode mapping: many control characters."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    control = sum(1 for c in visible if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\ufffd")
    return control / len(visible) > 0.02


def page_classes(corpus):
    """Manifest page classes (`TTSO...`) by absolute path."""
    manifest = os.path.join(corpus, "MANIFEST.csv")
    classes = {}
    if not os.path.exists(manifest):
        return classes
    base = os.path.dirname(corpus.rstrip("/"))
    with open(manifest, newline="") as handle:
        for row in csv.DictReader(handle):
            classes[os.path.normpath(os.path.join(base, row["path"]))] = row.get("page_classes", "")
    return classes


def compare_file(path, extractor):
    reference, ref_error = run_pages(["pdftotext", "-enc", "UTF-8", path, "-"], 120)
    ours, our_error = run_pages(extractor + [path], 300)
    return path, reference, ours, ref_error, our_error


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extractor", help="command line of our extractor (PDF path appended)")
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--dump", help="write every evaluated page as TSV here")
    args = parser.parse_args()
    extractor = shlex.split(args.extractor) if args.extractor else default_extractor()
    corpus = os.path.normpath(args.corpus)
    classes = page_classes(corpus)
    pdfs = sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(corpus)
        for name in names
        if name.lower().endswith(".pdf")
    )
    results = {"T": [], "O": []}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for path, reference, ours, ref_error, our_error in pool.map(lambda p: compare_file(p, extractor), pdfs):
            if our_error:
                failures.append((path, our_error.splitlines()[-1] if our_error else ""))
            if reference is None:
                continue
            page_class = classes.get(os.path.normpath(path), "")
            ours = ours or []
            for index, ref_text in enumerate(reference):
                if alphanumerics(ref_text) < 40 or is_garbage(ref_text):
                    continue
                kind = page_class[index] if index < len(page_class) else "T"
                if kind not in results:
                    continue
                our_text = ours[index] if index < len(ours) else ""
                score = f1(ref_text, our_text)
                results[kind].append((score, os.path.relpath(path, corpus), index + 1, ref_text, our_text))

    born_digital = results["T"]
    scores = [row[0] for row in born_digital]
    print(f"extractor: {' '.join(extractor)}")
    print(f"PDFs: {len(pdfs)}; born-digital pages evaluated: {len(scores)}")
    if scores:
        good = sum(1 for score in scores if score >= 0.90)
        print(f"median F1: {statistics.median(scores):.4f}   mean F1: {statistics.mean(scores):.4f}")
        print(f"pages with F1 >= 0.90: {good}/{len(scores)} = {100 * good / len(scores):.1f}%")
    ocr_scores = [row[0] for row in results["O"]]
    if ocr_scores:
        print(f"scan+OCR-layer pages: {len(ocr_scores)}, median F1 {statistics.median(ocr_scores):.4f}")
    print(f"\n{args.worst} worst born-digital pages:")
    for score, path, page, ref_text, our_text in sorted(born_digital)[: args.worst]:
        print(f"  {score:.3f}  {path} p{page}  (pdftotext {sum(words(ref_text).values())} words, ours {sum(words(our_text).values())})")
    if failures:
        print("\nfiles our extractor reported errors on:")
        for path, error in failures:
            print(f"  {os.path.relpath(path, corpus)}: {error}")
    if args.dump:
        with open(args.dump, "w", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t")
            for kind, rows in results.items():
                for score, path, page, ref_text, our_text in rows:
                    writer.writerow([kind, f"{score:.4f}", path, page])


if __name__ == "__main__":
    main()
