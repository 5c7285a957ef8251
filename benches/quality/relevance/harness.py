#!/usr/bin/env python3
"""Relevance of woo-search against SQLite FTS5 and Xapian over the same page texts.

Usage: harness.py [--url http://127.0.0.1:3000] [--qrels qrels.tsv] [--work /tmp/woo-relevance]

Needs a running `woo serve` over an index of ../shared/corpus (see benches/README.md). The page
texts are read through the woo-search page API, so all three engines search the same text:
SQLite FTS5 (bm25, tokenizer `unicode61 remove_diacritics 2`, one row per page) and Xapian
(Debian python3-xapian, Dutch Snowball stemmer, one document per page). Page hits of the peers
are grouped into documents by their best page. Reports recall@10, MRR@10 and nDCG@10 per query
kind and overall (binary judgements). Stdlib + sqlite3 + xapian only.
"""
import argparse
import collections
import json
import math
import os
import re
import sqlite3
import sys
import unicodedata
import urllib.parse
import urllib.request

import xapian

K = 10


def get_json(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def load_pages(base, work):
    """(source, page, text) of every page, cached in work/pages.json."""
    cache = os.path.join(work, "pages.json")
    if os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            return json.load(f)
    documents = []
    page_number = 1
    while True:
        answer = get_json(f"{base}/api/search?q=*&size=100&page={page_number}")
        documents.extend(answer["results"])
        if page_number * 100 >= answer["total"]:
            break
        page_number += 1
    pages = []
    for document in documents:
        quoted = urllib.parse.quote(document["id"], safe="")
        for page in range(1, document["page_count"] + 1):
            answer = get_json(f"{base}/api/documents/{quoted}/pages/{page}")
            pages.append([document["source"], page, answer["text"]])
    with open(cache, "w", encoding="utf-8") as f:
        json.dump(pages, f)
    return pages


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def top_documents(ranked_sources):
    seen = []
    for source in ranked_sources:
        if source not in seen:
            seen.append(source)
        if len(seen) == K:
            break
    return seen


def woo_search(base, query):
    url = f"{base}/api/search?size={K}&q={urllib.parse.quote(query)}"
    try:
        answer = get_json(url)
    except urllib.error.HTTPError as error:
        print(f"woo-search refused {query!r}: {error}", file=sys.stderr)
        return []
    return [result["source"] for result in answer["results"]]


def fts_query(query):
    """The user query in FTS5 syntax: words ANDed, OR/NOT kept, phrases kept, `-w` -> NOT."""
    tokens = re.findall(r'-?"[^"]*"(?:~\d+)?|\(|\)|\S+', query)
    out = []
    for token in tokens:
        negated = token.startswith("-") and len(token) > 1
        token = token[1:] if negated else token
        if token in ("OR", "AND", "NOT", "(", ")"):
            out.append(token)
            continue
        if token.startswith('"'):
            phrase = re.sub(r"~\d+$", "", token).strip('"')
            words = re.findall(r"\w+", fold(phrase))
            part = '"' + " ".join(words) + '"' if words else None
        else:
            token = token.split(":", 1)[-1].rstrip("~0123456789")
            prefix = token.endswith("*")
            words = re.findall(r"\w+", fold(token))
            if not words:
                continue
            part = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if part is None:
            continue
        if negated:
            out.append("NOT")
        out.append(part)
    return " ".join(out)


def build_fts(work, pages):
    path = os.path.join(work, "fts.sqlite")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5(source UNINDEXED, page UNINDEXED, text,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.executemany("INSERT INTO pages VALUES (?, ?, ?)", pages)
    db.commit()
    return db


def fts_search(db, query):
    expression = fts_query(query)
    try:
        rows = db.execute(
            "SELECT source FROM pages WHERE pages MATCH ? ORDER BY bm25(pages) LIMIT 500",
            (expression,),
        ).fetchall()
    except sqlite3.OperationalError as error:
        print(f"fts5 refused {expression!r}: {error}", file=sys.stderr)
        return []
    return top_documents([row[0] for row in rows])


def build_xapian(work, pages):
    path = os.path.join(work, "xapian")
    database = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    stemmer = xapian.Stem("dutch")
    generator = xapian.TermGenerator()
    generator.set_stemmer(stemmer)
    for source, page, text in pages:
        document = xapian.Document()
        generator.set_document(document)
        generator.index_text(fold(text))
        document.set_data(source)
        database.add_document(document)
    database.commit()
    return database


def xapian_search(database, query):
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("dutch"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_database(database)
    parser.set_default_op(xapian.Query.OP_AND)
    flags = (
        xapian.QueryParser.FLAG_PHRASE
        | xapian.QueryParser.FLAG_BOOLEAN
        | xapian.QueryParser.FLAG_LOVEHATE
        | xapian.QueryParser.FLAG_WILDCARD
    )
    text = re.sub(r"\b[a-z]+:(?=\S)", "", fold(query))
    text = re.sub(r"~\d*", "", text)
    try:
        parsed = parser.parse_query(text, flags)
    except xapian.QueryParserError as error:
        print(f"xapian refused {text!r}: {error}", file=sys.stderr)
        return []
    enquire = xapian.Enquire(database)
    enquire.set_query(parsed)
    matches = enquire.get_mset(0, 500)
    return top_documents([match.document.get_data().decode() for match in matches])


def metrics(ranked, relevant):
    ranked = ranked[:K]
    hits = [1 if source in relevant else 0 for source in ranked]
    recall = sum(hits) / len(relevant)
    mrr = next((1 / (rank + 1) for rank, hit in enumerate(hits) if hit), 0.0)
    dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), K)))
    return recall, mrr, dcg / ideal


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--url", default="http://127.0.0.1:3000")
    here = os.path.dirname(os.path.abspath(__file__))
    arguments.add_argument("--qrels", default=os.path.join(here, "qrels.tsv"))
    arguments.add_argument("--work", default="/tmp/woo-relevance")
    arguments.add_argument("--verbose", action="store_true")
    options = arguments.parse_args()
    os.makedirs(options.work, exist_ok=True)
    pages = load_pages(options.url, options.work)
    fts = build_fts(options.work, pages)
    database = build_xapian(options.work, pages)
    engines = {
        "woo-search": lambda q: woo_search(options.url, q),
        "sqlite-fts5": lambda q: fts_search(fts, q),
        "xapian": lambda q: xapian_search(database, q),
    }
    totals = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(options.qrels, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            query_id, kind, query, relevant_text = line.rstrip("\n").split("\t")
            relevant = set(relevant_text.split("|"))
            for engine, search in engines.items():
                ranked = search(query)
                scores = metrics(ranked, relevant)
                totals[engine][kind].append(scores)
                totals[engine]["ALL"].append(scores)
                if options.verbose:
                    print(f"{query_id}\t{engine}\t{query}\tR={scores[0]:.2f} MRR={scores[1]:.2f}")
    kinds = sorted(k for k in totals["woo-search"] if k != "ALL") + ["ALL"]
    print(f"{len(pages)} pages; {len(totals['woo-search']['ALL'])} judged queries; @{K}")
    print("| kind | n | woo-search R / MRR / nDCG | SQLite FTS5 R / MRR / nDCG | Xapian R / MRR / nDCG |")
    print("|---|---|---|---|---|")
    for kind in kinds:
        cells = []
        for engine in engines:
            rows = totals[engine][kind]
            means = [sum(row[i] for row in rows) / len(rows) for i in range(3)]
            cells.append(" / ".join(f"{value:.2f}" for value in means))
        print(f"| {kind} | {len(totals['woo-search'][kind])} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
