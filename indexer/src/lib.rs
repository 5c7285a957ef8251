//! woo-indexer: published Woo material -> extracted pages -> one tantivy index.
//!
//! Data flow:
//! ```text
//! source file (PDF + sidecar JSON / publication.json)
//!   -> pdf::extract_pdf        text per page (lopdf content-stream walker)
//!   -> ocr::ocr_page           scanned pages -> text (Tesseract, cached by image hash)
//!   -> document::build_document  metadata + language + refusal grounds -> Document / Page
//!   -> write::IndexWriterSession::upsert   one tantivy document per page plus one per document
//!   -> index on disk -> read by the server crate (search -> JSON/HTML)
//! ```
//!
//! The vocabulary every stage shares (model, schema, analysis, compound, dates, the Woo value
//! lists, the retraction list) is in `woo_core`; this crate holds the stages.
//!
//! Modules:
//! - [`complaint`] complaint judgements (`*.klachten.csv`/`.jsonl`) -> documents of category 2l
//! - [`decision`]  decision letters: decision and request dates, decision type, articles cited
//! - [`pdf`]       lopdf -> text per page, with limits
//! - [`readers`]   every other format (office, spreadsheets, e-mail, HTML, zip, XML, images...) -> the same pages; the format by file name
//! - [`privacy`]   personal data that must not be published (BSN, e-mail, phone, IBAN, address, date of birth)
//! - [`ocr`]       Tesseract OCR for pages without a usable text layer, with a cache
//! - [`metadata`]  sidecar `NAME.pdf.json` and `publication.json` -> document metadata
//! - [`diwoo`]     DiWoo sitemaps (KOOP XML metadata, 0.9.8 and 0.9.4) -> document metadata
//! - [`inventory`] inventory lists (xlsx, csv, tables in PDFs) -> rows with id, title, date, judgement, grounds;
//!   `inventory::link` links the rows to the PDFs they describe
//! - `bundle`    a concatenated PDF (decision + inventory + documents) -> its documents' page ranges
//! - [`pages`]     text-page files (`*.pages.jsonl`): documents with extracted page texts, no PDF
//! - `ids`       document ids from source paths, content hashes
//! - `document`  a file's extraction + metadata -> its Documents (title, language, references, bundle parts)
//! - `email_headers` an e-mail's printed header blocks and reply lines -> its messages (sender,
//!   recipients, sent, subject), for `woo_core::mail`'s threads
//! - `discover`  walk the inputs into the files to process, their metadata and the documents without a file
//! - `process`   one input file -> its documents (or unchanged, retracted, failed), on a worker thread
//! - `options`   `IndexOptions` and `RunControl`: what a run is asked to do
//! - `report`    per-file reports, progress events, the run summary
//! - [`ingest`]    a run: discover -> link inventories -> process files -> write units -> commit
//! - [`write`]     documents -> tantivy: upsert by id, commit, fsync
//! - [`worker`]    extraction in a child process with resource limits; outcome classes
//! - `test_hooks` (feature `test-hooks`, tests only) the crash tests' pause inside a commit
//! - [`error`]     `IndexerError`, the crate's one error type

mod bundle;
pub mod complaint;
pub mod complaint_letter;
pub mod decision;
mod discover;
pub mod diwoo;
mod document;
pub mod email_headers;
pub mod error;
mod ids;
pub mod ingest;
pub mod inventory;
pub mod metadata;
pub mod ocr;
mod options;
pub mod pages;
pub mod pdf;
pub mod privacy;
mod process;
pub mod readers;
mod report;
#[cfg(feature = "test-hooks")]
pub mod test_hooks;
pub mod worker;
pub mod write;

pub use error::{IndexerError, Result};
