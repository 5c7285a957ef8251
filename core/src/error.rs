//! The one error type of the core crate.

use std::path::PathBuf;

/// What can go wrong in the shared layer: opening the index, reading or writing its
/// retraction list.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Opening an index directory failed.
    #[error("cannot open index directory {path}: {reason}")]
    IndexDirectory {
        /// The directory.
        path: PathBuf,
        /// The cause.
        reason: String,
    },
    /// A file of the index directory cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file of the index directory cannot be written durably.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The retraction list is not valid JSON of its shape.
    #[error("{path}: invalid retraction list: {reason}")]
    RetractionList {
        /// The list's file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Result with [`CoreError`].
pub type Result<T> = std::result::Result<T, CoreError>;
