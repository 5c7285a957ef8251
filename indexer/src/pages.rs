//! Text-page input: `*.pages.jsonl` files of documents whose page texts are already extracted.
//!
//! One JSON object per line, one document per object; the metadata fields are those of a
//! sidecar `NAME.pdf.json` (see [`crate::metadata`]) plus `pages`, the text of each page in
//! order:
//! ```json
//! {"id": "MINBZK-2023-0042-0001", "title": "E-mail over de levering",
//!  "publication_id": "MINBZK-2023-0042", "publication_title": "Woo-besluit over ...",
//!  "publisher": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "category": "2i",
//!  "type": "e-mail", "date": "2023-05-17", "judgement": "deels openbaar",
//!  "grounds": ["5.1.2e"], "summary": "...", "pages": ["text of page 1", "text of page 2"]}
//! ```
//! `id` is required (ids must be unique in the index). No PDF is read: the pages go through the
//! same analysis as extracted PDF pages ([`crate::document::build_document`]: language, ground
//! stamps, reference numbers, decision letters) with text source `text`. Unknown fields are
//! refused, like in sidecars. The file is read line by line, so its size is not bounded by
//! memory. The generator `woo scale-corpus` writes this format.

use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use crate::metadata::{DocumentMetadata, ResolvedMetadata};
use woo_core::model::{Document, ExtractedPage, ExtractedPdf, TextSource};

/// File name ending of text-page files.
pub const PAGES_SUFFIX: &str = ".pages.jsonl";

/// Longest line (one document) read, in bytes: a bound on memory per document.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// One document of a text-page file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    /// Stable document id (required, unique in the index).
    pub id: String,
    /// Title or subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Document type (`besluit`, `e-mail`, `nota`, ...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// Date `YYYY-MM-DD` (or `DD-MM-YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Judgement: openbaar, deels openbaar, reeds openbaar, niet openbaar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
    /// Refusal grounds in any spelling.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
    /// Publishing organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Information category (letter code, TOOI id or URI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Publication (dossier) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_id: Option<String>,
    /// Publication title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_title: Option<String>,
    /// The text of every page, in order.
    #[serde(default)]
    pub pages: Vec<String>,
}

/// Whether a file is a text-page file by its name (`*.pages.jsonl`).
pub fn is_page_file(path: &Path) -> bool {
    path.file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .is_some_and(|name| name.ends_with(PAGES_SUFFIX))
}

fn page_error(path: &Path, reason: String) -> IndexerError {
    IndexerError::TextPages {
        path: path.to_path_buf(),
        reason,
    }
}

