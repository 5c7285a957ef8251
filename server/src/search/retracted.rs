//! The answer for a document id that is not in the index: 410 when it was retracted, 404
//! otherwise. Reads the retraction list (`woo_core::retraction`) through the index's own
//! directory, so a read-only server (no admin API, no indexer) answers 410 too.

use std::path::Path;

use tantivy::Directory;
use woo_core::retraction::{RetractionList, RETRACTIONS_FILE};

use super::service::SearchService;
use crate::error::ApiError;

/// The error for a document id that is not in the index: 410 with the reason when it was
/// retracted, else 404.
pub fn missing_document(search: &SearchService, id: &str) -> ApiError {
    let list = read_retractions(search);
    if let Some(tombstone) = list.of_document(id) {
        return ApiError::Retracted {
            message: tombstone.message(),
            conflict: false,
        };
    }
    ApiError::NotFound(format!("no document with id {id:?}"))
}

/// The index's retraction list; an unreadable list is logged and counts as empty (the
/// document is then answered 404, never 500).
fn read_retractions(search: &SearchService) -> RetractionList {
    let directory = search.index().directory();
    let Ok(bytes) = directory.atomic_read(Path::new(RETRACTIONS_FILE)) else {
        return RetractionList::default();
    };
    match RetractionList::from_json(&bytes) {
        Ok(list) => list,
        Err(error) => {
            tracing::error!("retraction list unreadable: {error}");
            RetractionList::default()
        }
    }
}
