//! Which publication a document id belongs to: an upload or bulk record may write only ids
//! that are new or already its own publication's. An id of another publication (or of a
//! document published on its own) is refused with 409 `id_conflict`, unless the request says
//! `?take_over=true` with a token that also has the `retract` scope (taking a document over
//! withdraws it from its old publication).
//!
//! The ids an upload will write are planned before anything is indexed ([`planned_ids`]):
//! the id `publication.json` or a sidecar gives a PDF, else the default id of its source
//! `<publication id>/<path in the archive>`, the same id the indexer derives (so unlisted files
//! of two publications never share an id).

use std::collections::BTreeMap;

use woo_core::ids::default_document_id;
use woo_indexer::metadata::{DocumentMetadata, PublicationMetadata};

use crate::error::{ApiError, Result};
use crate::search::SearchService;

/// Longest accepted document id, in bytes.
pub const MAX_DOCUMENT_ID_BYTES: usize = 200;

/// A document id an upload may name: not empty, at most [`MAX_DOCUMENT_ID_BYTES`], no control
/// characters, no `/` or `\`, and not `.` or `..` (ids end up in URLs and file reports).
pub fn is_safe_document_id(id: &str) -> bool {
    !id.trim().is_empty()
        && id.len() <= MAX_DOCUMENT_ID_BYTES
        && id != "."
        && id != ".."
        && !id.chars().any(|c| c.is_control() || c == '/' || c == '\\')
}

/// The source the indexer gives a file of an uploaded publication: `<publication>/<name>`.
pub fn upload_source(publication_id: &str, name_in_publication: &str) -> String {
    format!("{publication_id}/{name_in_publication}")
}

/// The document id each PDF of a publication will get, by its name in the publication
/// folder: the id its sidecar gives, else the id `publication.json` gives, else the default
/// id of its source.
pub fn planned_ids(
    publication: &PublicationMetadata,
    pdf_names: &[String],
    sidecars: &BTreeMap<String, DocumentMetadata>,
) -> BTreeMap<String, String> {
    let mut planned = BTreeMap::new();
    for name in pdf_names {
        let from_sidecar = sidecars.get(name).and_then(|entry| entry.id.clone());
        let from_publication = publication
            .documents
            .iter()
            .find(|document| document.file.as_deref() == Some(name.as_str()))
            .and_then(|document| document.id.clone());
        let id = from_sidecar
            .or(from_publication)
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| default_document_id(&upload_source(&publication.id, name)));
        planned.insert(name.clone(), id);
    }
    planned
}

/// Refuses ids that are unsafe, or that name another publication than `publication_id` in a
/// document's own metadata.
pub fn check_named_ids(
    publication_id: &str,
    documents: &[&DocumentMetadata],
) -> std::result::Result<(), String> {
    for document in documents {
        if let Some(id) = &document.id {
            if !is_safe_document_id(id) {
                return Err(format!(
                    "document id {id:?} is not allowed (empty, over {MAX_DOCUMENT_ID_BYTES} bytes, or holding '/', '\\' or control characters)"
                ));
            }
        }
        if let Some(other) = &document.publication_id {
            if other != publication_id {
                return Err(format!(
                    "a document of publication {publication_id:?} names publication {other:?}"
                ));
            }
        }
    }
    Ok(())
}

/// The ids of `ids` that the index holds under another publication than `publication_id`,
/// with their owner (`None`: a document published on its own).
pub fn foreign_ids<'a>(
    search: &SearchService,
    publication_id: &str,
    ids: impl IntoIterator<Item = &'a String>,
) -> Vec<(String, Option<String>)> {
    let table = search.table();
    let mut foreign = Vec::new();
    for id in ids {
        let Some(&position) = table.by_id.get(id) else {
            continue;
        };
        let owner = table.entries[position].stored.fields.publication_id.clone();
        if owner.as_deref() != Some(publication_id) {
            foreign.push((id.clone(), owner));
        }
    }
    foreign
}

/// The 409 for ids of other publications, or `Ok` when there are none.
pub fn refuse_foreign_ids(
    publication_id: &str,
    foreign: &[(String, Option<String>)],
) -> Result<()> {
    let Some((id, owner)) = foreign.first() else {
        return Ok(());
    };
    let owner_text = match owner {
        Some(owner) => format!("publication {owner:?}"),
        None => "a document published on its own".to_string(),
    };
    let more = match foreign.len() {
        1 => String::new(),
        count => format!(" (and {} more)", count - 1),
    };
    Err(ApiError::IdConflict(format!(
        "document id {id:?} belongs to {owner_text}, not to {publication_id:?}{more}; send ?take_over=true with a token that has the retract scope to move it on purpose"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_document_ids_are_refused() {
        assert!(is_safe_document_id("VWS-WOO-2024-0117-0002"));
        assert!(is_safe_document_id("document 12 (bijlage)"));
        assert!(!is_safe_document_id("../../x"));
        assert!(!is_safe_document_id("a/b"));
        assert!(!is_safe_document_id(".."));
        assert!(!is_safe_document_id(" "));
        assert!(!is_safe_document_id("a\nb"));
        assert!(!is_safe_document_id(&"x".repeat(201)));
    }

    #[test]
    fn unlisted_files_get_ids_of_their_publication() {
        let publication = PublicationMetadata {
            id: "P1".to_string(),
            documents: vec![DocumentMetadata {
                file: Some("a.pdf".to_string()),
                id: Some("P1-A".to_string()),
                ..DocumentMetadata::default()
            }],
            ..PublicationMetadata::default()
        };
        let names = vec!["a.pdf".to_string(), "b.pdf".to_string()];
        let planned = planned_ids(&publication, &names, &BTreeMap::new());
        assert_eq!(planned["a.pdf"], "P1-A");
        assert!(
            planned["b.pdf"].starts_with("p1-b-"),
            "{}",
            planned["b.pdf"]
        );
        let other = PublicationMetadata {
            id: "P2".to_string(),
            ..PublicationMetadata::default()
        };
        let planned_other = planned_ids(&other, &names, &BTreeMap::new());
        assert_ne!(planned["b.pdf"], planned_other["b.pdf"]);
    }
}
