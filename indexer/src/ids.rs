//! The ids and hashes that need a file's metadata: the id of a file's document
//! ([`id_of_entry`]: the metadata's, else `woo_core::ids::default_document_id` of the path) and
//! the [`content_hash`] of a file with its metadata, which lets a run skip what is unchanged.
//! The ids and hashes without metadata are in `woo_core::ids`.

use sha2::{Digest, Sha256};

use crate::metadata::{DocumentMetadata, ResolvedMetadata};
use woo_core::ids::{default_document_id, hex};

/// The id the metadata gives a file's document, or the stable id derived from its path.
pub fn id_of_entry(entry: &DocumentMetadata, source: &str) -> String {
    entry
        .id
        .clone()
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| default_document_id(source))
}

/// Hash of the file bytes, its metadata and the OCR setting: unchanged hash = nothing to do.
pub fn content_hash(bytes: &[u8], resolved: &ResolvedMetadata, ocr_enabled: bool) -> String {
    let mut hasher = Sha256::new();
    hasher.update(bytes);
    hasher.update(b"\0");
    hasher.update(serde_json::to_vec(&resolved.document).unwrap_or_default());
    if let Some(publication) = &resolved.publication {
        hasher.update(publication.id.as_bytes());
        hasher.update(publication.title.as_deref().unwrap_or("").as_bytes());
        hasher.update(publication.publisher.as_deref().unwrap_or("").as_bytes());
        hasher.update(publication.category.as_deref().unwrap_or("").as_bytes());
        hasher.update(publication.date.as_deref().unwrap_or("").as_bytes());
    }
    hasher.update(if ocr_enabled { b"ocr" } else { b"---" });
    hasher.update(woo_core::schema::SCHEMA_VERSION.to_le_bytes());
    hex(&hasher.finalize())
}
