//! Complaint judgements (klachtoordelen, art. 3.3(2)(l) Woo) from csv or JSON lines ->
//! documents of category `2l` without pages.
//!
//! Files named `*.klachten.csv` or `*.klachten.jsonl` are read. Columns (csv header or JSON
//! keys): `id`, `publisher`, `date_received`, `date_judged`, `subject`, `outcome` (`gegrond`,
//! `deels gegrond`, `ongegrond`, `niet-ontvankelijk`), `summary` or `text`, optional `pdf`.
//! A record whose subject, summary or text holds personal data (a BSN, an e-mail address, a
//! phone number, an IBAN, an address, a date of birth: `crate::privacy`) is refused with its
//! own report ([`personal_data_refusal`]); the other records of the file are indexed.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use woo_core::model::Document;
use woo_core::DocumentFields;

pub use woo_core::woo::COMPLAINT_CATEGORY;
/// Document type of a complaint judgement.
pub const COMPLAINT_TYPE: &str = "klachtoordeel";

/// One complaint judgement record.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct ComplaintRecord {
    /// Unique id.
    pub id: String,
    /// Body that judged the complaint.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Date received.
    #[serde(default)]
    pub date_received: Option<String>,
    /// Date judged.
    #[serde(default)]
    pub date_judged: Option<String>,
    /// Subject (theme).
    #[serde(default)]
    pub subject: Option<String>,
    /// Outcome.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Full text.
    #[serde(default)]
    pub text: Option<String>,
    /// Path of a PDF of the judgement, relative to the records file.
    #[serde(default)]
    pub pdf: Option<String>,
}

/// Whether a file holds complaint records by its name.
pub fn is_complaint_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".klachten.csv") || name.ends_with(".klachten.jsonl")
}

/// Normalises an outcome: `gegrond`, `deels gegrond`, `ongegrond`, `niet-ontvankelijk`.
pub fn normalise_outcome(value: &str) -> Option<&'static str> {
    let lowered = value.trim().to_lowercase().replace(['_', '-'], " ");
    if lowered.contains("ontvankelijk") || lowered.contains("niet in behandeling") {
        return Some("niet-ontvankelijk");
    }
    if lowered.starts_with("ongegrond") {
        return Some("ongegrond");
    }
    if lowered.contains("deels") || lowered.contains("gedeeltelijk") {
        return Some("deels gegrond");
    }
    if lowered.starts_with("gegrond") {
        return Some("gegrond");
    }
    None
}

fn complaint_error(path: &Path, reason: String) -> IndexerError {
    IndexerError::Complaint {
        path: path.to_path_buf(),
        reason,
    }
}

