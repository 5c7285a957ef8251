//! The retraction list: tombstones of withdrawn documents and publications, kept in the index
//! directory, honoured by every later indexing run.
//!
//! A tombstone names a document id or a publication id, the reason (from the closed list
//! [`RETRACTION_REASONS`]), a free-text explanation, the actor (the admin token's name) and the
//! time. The list is one JSON file, [`RETRACTIONS_FILE`], written durably: a temporary file is
//! written and fsynced, renamed over the old one, and the directory is fsynced, so a crash
//! leaves either the old or the new list, never half of one.
//!
//! `woo index` and the upload API skip every file whose document id or publication id has a
//! tombstone (reported as `retracted`), until the id is re-published on purpose
//! ([`RetractionList::remove`], `woo index --republish ID`). The tombstone carries no page
//! text; for personal-data retractions keep the explanation free of personal data.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// File in the index directory holding the retraction list.
pub const RETRACTIONS_FILE: &str = "woo-retractions.json";

/// The accepted retraction reasons (the DiWoo withdrawal reasons named in issue 6, in Dutch,
/// lowercase). Anything else is refused.
pub const RETRACTION_REASONS: &[&str] = &[
    "correctie privacygevoelige gegevens",
    "procedurele fout",
    "anders",
];

/// Whether `reason` is one of [`RETRACTION_REASONS`] (compared case-insensitively, trimmed).
pub fn is_known_reason(reason: &str) -> bool {
    let wanted = reason.trim().to_lowercase();
    RETRACTION_REASONS.iter().any(|known| *known == wanted)
}

/// What a tombstone withdraws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetractionKind {
    /// One document id.
    Document,
    /// Every document of a publication id.
    Publication,
}

impl RetractionKind {
    /// `document` or `publication`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetractionKind::Document => "document",
            RetractionKind::Publication => "publication",
        }
    }
}

/// One withdrawn document or publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tombstone {
    /// The document id or publication id.
    pub id: String,
    /// Which kind of id.
    pub kind: RetractionKind,
    /// One of [`RETRACTION_REASONS`].
    pub reason: String,
    /// Free-text explanation (no personal data).
    #[serde(default)]
    pub explanation: String,
    /// Who retracted it (the admin token's name).
    pub actor: String,
    /// When, RFC 3339 UTC.
    pub time: String,
    /// For a publication: the ids of its documents that were in the index when it was
    /// retracted (so their endpoints can answer 410 too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
}

impl Tombstone {
    /// A human sentence for error messages: `document "X" was retracted: reason (explanation)`.
    pub fn message(&self) -> String {
        let mut message = format!(
            "{} {:?} was retracted on {}: {}",
            self.kind.as_str(),
            self.id,
            self.time,
            self.reason
        );
        if !self.explanation.trim().is_empty() {
            message.push_str(&format!(" ({})", self.explanation.trim()));
        }
        message
    }
}

/// The current time as RFC 3339 UTC, for [`Tombstone::time`].
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Writes `bytes` to a new file at `path` and fsyncs it.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// fsyncs a directory (Unix), so a rename in it survives a crash; a no-op elsewhere.
pub fn fsync_directory(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let directory = std::fs::File::open(path)?;
        directory.sync_all()?;
    }
    let _ = path;
    Ok(())
}

/// Every tombstone of an index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RetractionList {
    /// The tombstones, oldest first.
    pub retractions: Vec<Tombstone>,
}

