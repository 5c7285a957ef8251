//! What a run reports: one [`FileReport`] per input file (its [`FileStatus`], pages, OCR
//! counts and outcome class), [`Progress`] events for a progress bar, and the run's
//! [`IndexSummary`] with its one-line and CSV forms.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::worker::OutcomeClass;

/// Outcome class of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Extracted and written.
    Indexed,
    /// Same content and metadata as already indexed: skipped.
    Unchanged,
    /// Could not be indexed; see `error`.
    Failed,
    /// Its document or publication id is on the retraction list: not indexed.
    Retracted,
}

/// What happened to one input file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileReport {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to its input folder.
    pub source: String,
    /// Outcome.
    pub status: FileStatus,
    /// Document id when indexed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Pages extracted.
    pub pages: u32,
    /// Pages that ended without any text.
    pub pages_without_text: u32,
    /// Pages whose text came from OCR (fresh or cached).
    pub ocr_pages: u32,
    /// Pages that needed OCR but had none (no OCR engine, or OCR failed).
    pub ocr_skipped_pages: u32,
    /// Outcome class of the extraction (`indexed`, `no_text`, `malformed`, `timeout`...);
    /// absent when the file was not extracted (unchanged, retracted, unreadable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<OutcomeClass>,
    /// Reason of failure, or a warning (metadata problem) for an indexed file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Pages with words under an opaque box drawn after them: failed redactions. The words
    /// are not indexed; the publisher should withdraw and fix the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redaction_leaks: Vec<RedactionLeak>,
    /// Complaint-judgement letters (category 2l): the pages holding personal data that should
    /// not be published (`crate::privacy`), for the publisher to check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal_data: Vec<PersonalDataPage>,
}

/// The kinds of personal data found on one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataPage {
    /// The page.
    pub page: u32,
    /// The kinds (`BSN`, `e-mailadres`, `telefoonnummer`, `IBAN`, `adres`, `geboortedatum`).
    pub kinds: Vec<String>,
}

/// The pages of the complaint judgements among `documents` that hold personal data.
pub fn personal_data_pages(documents: &[woo_core::Document]) -> Vec<PersonalDataPage> {
    let mut pages = Vec::new();
    for document in documents {
        if document.fields.category.as_deref() != Some(woo_core::woo::COMPLAINT_CATEGORY) {
            continue;
        }
        for page in &document.pages {
            let kinds = crate::privacy::find_personal_data(&page.text);
            if kinds.is_empty() {
                continue;
            }
            pages.push(PersonalDataPage {
                page: page.page,
                kinds: kinds.iter().map(|kind| kind.label().to_string()).collect(),
            });
        }
    }
    pages
}

/// Words left under a redaction box on one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactionLeak {
    /// The page (in the file).
    pub page: u32,
    /// Words covered.
    pub words: u32,
}

/// The pages of an extraction with covered words.
pub fn redaction_leaks(extracted: &woo_core::model::ExtractedPdf) -> Vec<RedactionLeak> {
    extracted
        .pages
        .iter()
        .filter(|page| page.covered_words > 0)
        .map(|page| RedactionLeak {
            page: page.page,
            words: page.covered_words,
        })
        .collect()
}

/// Progress events for a progress bar.
#[derive(Debug, Clone)]
pub enum Progress {
    /// Files found (PDFs to process).
    Discovered {
        /// Number of PDF files.
        files: usize,
    },
    /// One file is done.
    FileDone(FileReport),
    /// A file (or a record of one) could not be taken in at all while walking the inputs: an
    /// unreadable metadata file, a refused complaint record.
    Problem(FileReport),
}