/// Why a record may not be published, when it holds personal data in its subject, summary
/// or text (`None`: it may).
pub fn personal_data_refusal(record: &ComplaintRecord) -> Option<String> {
    let mut kinds = Vec::new();
    for text in [&record.subject, &record.summary, &record.text]
        .into_iter()
        .flatten()
    {
        for kind in crate::privacy::find_personal_data(text) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    if kinds.is_empty() {
        return None;
    }
    kinds.sort();
    let labels: Vec<&str> = kinds.iter().map(|kind| kind.label()).collect();
    Some(format!(
        "complaint judgement {:?} holds personal data ({}): not published; remove it from the record and load it again",
        record.id,
        labels.join(", ")
    ))
}

/// Reads the records of a `*.klachten.csv` or `*.klachten.jsonl` file.
pub fn read_complaints(path: &Path) -> Result<Vec<ComplaintRecord>> {
    let text = std::fs::read_to_string(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let is_jsonl = path.to_string_lossy().to_lowercase().ends_with(".jsonl");
    parse_complaint_records(path, &text, is_jsonl)
}

/// Parses the text of a complaint file: JSON lines when `is_jsonl`, else CSV with a header.
/// `path` only names the file in errors.
pub fn parse_complaint_records(
    path: &Path,
    text: &str,
    is_jsonl: bool,
) -> Result<Vec<ComplaintRecord>> {
    let mut records = Vec::new();
    if is_jsonl {
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: ComplaintRecord = serde_json::from_str(line)
                .map_err(|error| complaint_error(path, format!("line {}: {error}", number + 1)))?;
            records.push(record);
        }
        return Ok(records);
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for (number, record) in reader.deserialize::<ComplaintRecord>().enumerate() {
        let record = record
            .map_err(|error| complaint_error(path, format!("record {}: {error}", number + 1)))?;
        records.push(record);
    }
    Ok(records)
}

/// The document of one record: category `2l`, type `klachtoordeel`, date = date judged, the
/// summary and text searchable, no pages.
pub fn complaint_document(record: &ComplaintRecord, source: &str, file_path: &Path) -> Document {
    let non_empty = |value: &Option<String>| value.clone().filter(|value| !value.trim().is_empty());
    let summary: Vec<String> = [non_empty(&record.summary), non_empty(&record.text)]
        .into_iter()
        .flatten()
        .collect();
    let hash_input = format!("{record:?}");
    let hash = woo_core::ids::hex(&Sha256::digest(hash_input.as_bytes()));
    let subject = non_empty(&record.subject);
    Document {
        fields: DocumentFields {
            id: record.id.trim().to_string(),
            title: match &subject {
                Some(subject) => format!("Klachtoordeel {}: {subject}", record.id.trim()),
                None => format!("Klachtoordeel {}", record.id.trim()),
            },
            source: format!("{source}#{}", record.id.trim()),
            file_path: record
                .pdf
                .as_deref()
                .map(|pdf| {
                    file_path
                        .parent()
                        .unwrap_or(Path::new(""))
                        .join(pdf)
                        .to_string_lossy()
                        .into_owned()
                })
                .unwrap_or_default(),
            content_hash: hash,
            publisher: non_empty(&record.publisher),
            category: Some(COMPLAINT_CATEGORY.to_string()),
            document_type: Some(COMPLAINT_TYPE.to_string()),
            date: record
                .date_judged
                .as_deref()
                .and_then(woo_core::dates::normalise_date),
            received_date: record
                .date_received
                .as_deref()
                .and_then(woo_core::dates::normalise_date),
            outcome: record.outcome.as_deref().map(|value| {
                normalise_outcome(value).map_or_else(|| value.trim().to_lowercase(), str::to_string)
            }),
            subject,
            summary: (!summary.is_empty()).then(|| summary.join(" ")),
            ..Default::default()
        },
        ..Document::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_normalise() {
        assert_eq!(normalise_outcome("Gegrond"), Some("gegrond"));
        assert_eq!(normalise_outcome("deels gegrond"), Some("deels gegrond"));
        assert_eq!(
            normalise_outcome("Gedeeltelijk gegrond"),
            Some("deels gegrond")
        );
        assert_eq!(normalise_outcome("ongegrond"), Some("ongegrond"));
        assert_eq!(
            normalise_outcome("Niet ontvankelijk"),
            Some("niet-ontvankelijk")
        );
        assert_eq!(normalise_outcome("onbekend"), None);
    }

    #[test]
    fn csv_and_jsonl_records_become_documents() {
        let folder = tempfile::tempdir().unwrap();
        let csv_path = folder.path().join("utrecht.klachten.csv");
        std::fs::write(
            &csv_path,
            "id,publisher,date_received,date_judged,subject,outcome,summary\n\
             K-2024-001,Gemeente Utrecht,2024-01-05,2024-02-20,afvalinzameling,Gegrond,\"Container niet geleegd, excuses\"\n",
        )
        .unwrap();
        let records = read_complaints(&csv_path).unwrap();
        assert_eq!(records.len(), 1);
        let document = complaint_document(&records[0], "utrecht.klachten.csv", &csv_path);
        assert_eq!(document.fields.id, "K-2024-001");
        assert_eq!(document.fields.category.as_deref(), Some("2l"));
        assert_eq!(document.fields.outcome.as_deref(), Some("gegrond"));
        assert_eq!(document.fields.date.as_deref(), Some("2024-02-20"));
        assert_eq!(document.fields.received_date.as_deref(), Some("2024-01-05"));
        assert!(document.pages.is_empty());

        let jsonl_path = folder.path().join("x.klachten.jsonl");
        std::fs::write(
            &jsonl_path,
            "{\"id\":\"K1\",\"outcome\":\"niet-ontvankelijk\",\"text\":\"te laat\"}\n\n",
        )
        .unwrap();
        let records = read_complaints(&jsonl_path).unwrap();
        assert_eq!(records[0].id, "K1");
        assert!(is_complaint_file(&jsonl_path));
        assert!(!is_complaint_file(Path::new("inventaris.csv")));
        std::fs::write(&jsonl_path, "{\"id\": 1}\n").unwrap();
        assert!(read_complaints(&jsonl_path).is_err());
    }
}
