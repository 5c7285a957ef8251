//! Complaint judgements (klachtoordelen, art. 3.3(2)(l) Woo) from csv or JSON lines ->
//! documents of category `2l` without pages.
//!
//! Files named `*.klachten.csv` or `*.klachten.jsonl` are read; the record format is
//! `core/data/complaint-judgement.schema.json`. Columns (csv header or JSON keys): `id`,
//! `publisher`, `date_received`, `date_judged`, `subject`, `outcome` (one of
//! `woo_core::complaints::OUTCOMES`), `summary` or `text`, `norms` (csv: `;`-separated),
//! `parts` (JSON only: `subject`, `outcome`, `norms` each), optional `pdf`.
//! A record whose subject, summary or text holds personal data (a BSN, an e-mail address, a
//! phone number, an IBAN, an address, a date of birth: `crate::privacy`) is refused with its
//! own report ([`record_refusal`]), and so is one whose outcome or norms are outside the format's value lists; the other records of the file are indexed.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use woo_core::model::Document;
use woo_core::DocumentFields;

pub use woo_core::woo::COMPLAINT_CATEGORY;
/// Document type of a complaint judgement.
pub const COMPLAINT_TYPE: &str = "klachtoordeel";

/// One complaint judgement record (`core/data/complaint-judgement.schema.json`). A key the
/// format does not know is an error naming it, so a misspelt column is not silently lost.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
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
    /// Norms of proper conduct the judgement was judged against: a JSON list, or in csv one
    /// cell with the names separated by `;`.
    #[serde(default, deserialize_with = "list_or_separated")]
    pub norms: Vec<String>,
    /// The complaint's parts, each with its own subject, outcome and norms (JSON lines only).
    #[serde(default)]
    pub parts: Vec<woo_core::model::ComplaintPart>,
}

/// A JSON list of strings, or one string with the values separated by `;` (a csv cell).
fn list_or_separated<'de, D>(deserializer: D) -> std::result::Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    let values = match Option::<ListOrText>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(ListOrText::List(values)) => values,
        Some(ListOrText::Text(text)) => text.split(';').map(str::to_string).collect(),
    };
    Ok(values
        .iter()
        .map(|value| value.trim())
        .filter(|value| !value.is_empty())
        .map(str::to_string)
        .collect())
}

/// A norm's name as the index keeps it (`Behoorlijke bejegening` -> `fatsoenlijke
/// bejegening`); an unknown name is kept lowercased.
fn normalise_norm(value: &str) -> String {
    woo_core::complaints::norm_by_any(value)
        .map_or_else(|| value.trim().to_lowercase(), |norm| norm.name.to_string())
}

fn normalise_outcome_or_keep(value: &str) -> String {
    woo_core::complaints::normalise_outcome(value)
        .map_or_else(|| value.trim().to_lowercase(), str::to_string)
}

/// The parts of a record with normalised outcomes and norms.
fn normalised_parts(record: &ComplaintRecord) -> Vec<woo_core::model::ComplaintPart> {
    record
        .parts
        .iter()
        .map(|part| woo_core::model::ComplaintPart {
            subject: part
                .subject
                .clone()
                .filter(|subject| !subject.trim().is_empty()),
            outcome: part.outcome.as_deref().map(normalise_outcome_or_keep),
            norms: part.norms.iter().map(|norm| normalise_norm(norm)).collect(),
        })
        .collect()
}

/// Whether a file holds complaint records by its name.
pub fn is_complaint_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".klachten.csv") || name.ends_with(".klachten.jsonl")
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
    let part_subjects = record.parts.iter().map(|part| &part.subject);
    for text in [&record.subject, &record.summary, &record.text]
        .into_iter()
        .chain(part_subjects)
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

/// Why a record may not be indexed (`None`: it may): personal data
/// ([`personal_data_refusal`]), or an outcome or norm outside the record format's value lists.
pub fn record_refusal(record: &ComplaintRecord) -> Option<String> {
    if let Some(refusal) = personal_data_refusal(record) {
        return Some(refusal);
    }
    let outcomes =
        std::iter::once(&record.outcome).chain(record.parts.iter().map(|part| &part.outcome));
    for outcome in outcomes.flatten() {
        if woo_core::complaints::normalise_outcome(outcome).is_none() {
            return Some(format!(
                "complaint judgement {:?}: outcome {outcome:?} is not one of {}",
                record.id,
                woo_core::complaints::OUTCOMES.join(", ")
            ));
        }
    }
    let norms = record
        .norms
        .iter()
        .chain(record.parts.iter().flat_map(|part| &part.norms));
    for norm in norms {
        if woo_core::complaints::norm_by_any(norm).is_none() {
            return Some(format!(
                "complaint judgement {:?}: {norm:?} is not one of the Nationale ombudsman's norms of proper conduct (core/data/behoorlijkheidsnormen.tsv)",
                record.id
            ));
        }
    }
    None
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
    let parts = normalised_parts(record);
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
            outcome: record
                .outcome
                .as_deref()
                .map(normalise_outcome_or_keep)
                .or_else(|| {
                    woo_core::complaints::overall_outcome(
                        parts.iter().filter_map(|part| part.outcome.as_deref()),
                    )
                }),
            norms: record_norms(record, &parts),
            complaint_parts: parts,
            subject,
            summary: (!summary.is_empty()).then(|| summary.join(" ")),
            ..Default::default()
        },
        ..Document::default()
    }
}

