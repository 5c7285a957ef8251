//! The one error type of the indexer crate.

use std::path::PathBuf;

/// Everything that can go wrong while reading, extracting or indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// A file could not be read from disk.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file does not start like a PDF.
    #[error("{0}: not a PDF file")]
    NotPdf(String),
    /// A file of a format no reader takes, or not what its name says.
    #[error("{name}: {reason}")]
    UnsupportedFormat {
        /// The file name.
        name: String,
        /// What it is, or why it is not read.
        reason: String,
    },
    /// A file of a readable format that is damaged (a broken zip container, invalid XML).
    #[error("{name}: malformed {format}: {reason}")]
    MalformedFile {
        /// The file name.
        name: String,
        /// The format (`docx`, `xml`...).
        format: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// The PDF needs a password to open.
    #[error("{0}: encrypted, a password is needed")]
    Encrypted(String),
    /// The PDF is damaged beyond recovery.
    #[error("{name}: malformed PDF: {reason}")]
    MalformedPdf {
        /// The file name.
        name: String,
        /// What lopdf or our checks said.
        reason: String,
    },
    /// A limit (size, pages, time) was hit.
    #[error("{name}: {reason}")]
    Limit {
        /// The file name.
        name: String,
        /// Which limit.
        reason: String,
    },
    /// A metadata file (sidecar, publication.json) is invalid.
    #[error("{path}: invalid metadata: {reason}")]
    Metadata {
        /// The metadata file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// An inventory list (xlsx, csv) cannot be read.
    #[error("{path}: invalid inventory: {reason}")]
    Inventory {
        /// The inventory file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A complaint-records file (`*.klachten.csv`, `*.klachten.jsonl`) cannot be read.
    #[error("{path}: invalid complaint records: {reason}")]
    Complaint {
        /// The records file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A text-page file (`*.pages.jsonl`) has a line that cannot be read.
    #[error("{path}: invalid text pages: {reason}")]
    TextPages {
        /// The text-page file.
        path: PathBuf,
        /// What is wrong (with the line number).
        reason: String,
    },
    /// The extractor panicked on this file.
    #[error("{name}: extractor crashed: {message}")]
    Panicked {
        /// The file name.
        name: String,
        /// The panic message.
        message: String,
    },
    /// OCR failed.
    #[error("ocr failed: {0}")]
    Ocr(String),
    /// tantivy reported an error.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Opening an index directory failed.
    #[error("cannot open index directory {path}: {reason}")]
    IndexDirectory {
        /// The directory.
        path: PathBuf,
        /// The cause.
        reason: String,
    },
    /// The shared layer (opening the index) failed.
    #[error(transparent)]
    Core(#[from] woo_core::CoreError),
    /// Other I/O error.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result with [`IndexerError`].
pub type Result<T> = std::result::Result<T, IndexerError>;