impl RetractionList {
    /// Reads the list of the index in `index_dir`; no file means an empty list.
    pub fn load(index_dir: &Path) -> Result<RetractionList> {
        let path = index_dir.join(RETRACTIONS_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(RetractionList::default())
            }
            Err(source) => return Err(CoreError::Read { path, source }),
        };
        RetractionList::from_json(&bytes)
            .map_err(|reason| CoreError::RetractionList { path, reason })
    }

    /// Parses the file's JSON.
    pub fn from_json(bytes: &[u8]) -> std::result::Result<RetractionList, String> {
        serde_json::from_slice(bytes).map_err(|error| error.to_string())
    }

    /// Writes the list durably: temporary file, fsync, rename, fsync of the directory.
    pub fn save(&self, index_dir: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|error| CoreError::RetractionList {
            path: index_dir.join(RETRACTIONS_FILE),
            reason: error.to_string(),
        })?;
        let final_path = index_dir.join(RETRACTIONS_FILE);
        let temporary_path = index_dir.join(format!("{RETRACTIONS_FILE}.tmp"));
        write_synced(&temporary_path, &json).map_err(|source| CoreError::Write {
            path: temporary_path.clone(),
            source,
        })?;
        std::fs::rename(&temporary_path, &final_path).map_err(|source| CoreError::Write {
            path: final_path.clone(),
            source,
        })?;
        fsync_directory(index_dir).map_err(|source| CoreError::Write {
            path: index_dir.to_path_buf(),
            source,
        })?;
        Ok(())
    }

    /// The tombstone of document `id`, if any.
    pub fn document(&self, id: &str) -> Option<&Tombstone> {
        self.find(RetractionKind::Document, id)
    }

    /// The tombstone of publication `id`, if any.
    pub fn publication(&self, id: &str) -> Option<&Tombstone> {
        self.find(RetractionKind::Publication, id)
    }

    /// The tombstone of document `id`, or of the publication it belonged to when retracted.
    pub fn of_document(&self, id: &str) -> Option<&Tombstone> {
        if let Some(tombstone) = self.document(id) {
            return Some(tombstone);
        }
        self.retractions.iter().find(|tombstone| {
            tombstone.kind == RetractionKind::Publication
                && tombstone.documents.iter().any(|document| document == id)
        })
    }

    /// The tombstone that withdraws a document with this id and publication, if any.
    pub fn covering(&self, document_id: &str, publication_id: Option<&str>) -> Option<&Tombstone> {
        if let Some(tombstone) = self.document(document_id) {
            return Some(tombstone);
        }
        publication_id.and_then(|publication| self.publication(publication))
    }

    fn find(&self, kind: RetractionKind, id: &str) -> Option<&Tombstone> {
        self.retractions
            .iter()
            .find(|tombstone| tombstone.kind == kind && tombstone.id == id)
    }

    /// Adds a tombstone, replacing an earlier one of the same kind and id.
    pub fn add(&mut self, tombstone: Tombstone) {
        self.retractions
            .retain(|old| !(old.kind == tombstone.kind && old.id == tombstone.id));
        self.retractions.push(tombstone);
    }

    /// Removes every tombstone (document or publication) of `id`; true when one was there.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.retractions.len();
        self.retractions.retain(|tombstone| tombstone.id != id);
        self.retractions.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tombstone(kind: RetractionKind, id: &str) -> Tombstone {
        Tombstone {
            id: id.to_string(),
            kind,
            reason: "procedurele fout".to_string(),
            explanation: "verkeerde bijlage".to_string(),
            actor: "test".to_string(),
            time: now_rfc3339(),
            documents: Vec::new(),
        }
    }

    #[test]
    fn list_survives_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            RetractionList::load(dir.path()).unwrap(),
            RetractionList::default()
        );
        let mut list = RetractionList::default();
        list.add(tombstone(RetractionKind::Document, "A"));
        list.add(tombstone(RetractionKind::Publication, "P"));
        list.add(tombstone(RetractionKind::Document, "A"));
        list.save(dir.path()).unwrap();
        let loaded = RetractionList::load(dir.path()).unwrap();
        assert_eq!(loaded.retractions.len(), 2);
        assert!(loaded.covering("A", None).is_some());
        assert!(loaded.covering("B", Some("P")).is_some());
        assert!(loaded.covering("B", Some("Q")).is_none());
        assert!(!dir.path().join("woo-retractions.json.tmp").exists());
    }

    #[test]
    fn remove_republishes_both_kinds() {
        let mut list = RetractionList::default();
        list.add(tombstone(RetractionKind::Publication, "P"));
        assert!(list.remove("P"));
        assert!(!list.remove("P"));
        assert!(list.publication("P").is_none());
    }

    #[test]
    fn only_listed_reasons_are_accepted() {
        assert!(is_known_reason("Correctie privacygevoelige gegevens"));
        assert!(is_known_reason(" anders "));
        assert!(!is_known_reason("zomaar"));
    }
}