/// The record's own norms and its parts' norms, once each, in the list's order.
fn record_norms(record: &ComplaintRecord, parts: &[woo_core::model::ComplaintPart]) -> Vec<String> {
    let mut norms: Vec<String> = record
        .norms
        .iter()
        .map(|norm| normalise_norm(norm))
        .collect();
    for part in parts {
        for norm in &part.norms {
            if !norms.contains(norm) {
                norms.push(norm.clone());
            }
        }
    }
    norms.sort_by_key(|name| {
        woo_core::complaints::norm_by_any(name).map_or(u32::MAX, |norm| norm.number)
    });
    norms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record_schema() -> serde_json::Value {
        let text = include_str!("../../core/data/complaint-judgement.schema.json");
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_record_schema_names_the_fields_outcomes_and_norms_the_reader_knows() {
        let schema = record_schema();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for example in schema["examples"].as_array().unwrap() {
            assert!(validator.is_valid(example), "{example}");
            let record: ComplaintRecord = serde_json::from_value(example.clone()).unwrap();
            assert!(personal_data_refusal(&record).is_none());
        }
        let outcomes: Vec<&str> = schema["properties"]["outcome"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value.as_str().unwrap())
            .collect();
        assert_eq!(outcomes, woo_core::complaints::OUTCOMES);
        let norms: Vec<&str> = schema["properties"]["norms"]["items"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value.as_str().unwrap())
            .collect();
        let names: Vec<&str> = woo_core::complaints::NORMS
            .iter()
            .map(|norm| norm.name)
            .collect();
        assert_eq!(norms, names);
        // Every key of the schema is read, and a key outside it is refused by both.
        let all_keys = serde_json::json!({
            "id": "K1", "publisher": "Gemeente Ede", "date_received": "2024-01-02",
            "date_judged": "2024-02-01", "subject": "parkeren", "outcome": "gegrond",
            "norms": ["voortvarendheid"], "parts": [{"outcome": "gegrond"}],
            "summary": "s", "text": "t", "pdf": "k1.pdf"
        });
        assert!(validator.is_valid(&all_keys));
        assert!(serde_json::from_value::<ComplaintRecord>(all_keys).is_ok());
        let misspelt = serde_json::json!({"id": "K1", "date_recieved": "2024-01-02"});
        assert!(!validator.is_valid(&misspelt));
        assert!(serde_json::from_value::<ComplaintRecord>(misspelt).is_err());
        let bad_outcome = serde_json::json!({"id": "K1", "outcome": "prima"});
        assert!(!validator.is_valid(&bad_outcome));
        let record: ComplaintRecord = serde_json::from_value(bad_outcome).unwrap();
        assert!(record_refusal(&record)
            .unwrap()
            .contains("\"prima\" is not one of"));
        let bad_norm = serde_json::json!({"id": "K1", "norms": ["snelheid"]});
        assert!(!validator.is_valid(&bad_norm));
        let record: ComplaintRecord = serde_json::from_value(bad_norm).unwrap();
        assert!(record_refusal(&record).unwrap().contains("\"snelheid\""));
    }

    #[test]
    fn csv_and_jsonl_records_become_documents() {
        let folder = tempfile::tempdir().unwrap();
        let csv_path = folder.path().join("utrecht.klachten.csv");
        std::fs::write(
            &csv_path,
            "id,publisher,date_received,date_judged,subject,outcome,summary,norms\n\
             K-2024-001,Gemeente Utrecht,2024-01-05,2024-02-20,afvalinzameling,Gegrond,\"Container niet geleegd, excuses\",Voortvarendheid; goede informatieverstrekking\n",
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
        assert_eq!(
            document.fields.norms,
            ["goede informatieverstrekking", "voortvarendheid"]
        );
        assert!(document.pages.is_empty());

        let jsonl_path = folder.path().join("x.klachten.jsonl");
        std::fs::write(
            &jsonl_path,
            "{\"id\":\"K1\",\"outcome\":\"niet-ontvankelijk\",\"text\":\"te laat\"}\n\n\
             {\"id\":\"K2\",\"parts\":[{\"subject\":\"wachttijd\",\"outcome\":\"Gegrond\",\"norms\":[\"Voortvarendheid\"]},\
             {\"subject\":\"toon\",\"outcome\":\"ongegrond\",\"norms\":[\"behoorlijke bejegening\"]}]}\n",
        )
        .unwrap();
        let records = read_complaints(&jsonl_path).unwrap();
        assert_eq!(records[0].id, "K1");
        let parted = complaint_document(&records[1], "x.klachten.jsonl", &jsonl_path);
        assert_eq!(parted.fields.outcome.as_deref(), Some("deels gegrond"));
        assert_eq!(
            parted.fields.norms,
            ["fatsoenlijke bejegening", "voortvarendheid"]
        );
        assert_eq!(
            parted.fields.complaint_parts[0].outcome.as_deref(),
            Some("gegrond")
        );
        assert!(is_complaint_file(&jsonl_path));
        assert!(!is_complaint_file(Path::new("inventaris.csv")));
        std::fs::write(&jsonl_path, "{\"id\": 1}\n").unwrap();
        assert!(read_complaints(&jsonl_path).is_err());
    }
}
