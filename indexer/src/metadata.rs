//! Metadata beside the PDFs: a sidecar `NAME.pdf.json` or a `publication.json` per folder.
//!
//! ## publication.json (one per folder; describes the publication and its documents)
//! ```json
//! {
//!   "id": "VWS-WOO-2024-0117",
//!   "title": "Woo-besluit over de inkoop van mondkapjes",
//!   "publisher": "Ministerie van Volksgezondheid, Welzijn en Sport",
//!   "category": "2i",
//!   "type": "Woo-besluit",
//!   "date": "2024-03-15",
//!   "summary": "Besluit op het Woo-verzoek van ...",
//!   "documents": [
//!     { "file": "besluit.pdf", "id": "VWS-WOO-2024-0117-besluit", "title": "Besluit op Woo-verzoek",
//!       "type": "besluit", "date": "2024-03-15", "judgement": "openbaar" },
//!     { "file": "documenten/0001.pdf", "id": "0001", "title": "E-mail over levering",
//!       "type": "e-mail", "date": "2021-03-02", "judgement": "deels openbaar",
//!       "grounds": ["5.1.2e", "5.1.2i"] }
//!   ]
//! }
//! ```
//! `file` is relative to the folder of `publication.json`. `category` takes the art. 3.3 letter
//! code (`2i`), the TOOI id (`c_3baef532`) or the full TOOI URI. Every document field is
//! optional except `file`; missing document fields fall back to the publication's
//! (`publisher`, `category`, `date`) and then to what the PDF itself says.
//!
//! ## NAME.pdf.json (sidecar, beside one PDF)
//! The fields of one document entry above (without `file`), plus the publication-level fields
//! `publisher`, `category`, `summary`, `publication_id`, `publication_title`. A sidecar wins over
//! the entry in `publication.json` field by field.
//!
//! Unknown fields are rejected, so a typo (`"judgment"`) is reported instead of ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{IndexerError, Result};

/// Metadata of one document, as written in a sidecar or a `publication.json` entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentMetadata {
    /// Path of the PDF relative to the `publication.json` folder (only in `documents` entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Stable document id (document number of the inventory, or any unique string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title or subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Document type (`besluit`, `e-mail`, `nota`, `inventaris`, ...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// Date `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Judgement: openbaar, deels openbaar, reeds openbaar, niet openbaar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
    /// Refusal grounds in any spelling (`5.1.2e`, `10.2.e`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
    /// Publisher (sidecar only; in publication.json it is set on the publication).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Information category (sidecar only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Publication id (sidecar only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_id: Option<String>,
    /// Publication title (sidecar only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_title: Option<String>,
}

/// A `publication.json` file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PublicationMetadata {
    /// Publication id (dossier number).
    pub id: String,
    /// Publication title.
    #[serde(default)]
    pub title: Option<String>,
    /// Publishing organisation.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Information category (letter code, TOOI id or URI).
    #[serde(default)]
    pub category: Option<String>,
    /// Publication type (`Woo-besluit`, `convenant`, ...).
    #[serde(default, rename = "type")]
    pub publication_type: Option<String>,
    /// Publication date `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// The documents, one entry per PDF.
    #[serde(default)]
    pub documents: Vec<DocumentMetadata>,
    /// The publication's inventory list (xlsx, csv or a PDF with the table), relative to the
    /// folder of `publication.json`: its rows are linked to the documents and belong to this
    /// publication, whatever the file is called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<String>,
}

