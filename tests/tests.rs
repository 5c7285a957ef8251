//! The one end-to-end test binary (see `autotests = false` in Cargo.toml).

/// Shared set-up: the fixtures indexed once, and helpers to call `app()` with `oneshot`.
mod common;

/// The JSON API over the fixtures: search, facets, filters, snippets, pages, files, bad input.
mod api;

/// The query language, compound splitting, identifiers first and suggestions.
mod query;

/// The HTML search page over the fixtures.
mod html;

/// Load: `POST /api/search` (413, 415, bad JSON), 503 `overloaded` and `search_timeout` when
/// searches wait, 429 `rate_limited` per client address.
mod load;

/// The admin API on its own temporary index: tokens, retraction (410, absence, durability),
/// zip upload (idempotent, bounded), re-upload of a retracted publication, NDJSON bulk load.
mod admin;

/// HTTP surface: security and cache headers, sandboxed PDFs, `--public-url`, timeouts and
/// connection limits on a real socket, the OpenAPI description checked against the code.
mod http;

/// The hostile corpus of RELIABILITY.md §5.1 (49 files) in its expected classes, twice and
/// in a load beside 100 valid PDFs; extraction isolated in `woo extract-worker` children.
mod hostile;

/// Crash consistency: `woo index` and `woo serve` (bulk API, retractions) killed with SIGKILL
/// at seeded random moments, some inside commit; a 620-document publication committed as a
/// unit. `WOO_CRASH_ITERATIONS` sets the number of kills (default 25).
mod crash;

/// The `woo` binary: index summary and exit status, re-runs, extract.
mod cli;

/// Complaint judgements read from their letters: the judged set, accuracy per field and half.
mod complaint_letters;

/// Near-duplicates: judged pairs clustered from their stored signatures, precision and recall.
mod duplicates;

/// Text-page input (`*.pages.jsonl`): documents with page texts, no PDF parsing.
mod pages;

/// Every format besides PDF: docx, odt, spreadsheets, csv, text, HTML, e-mail with
/// attachments, zip archives, official-publication and court XML; and a hostile file of each.
mod formats;

/// The real documents in ../shared/corpus, when present.
mod corpus;

/// The search page's new routes: document page, CSV/JSON export, Atom feed, lang=en.
mod page;

/// The search page in headless Chromium over WebDriver (skips when Chromium is missing).
mod browser;
/// Complaint patterns over a planted collection: `/api/complaints/stats` (shares, intervals,
/// handling time, norms, trends, themes, CSV, links that reproduce each figure) and `/complaints`.
mod complaints;

/// Woo structure: decision letters (dates, decision, articles), their facet and filters.
mod woo;

/// E-mail threads: the judged conversations' headers and threads per half, the thread API,
/// facets and pages, and the real release's e-mails when the corpus is there.
mod threads;
