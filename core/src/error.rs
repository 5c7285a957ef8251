//! The one error type of the core crate.

use std::path::PathBuf;

/// What can go wrong in the shared layer: opening the index.
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
}

/// Result with [`CoreError`].
pub type Result<T> = std::result::Result<T, CoreError>;