/// Reads and parses a `publication.json`.
pub fn read_publication(path: &Path) -> Result<PublicationMetadata> {
    let bytes = std::fs::read(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let publication: PublicationMetadata =
        serde_json::from_slice(&bytes).map_err(|error| IndexerError::Metadata {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })?;
    if publication.id.trim().is_empty() {
        return Err(IndexerError::Metadata {
            path: path.to_path_buf(),
            reason: "publication id is empty".to_string(),
        });
    }
    for entry in &publication.documents {
        if entry.file.as_deref().unwrap_or("").trim().is_empty() {
            return Err(IndexerError::Metadata {
                path: path.to_path_buf(),
                reason: "a document entry has no \"file\"".to_string(),
            });
        }
    }
    Ok(publication)
}

/// Reads and parses a sidecar `NAME.pdf.json`.
pub fn read_sidecar(path: &Path) -> Result<DocumentMetadata> {
    let bytes = std::fs::read(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|error| IndexerError::Metadata {
        path: path.to_path_buf(),
        reason: error.to_string(),
    })
}

/// The sidecar path of a PDF: `NAME.pdf` -> `NAME.pdf.json`.
pub fn sidecar_path(pdf_path: &Path) -> PathBuf {
    let mut name = pdf_path.as_os_str().to_os_string();
    name.push(".json");
    PathBuf::from(name)
}

/// Everything known about one PDF from metadata files: the publication and the document entry.
#[derive(Debug, Clone, Default)]
pub struct ResolvedMetadata {
    /// The publication, when a `publication.json` names this file.
    pub publication: Option<PublicationMetadata>,
    /// The merged document metadata (publication entry, then sidecar on top).
    pub document: DocumentMetadata,
}

/// Metadata found while walking a folder: `publication.json` entries by absolute PDF path.
#[derive(Debug, Default)]
pub struct MetadataCatalog {
    entries: HashMap<PathBuf, (PublicationMetadata, DocumentMetadata)>,
    /// Metadata from DiWoo sitemap entries whose `loc` is a local file, by that file's path.
    diwoo_entries: HashMap<PathBuf, DocumentMetadata>,
}

impl MetadataCatalog {
    /// Registers every document of a parsed `publication.json` found at `publication_path`.
    pub fn add_publication(&mut self, publication_path: &Path, publication: PublicationMetadata) {
        let folder = publication_path.parent().unwrap_or(Path::new("."));
        for entry in &publication.documents {
            let Some(file) = entry.file.as_deref() else {
                continue;
            };
            let pdf_path = normalise_path(&folder.join(file));
            self.entries
                .insert(pdf_path, (publication.clone(), entry.clone()));
        }
    }

    /// Registers the DiWoo metadata of one local file (see [`crate::diwoo`]).
    pub fn add_diwoo_entry(&mut self, pdf_path: &Path, entry: DocumentMetadata) {
        self.diwoo_entries.insert(normalise_path(pdf_path), entry);
    }

    /// The DiWoo metadata of a file, if a sitemap names it.
    pub fn diwoo_entry(&self, pdf_path: &Path) -> Option<&DocumentMetadata> {
        self.diwoo_entries.get(&normalise_path(pdf_path))
    }

    /// The publication entry and DiWoo entry of a PDF, without reading its sidecar.
    pub fn resolve_without_sidecar(&self, pdf_path: &Path) -> ResolvedMetadata {
        let mut resolved = ResolvedMetadata::default();
        if let Some((publication, entry)) = self.lookup(pdf_path) {
            resolved.publication = Some(publication.clone());
            resolved.document = entry.clone();
        }
        if let Some(diwoo) = self.diwoo_entry(pdf_path) {
            merge_document_metadata(&mut resolved.document, diwoo.clone());
        }
        resolved
    }

    /// Publications whose `documents` list names this PDF.
    pub fn lookup(&self, pdf_path: &Path) -> Option<&(PublicationMetadata, DocumentMetadata)> {
        self.entries.get(&normalise_path(pdf_path))
    }

    /// Resolves the metadata of one PDF: publication entry, then the DiWoo sitemap entry, then
    /// its sidecar (if any) on top.
    pub fn resolve(&self, pdf_path: &Path) -> Result<ResolvedMetadata> {
        let mut resolved = self.resolve_without_sidecar(pdf_path);
        let sidecar = sidecar_path(pdf_path);
        if sidecar.is_file() {
            let sidecar_metadata = read_sidecar(&sidecar)?;
            merge_document_metadata(&mut resolved.document, sidecar_metadata);
        }
        Ok(resolved)
    }
}

/// Copies every field that `overlay` sets onto `base`.
pub fn merge_document_metadata(base: &mut DocumentMetadata, overlay: DocumentMetadata) {
    fn take(base: &mut Option<String>, overlay: Option<String>) {
        if overlay.is_some() {
            *base = overlay;
        }
    }
    take(&mut base.id, overlay.id);
    take(&mut base.title, overlay.title);
    take(&mut base.document_type, overlay.document_type);
    take(&mut base.date, overlay.date);
    take(&mut base.judgement, overlay.judgement);
    take(&mut base.publisher, overlay.publisher);
    take(&mut base.category, overlay.category);
    take(&mut base.summary, overlay.summary);
    take(&mut base.publication_id, overlay.publication_id);
    take(&mut base.publication_title, overlay.publication_title);
    if !overlay.grounds.is_empty() {
        base.grounds = overlay.grounds;
    }
}

/// Makes a path comparable: absolute when possible, `.` and `..` resolved lexically.
pub fn normalise_path(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other.as_os_str()),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_entries_resolve_and_sidecar_wins() {
        let dir = tempfile::tempdir().unwrap();
        let publication = r#"{"id": "P-1", "title": "Dossier", "publisher": "Gemeente Utrecht",
            "documents": [{"file": "sub/a.pdf", "id": "A", "title": "Eerste", "judgement": "openbaar"}]}"#;
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("publication.json"), publication).unwrap();
        std::fs::write(dir.path().join("sub/a.pdf.json"), r#"{"title": "Tweede"}"#).unwrap();
        let parsed = read_publication(&dir.path().join("publication.json")).unwrap();
        let mut catalog = MetadataCatalog::default();
        catalog.add_publication(&dir.path().join("publication.json"), parsed);
        let resolved = catalog.resolve(&dir.path().join("sub/./a.pdf")).unwrap();
        assert_eq!(resolved.publication.unwrap().id, "P-1");
        assert_eq!(resolved.document.id.as_deref(), Some("A"));
        assert_eq!(resolved.document.title.as_deref(), Some("Tweede"));
        assert_eq!(resolved.document.judgement.as_deref(), Some("openbaar"));
    }

    #[test]
    fn unknown_fields_are_rejected_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf.json");
        std::fs::write(&path, r#"{"judgment": "openbaar"}"#).unwrap();
        let error = read_sidecar(&path).unwrap_err().to_string();
        assert!(error.contains("x.pdf.json"), "{error}");
        assert!(error.contains("judgment"), "{error}");
    }

    #[test]
    fn publication_without_id_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("publication.json");
        std::fs::write(&path, r#"{"id": " ", "documents": []}"#).unwrap();
        assert!(read_publication(&path).is_err());
    }
}
