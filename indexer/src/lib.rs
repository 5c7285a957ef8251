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
//! Modules:
//! - [`model`]     the `Document` / `Page` types that flow through the pipeline
//! - [`complaint`] complaint judgements (`*.klachten.csv`/`.jsonl`) -> documents of category 2l
//! - [`decision`]  decision letters: decision and request dates, decision type, articles cited
//! - [`woo`]       Woo value lists: information categories (TOOI), refusal grounds, judgements
//! - [`analysis`]  the Dutch analyzer (tokenize keeping codes whole, fold, stem with exceptions)
//! - [`compound`]  Dutch compound splitting over a bounded part list (`data/compound-parts.txt`)
//! - [`schema`]    field names and `build_schema()`: the contract the server reads
//! - [`pdf`]       lopdf -> text per page, with limits
//! - [`ocr`]       Tesseract OCR for pages without a usable text layer, with a cache
//! - [`metadata`]  sidecar `NAME.pdf.json` and `publication.json` -> document metadata
//! - [`diwoo`]     DiWoo sitemaps (KOOP XML metadata, 0.9.8 and 0.9.4) -> document metadata
//! - [`inventory`] inventory lists (xlsx, csv, tables in PDFs) -> rows with id, title, date, judgement, grounds;
//!   [`inventory::link`] links the rows to the PDFs they describe
//! - [`bundle`]    a concatenated PDF (decision + inventory + documents) -> its documents' page ranges
//! - [`pages`]     text-page files (`*.pages.jsonl`): documents with extracted page texts, no PDF
//! - [`dates`]     date parsing (ISO, `DD-MM-YY(YY)`, Dutch month names, Excel serials, PDF dates) -> `YYYY-MM-DD`, days
//! - [`ids`]       document ids from source paths, content hashes
//! - [`document`]  a file's extraction + metadata -> its Documents (title, language, references, bundle parts)
//! - [`discover`]  walk the inputs into the files to process, their metadata and the documents without a file
//! - [`process`]   one input file -> its documents (or unchanged, retracted, failed), on a worker thread
//! - [`options`]   `IndexOptions` and `RunControl`: what a run is asked to do
//! - [`report`]    per-file reports, progress events, the run summary
//! - [`ingest`]    a run: discover -> link inventories -> process files -> write units -> commit
//! - [`write`]     documents -> tantivy: upsert by id, commit, fsync
//! - [`worker`]    extraction in a child process with resource limits; outcome classes
//! - [`retraction`] tombstones of withdrawn documents/publications, honoured by every run
//! - `test_hooks` (feature `test-hooks`, tests only) the crash tests' pause inside a commit
//! - [`error`]     `IndexerError`, the crate's one error type

pub mod bundle;
pub mod complaint;
pub mod decision;
pub mod discover;
pub mod diwoo;
pub mod document;
pub mod error;
pub mod ids;
pub mod ingest;
pub mod inventory;
pub mod metadata;
pub mod ocr;
pub mod options;
pub mod pages;
pub mod pdf;
pub mod process;
pub mod report;
pub mod retraction;
#[cfg(feature = "test-hooks")]
pub mod test_hooks;
pub mod worker;
pub mod write;

pub use error::{IndexerError, Result};
// The shared vocabulary lives in woo-core; these paths keep `crate::schema` etc. working.
pub use woo_core::{analysis, compound, dates, model, schema, woo};

pub use model::{
    Document, ExtractedPage, ExtractedPdf, Page, PdfInfo, StoredDocument, StoredPage, TextSource,
};
