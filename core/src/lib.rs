//! woo-core: what the indexer writes and the server reads, in one place.
//!
//! Data flow (this crate holds the vocabulary of every stage, none of the stages):
//! ```text
//! source file -> woo_indexer (extract) -> model::Document / model::Page
//!   -> woo_indexer::write (records by schema::build_schema, text by analysis)
//!   -> index on disk -> woo_server (search: the same schema and analysis) -> JSON/HTML
//! ```
//!
//! Modules:
//! - [`mail`]     e-mail threads: thread subjects, visible participants and domains, threading
//! - [`model`]    the `Document` / `Page` types that flow through the pipeline, and their
//!   stored forms read back from the index
//! - [`schema`]   field names and `build_schema()`: the contract between indexer and server
//! - [`analysis`] the Dutch analyzer (tokenize keeping codes whole, fold, stem with exceptions)
//! - [`complaints`] complaint judgements: outcome values, the 22 norms of proper conduct
//!   (`data/behoorlijkheidsnormen.tsv`), the Awb handling term
//! - [`compound`] Dutch compound splitting over a bounded part list (`data/compound-parts.txt`)
//! - [`dates`]    dates as the index keeps them (`YYYY-MM-DD`, days since 1970) from every
//!   form the readers meet (ISO, `DD-MM-YY(YY)`, Dutch month names, Excel serials, PDF dates)
//! - [`retraction`] the retraction list: tombstones of withdrawn documents and publications,
//!   read by the server's public 410s and by every indexing run, written by the admin API
//! - [`ids`]      default document ids from source paths, hashes of documents without a file
//! - [`index`]    `open_index`: the schema-version check and the analyzers, for every reader
//! - [`error`]    `CoreError`, the crate's one error type
//! - [`similarity`] near-duplicates: MinHash signatures of a document's visible words and the
//!   clusters of documents whose signatures nearly agree
//! - [`woo`]      Woo value lists: information categories (TOOI), refusal grounds, judgements,
//!   publishers (TOOI organisations), and refusal-ground detection in page text
//!
//! No module here reads files of a publication or answers HTTP; the crate depends on tantivy
//! (schema, tokenizer traits, opening an index), rust-stemmers, regex, time, serde,
//! serde_json and sha2 only.

pub mod analysis;
pub mod complaints;
pub mod compound;
pub mod dates;
mod error;
pub mod ids;
pub mod index;
pub mod mail;
pub mod model;
pub mod retraction;
pub mod schema;
pub mod similarity;
pub mod woo;

pub use error::{CoreError, Result};
pub use index::open_index;
pub use model::{
    Document, DocumentFields, EmailHeaders, ExtractedAttachment, ExtractedPage, ExtractedPdf, Page,
    PdfInfo, StoredDocument, StoredPage, TextSource,
};
