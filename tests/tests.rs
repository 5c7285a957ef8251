//! The one end-to-end test binary (see `autotests = false` in Cargo.toml).

/// Shared set-up: the fixtures indexed once, and helpers to call `app()` with `oneshot`.
mod common;

/// The JSON API over the fixtures: search, facets, filters, snippets, pages, files, bad input.
mod api;

/// The query language, compound splitting, identifiers first and suggestions.
mod query;

/// The HTML search page over the fixtures.
mod html;

/// The admin API on its own temporary index: tokens, retraction (410, absence, durability),
/// zip upload (idempotent, bounded), re-upload of a retracted publication.
mod admin;

/// Hostile and damaged PDFs beside good ones: every file classified, the good ones indexed,
/// extraction isolated in `woo extract-worker` children.
mod hostile;

/// `woo index` killed with SIGKILL at random moments: the index opens, no publication is
/// half-present, a re-run completes.
mod crash;

/// The `woo` binary: index summary and exit status, re-runs, extract.
mod cli;

/// Text-page input (`*.pages.jsonl`): documents with page texts, no PDF parsing.
mod pages;

/// The real documents in ../shared/corpus, when present.
mod corpus;

/// The search page's new routes: document page, CSV/JSON export, Atom feed, lang=en.
mod page;

/// The search page in headless Chromium over WebDriver (skips when Chromium is missing).
mod browser;
/// Woo structure: decision letters (dates, decision, articles), their facet and filters.
mod woo;
