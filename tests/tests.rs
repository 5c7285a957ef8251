//! The one end-to-end test binary (see `autotests = false` in Cargo.toml).

/// Shared set-up: the fixtures indexed once, and helpers to call `app()` with `oneshot`.
mod common;

/// The JSON API over the fixtures: search, facets, filters, snippets, pages, files, bad input.
mod api;

/// The HTML search page over the fixtures.
mod html;

/// The `woo` binary: index summary and exit status, re-runs, extract.
mod cli;

/// The real documents in ../shared/corpus, when present.
mod corpus;

/// Woo structure: decision letters (dates, decision, articles), their facet and filters.
mod woo;
