//! woo-server: the tantivy index -> a JSON API and a plain HTML search page.
//!
//! Data flow:
//! ```text
//! HTTP request -> app (axum Router) -> params (query string -> SearchRequest)
//!   -> search::SearchService::search (spawn_blocking: query -> group pages -> facets -> snippets)
//!   -> SearchResponse -> JSON (/api/search) or html::render_search_page (/)
//! ```
//!
//! Modules:
//! - [`app`]     `fn app(state) -> Router`; handlers translate HTTP <-> search (the top: no
//!   module below imports it)
//! - [`admin`]   (feature `admin`, on by default) bearer tokens, retraction, publication
//!   upload and its jobs, `POST /api/admin/bulk`; the only module that uses the indexer (its
//!   ingest and write code). Without the feature the crate is the read-only search side and
//!   links no PDF, spreadsheet or XML reader
//! - [`params`]  strict query-string parsing into a `SearchRequest`
//! - [`dates`]   `YYYY[-MM[-DD]]` -> days since 1970, for `params` and the query's `date:`
//! - [`query`]   query validation (length, nesting, fields) and parsing for tantivy; the
//!   edit distance of suggestions and fuzzy highlighting
//! - [`search`]  grouping page hits into documents, facets, filters, snippets, page text
//!   (a folder: request, response, table, collect, facets, admission, page_text, complaints,
//!   complaint_patterns, service); the complaint judgements' facts and themes are built with
//!   the document table, their patterns counted per search
//! - [`statistics`] Wilson score intervals, the two-proportion z-test, Benjamini–Hochberg, the
//!   median (pure functions on counts)
//! - [`compare`] the redaction differences of two documents: their words aligned, the spans
//!   one redacts (stamp, mark, box) and the other discloses, with the grounds
//! - [`duplicates_page`] a document's near-duplicates on its page, and the comparison page of two
//!   documents' redactions
//! - [`threads_page`] a document's e-mail thread note, and the thread page `/threads/{id}`
//! - [`complaints`] the complaint patterns over HTTP: `group`/`format`/`section` plus the
//!   search's parameters -> the answer of `GET /api/complaints/stats`, its CSV sections
//! - [`complaints_page`] the `/complaints` page: the patterns as inline SVG charts and tables
//! - [`read_directory`] an index opening that reads files instead of mapping them (the
//!   document table is built through one, so the doc store pages it reads do not stay mapped)
//! - [`highlight`] what a query matched in page text (words, stems, compound parts, phrases,
//!   prefixes, fuzzy words) and the snippet around it
//! - [`markup`]  HTML escaping and `<mark>` rendering (depends on nothing else in the crate)
//! - [`html`]    the server-rendered search page and document page
//! - [`export`]  CSV/JSON exports and the Atom feed
//! - [`headers`] the Content-Security-Policy, `nosniff`, referrer policy and `Cache-Control`
//!   every response carries (tower-http header layers)
//! - [`rate_limit`] requests per second per client address (429 beyond it)
//! - [`server`]  serving `app` on a listener: hyper HTTP/1.1 with header and body read
//!   timeouts, a cap on open connections, graceful shutdown
//! - [`error`]   `ApiError` and its JSON response
//! - [`bulk`]    the bulk load's limits and answer at their old path (the code is in [`admin`])

#[cfg(feature = "admin")]
pub mod admin;
pub mod app;
pub mod compare;
pub mod complaints;
pub mod complaints_page;
pub mod dates;
pub mod duplicates_page;
pub mod error;
pub mod export;
pub mod headers;
pub mod highlight;
pub mod html;
pub mod markup;
pub mod params;
pub mod query;
pub mod rate_limit;
pub mod read_directory;
pub mod search;
pub mod server;
pub mod statistics;
pub mod threads_page;

#[cfg(feature = "admin")]
/// `POST /api/admin/bulk`'s limits and answer, at the path they had before the admin API
/// became a folder.
pub mod bulk {
    pub use crate::admin::{
        BulkAnswer, RecordError, RecordResult, MAX_BULK_BODY_BYTES, MAX_BULK_LINE_BYTES,
        MAX_BULK_RECORDS,
    };
}

pub use app::{app, AppState};
pub use error::ApiError;
pub use search::{LoadLimits, SearchRequest, SearchResponse, SearchService};
pub use server::{serve, serve_with_limits, ConnectionLimits};