/// Reads the lines of a text-page file one at a time: `(line number, line)` for every
/// non-empty line. A read error or a line over [`MAX_LINE_BYTES`] ends the iteration with an
/// error naming the file and line.
pub fn read_lines(path: &Path) -> Result<impl Iterator<Item = Result<(usize, String)>>> {
    let file = std::fs::File::open(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let path = path.to_path_buf();
    let mut number = 0usize;
    let mut failed = false;
    Ok(std::iter::from_fn(move || loop {
        if failed {
            return None;
        }
        number += 1;
        let mut buffer = Vec::new();
        let limit = MAX_LINE_BYTES as u64 + 1;
        let read = std::io::Read::take(&mut reader, limit).read_until(b'\n', &mut buffer);
        match read {
            Ok(0) => return None,
            Ok(_) => {}
            Err(error) => {
                failed = true;
                return Some(Err(page_error(&path, format!("line {number}: {error}"))));
            }
        }
        if buffer.len() > MAX_LINE_BYTES {
            failed = true;
            return Some(Err(page_error(
                &path,
                format!("line {number}: longer than {MAX_LINE_BYTES} bytes"),
            )));
        }
        let line = match String::from_utf8(buffer) {
            Ok(line) => line,
            Err(_) => {
                return Some(Err(page_error(
                    &path,
                    format!("line {number}: not valid UTF-8"),
                )))
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        return Some(Ok((number, line)));
    }))
}

/// Number of non-blank lines (records) of a text-page file, read in blocks (for progress).
pub fn count_records(path: &Path) -> Result<usize> {
    let file = std::fs::File::open(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut records = 0usize;
    let mut line_has_text = false;
    loop {
        let block = reader.fill_buf().map_err(|source| IndexerError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if block.is_empty() {
            break;
        }
        for byte in block {
            match byte {
                b'\n' => {
                    records += usize::from(line_has_text);
                    line_has_text = false;
                }
                b' ' | b'\t' | b'\r' => {}
                _ => line_has_text = true,
            }
        }
        let consumed = block.len();
        reader.consume(consumed);
    }
    Ok(records + usize::from(line_has_text))
}

/// Parses one line of a text-page file (`number` is its line number, for the message).
pub fn parse_record(path: &Path, number: usize, line: &str) -> Result<PageRecord> {
    let record: PageRecord = serde_json::from_str(line)
        .map_err(|error| page_error(path, format!("line {number}: {error}")))?;
    if record.id.trim().is_empty() {
        return Err(page_error(path, format!("line {number}: empty id")));
    }
    Ok(record)
}

/// Hash of a record's line: unchanged hash = nothing to do (like a PDF's content hash).
pub fn record_hash(line: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(line.trim_end().as_bytes());
    hasher.update(b"\0pages");
    hasher.update(woo_core::schema::SCHEMA_VERSION.to_le_bytes());
    woo_core::ids::hex(&hasher.finalize())
}

/// The document of one record, analysed like an extracted PDF. `source` names the record
/// (`file.pages.jsonl#id`), `file_path` is the text-page file (not stored: no PDF to serve).
pub fn page_document(record: PageRecord, source: &str, file_path: &Path, hash: String) -> Document {
    let pages = record
        .pages
        .into_iter()
        .enumerate()
        .map(|(index, text)| {
            let has_text = text.chars().any(char::is_alphanumeric);
            ExtractedPage {
                page: index as u32 + 1,
                text,
                source: if has_text {
                    TextSource::Text
                } else {
                    TextSource::None
                },
                ..ExtractedPage::default()
            }
        })
        .collect();
    let resolved = ResolvedMetadata {
        publication: None,
        document: DocumentMetadata {
            file: None,
            id: Some(record.id.trim().to_string()),
            title: record.title,
            document_type: record.document_type,
            date: record.date,
            judgement: record.judgement,
            grounds: record.grounds,
            publisher: record.publisher,
            category: record.category,
            summary: record.summary,
            publication_id: record.publication_id,
            publication_title: record.publication_title,
        },
    };
    let extracted = ExtractedPdf {
        pages,
        ..ExtractedPdf::default()
    };
    let mut document =
        crate::document::build_document(extracted, &resolved, source, file_path, hash);
    // There is no PDF to serve: the file endpoint answers 404, not the text-page file.
    document.fields.file_path = String::new();
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_file(folder: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = folder.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_record_becomes_a_document_with_normalised_metadata_and_analysed_pages() {
        let line = r#"{"id": "BZK-1-0001", "title": "E-mail over levering", "publication_id": "BZK-1",
            "publication_title": "Woo-besluit mondkapjes", "publisher": "Ministerie van BZK",
            "category": "c_3baef532", "type": "e-mail", "date": "17-05-2023",
            "judgement": "Deels Openbaar", "grounds": ["10.2.e"],
            "pages": ["Op 2 januari 2024 ontvingen wij uw verzoek op grond van de Wet open overheid. In dit besluit beslis ik op uw verzoek.", "5.1.2e", ""]}"#;
        let path = Path::new("/in/a.pages.jsonl");
        let record = parse_record(path, 1, line).unwrap();
        let document = page_document(record, "a.pages.jsonl#BZK-1-0001", path, record_hash(line));
        assert_eq!(document.fields.id, "BZK-1-0001");
        assert_eq!(document.fields.title, "E-mail over levering");
        assert_eq!(document.fields.publication_id.as_deref(), Some("BZK-1"));
        assert_eq!(document.fields.category.as_deref(), Some("2i"));
        assert_eq!(document.fields.date.as_deref(), Some("2023-05-17"));
        assert_eq!(document.fields.judgement.as_deref(), Some("deels openbaar"));
        assert_eq!(document.grounds, vec!["5.1.2e"]);
        assert_eq!(document.pages.len(), 3);
        assert_eq!(document.pages[0].page, 1);
        assert_eq!(document.pages[0].language.as_deref(), Some("nl"));
        assert_eq!(document.pages[0].source, TextSource::Text);
        assert_eq!(document.pages[1].grounds, vec!["5.1.2e"]);
        assert_eq!(document.pages[2].source, TextSource::None);
        assert_eq!(document.fields.file_path, "");
    }

    #[test]
    fn bad_lines_are_refused_with_file_and_line() {
        let path = Path::new("x.pages.jsonl");
        let typo = parse_record(path, 3, r#"{"id": "a", "judgment": "openbaar"}"#).unwrap_err();
        let message = typo.to_string();
        assert!(
            message.contains("x.pages.jsonl") && message.contains("line 3"),
            "{message}"
        );
        assert!(message.contains("judgment"), "{message}");
        assert!(parse_record(path, 1, r#"{"id": " ", "pages": []}"#).is_err());
        assert!(parse_record(path, 1, r#"{"title": "no id"}"#).is_err());
        assert!(parse_record(path, 1, "not json").is_err());
    }

    #[test]
    fn lines_are_read_one_by_one_skipping_blank_ones() {
        let folder = tempfile::tempdir().unwrap();
        let path = write_file(
            folder.path(),
            "b.pages.jsonl",
            "{\"id\": \"1\"}\n\n{\"id\": \"2\"}",
        );
        let lines: Vec<(usize, String)> = read_lines(&path)
            .unwrap()
            .collect::<Result<Vec<_>>>()
            .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, 1);
        assert_eq!(lines[1].0, 3);
        assert_eq!(lines[1].1, "{\"id\": \"2\"}");
        assert!(is_page_file(&path));
        assert!(is_page_file(Path::new("X.PAGES.JSONL")));
        assert!(!is_page_file(Path::new("x.klachten.jsonl")));
        assert!(read_lines(&folder.path().join("missing.pages.jsonl")).is_err());
        assert_eq!(count_records(&path).unwrap(), 2);
    }

    #[test]
    fn the_hash_changes_with_the_line() {
        assert_eq!(
            record_hash("{\"id\":\"a\"}\n"),
            record_hash("{\"id\":\"a\"}")
        );
        assert_ne!(record_hash("{\"id\":\"a\"}"), record_hash("{\"id\":\"b\"}"));
    }
}