/// Totals of one `woo index` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Document files found (PDFs and the other formats), and text-page records.
    pub files: usize,
    /// [`IndexSummary::files`] by format (`pdf`, `docx`, `spreadsheet`...).
    pub files_by_format: std::collections::BTreeMap<String, usize>,
    /// Documents written in this run.
    pub documents: usize,
    /// Pages written in this run.
    pub pages: u64,
    /// Pages written without any text.
    pub pages_without_text: u64,
    /// Pages whose text came from OCR.
    pub ocr_pages: u64,
    /// Pages that needed OCR and did not get it.
    pub ocr_skipped_pages: u64,
    /// Files skipped because unchanged.
    pub unchanged: usize,
    /// Files skipped because their document or publication is retracted.
    pub retracted: usize,
    /// Documents deleted because their file no longer gives them (a changed bundle split
    /// into fewer or other parts).
    pub removed: usize,
    /// Every failed file (and metadata file) with its reason.
    pub failures: Vec<FileReport>,
    /// Every file's report.
    pub reports: Vec<FileReport>,
    /// Wall-clock time.
    #[serde(serialize_with = "serialize_seconds")]
    pub elapsed: Duration,
}

fn serialize_seconds<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

impl IndexSummary {
    /// ` (175 pdf, 2 odt, 1 docx)`, most frequent first; empty when all files are of one
    /// format.
    fn formats_in_brackets(&self) -> String {
        if self.files_by_format.len() < 2 {
            return String::new();
        }
        let mut counts: Vec<(&String, &usize)> = self.files_by_format.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = counts
            .iter()
            .map(|(format, count)| format!("{count} {format}"))
            .collect();
        format!(" ({})", parts.join(", "))
    }

    /// One line for the end of `woo index`.
    pub fn line(&self) -> String {
        format!(
            "{} files{}: {} documents indexed ({} pages, {} without text, {} by OCR, {} needing OCR skipped), {} unchanged, {}{}{} failed in {:.1} s",
            self.files,
            self.formats_in_brackets(),
            self.documents,
            self.pages,
            self.pages_without_text,
            self.ocr_pages,
            self.ocr_skipped_pages,
            self.unchanged,
            if self.retracted > 0 {
                format!("{} retracted, ", self.retracted)
            } else {
                String::new()
            },
            if self.removed > 0 {
                format!("{} stale removed, ", self.removed)
            } else {
                String::new()
            },
            self.failures.len(),
            self.elapsed.as_secs_f64()
        )
    }
}

impl IndexSummary {
    /// The per-file reports as CSV (header line, one line per file, fields quoted when needed).
    pub fn reports_csv(&self) -> String {
        let mut csv = String::from(
            "path,source,status,class,document_id,pages,pages_without_text,ocr_pages,ocr_skipped_pages,error\n",
        );
        for report in &self.reports {
            let status = serde_json::to_value(report.status)
                .ok()
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default();
            let class = report
                .class
                .and_then(|class| serde_json::to_value(class).ok())
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default();
            let fields = [
                report.path.to_string_lossy().into_owned(),
                report.source.clone(),
                status,
                class,
                report.document_id.clone().unwrap_or_default(),
                report.pages.to_string(),
                report.pages_without_text.to_string(),
                report.ocr_pages.to_string(),
                report.ocr_skipped_pages.to_string(),
                report.error.clone().unwrap_or_default(),
            ];
            let quoted: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
            csv.push_str(&quoted.join(","));
            csv.push('\n');
        }
        csv
    }
}

/// One CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        return format!("\"{}\"", value.replace('"', "\"\""));
    }
    value.to_string()
}

/// The report of a file that could not be indexed, with its reason.
pub fn failure(path: &Path, source: &str, error: String) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        source: source.to_string(),
        status: FileStatus::Failed,
        document_id: None,
        pages: 0,
        pages_without_text: 0,
        ocr_pages: 0,
        ocr_skipped_pages: 0,
        class: None,
        error: Some(error),
        redaction_leaks: Vec::new(),
        personal_data: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_csv_quotes_fields_with_commas_and_quotes() {
        let mut report = failure(Path::new("/in/a.pdf"), "a.pdf", "bad \"x\", y".to_string());
        report.class = Some(OutcomeClass::Malformed);
        let summary = IndexSummary {
            reports: vec![report],
            ..IndexSummary::default()
        };
        let csv = summary.reports_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "/in/a.pdf,a.pdf,failed,malformed,,0,0,0,0,\"bad \"\"x\"\", y\""
        );
    }
}
