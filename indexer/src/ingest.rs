//! Walk input folders, extract every PDF, build [`Document`]s and write them, reporting per file.
//!
//! [`run_index`] is what `woo index` runs. Files are extracted in parallel (rayon, `jobs`
//! threads); the writer runs on the calling thread. One file that cannot be read or parsed is
//! reported with its path and reason and skipped; the rest is indexed and committed.
//!
//! A publication (the PDFs listed in one `publication.json`) is written as a unit: its
//! documents are held back until every file of it is processed, then written together, and a
//! commit (every [`COMMIT_EVERY_DOCUMENTS`] documents, and at the end) only ever happens
//! between publications. So after a crash at any moment a publication is either wholly in
//! the index or not at all, however many documents it has.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use crate::inventory::{self, InventoryLinks};
use crate::metadata::{self, MetadataCatalog, ResolvedMetadata};
use crate::model::{Document, ExtractedPdf, Page, TextSource};
use crate::ocr::OcrEngine;
use crate::pdf::PdfLimits;
use crate::retraction::RetractionList;
use crate::woo;
use crate::worker::{extract_isolated, OutcomeClass};
use crate::write::IndexSink;

/// Documents written between two commits.
const COMMIT_EVERY_DOCUMENTS: usize = 500;

/// What `woo index` was asked to do.
pub struct IndexOptions {
    /// Index directory (created when absent).
    pub index_dir: PathBuf,
    /// Files and folders to index (folders are walked recursively).
    pub inputs: Vec<PathBuf>,
    /// OCR engine for pages without a usable text layer; `None` skips OCR (pages are counted).
    pub ocr: Option<OcrEngine>,
    /// Extraction limits.
    pub limits: PdfLimits,
    /// Worker threads for extraction (0 = number of cores).
    pub jobs: usize,
    /// Re-extract files even when their content hash is unchanged.
    pub force: bool,
    /// The `woo` program, run as `woo extract-worker` per file under resource limits
    /// ([`crate::worker`]); `None` (or a missing file) extracts in this process.
    pub extract_worker: Option<PathBuf>,
}

/// Outcome class of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to its input folder.
    pub source: String,
    /// Outcome.
    pub status: FileStatus,
    /// Document id when indexed.
    #[serde(skip_serializing_if = "Option::is_none")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<OutcomeClass>,
    /// Reason of failure, or a warning (metadata problem) for an indexed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
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
}

/// Totals of one `woo index` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// PDF files found.
    pub files: usize,
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
    /// One line for the end of `woo index`.
    pub fn line(&self) -> String {
        format!(
            "{} files: {} documents indexed ({} pages, {} without text, {} by OCR, {} needing OCR skipped), {} unchanged, {}{}{} failed in {:.1} s",
            self.files,
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

/// One PDF found in the inputs.
#[derive(Debug, Clone)]
struct InputFile {
    path: PathBuf,
    source: String,
}

/// Everything found by walking the inputs.
#[derive(Debug, Default)]
struct Discovery {
    pdfs: Vec<InputFile>,
    catalog: MetadataCatalog,
    problems: Vec<FileReport>,
    /// Inventory candidates (`*.xlsx`, `*.csv`) with their path relative to the input.
    inventory_files: Vec<InputFile>,
    inventory_links: InventoryLinks,
    /// Complaint judgements read from `*.klachten.csv` / `*.klachten.jsonl`.
    complaints: Vec<Document>,
    /// DiWoo sitemap entries whose file is not on disk: documents without pages.
    diwoo_entries: Vec<Document>,
    /// PDFs named as inventories (`*inventar*`) whose table was read and linked before
    /// extraction, with the publication (id, title) they stand for.
    inventory_pdfs: HashMap<PathBuf, (String, String)>,
    /// Inventory files named by a `publication.json` (`"inventory"`), with its publication.
    named_inventories: HashMap<PathBuf, (String, String)>,
    /// Text-page files (`*.pages.jsonl`, see [`crate::pages`]) and their record count.
    page_files: Vec<(InputFile, usize)>,
}

fn failure(path: &Path, source: &str, error: String) -> FileReport {
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
    }
}

fn is_pdf_name(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("pdf"))
}

fn relative_source(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// Walks the inputs: PDFs to index and `publication.json` files to read.
fn discover(inputs: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    for input in inputs {
        if input.is_file() {
            let root = input.parent().unwrap_or(Path::new(""));
            if is_pdf_name(input) {
                discovery.pdfs.push(InputFile {
                    path: metadata::normalise_path(input),
                    source: relative_source(root, input),
                });
            } else if crate::pages::is_page_file(input) {
                add_page_file(&mut discovery, input, root);
            }
            if crate::diwoo::is_sitemap_candidate(input) {
                add_sitemap(&mut discovery, input, root);
            }
            let publication = root.join("publication.json");
            if publication.is_file() {
                add_publication(&mut discovery, &publication, root);
            }
            continue;
        }
        if !input.is_dir() {
            discovery.problems.push(failure(
                input,
                &input.to_string_lossy(),
                format!("{}: no such file or directory", input.display()),
            ));
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().unwrap_or(input).to_path_buf();
                    let source = relative_source(input, &path);
                    discovery.problems.push(failure(
                        &path,
                        &source,
                        format!("cannot walk: {error}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if path
                .file_name()
                .is_some_and(|name| name == "publication.json")
            {
                add_publication(&mut discovery, path, input);
            } else if is_pdf_name(path) {
                discovery.pdfs.push(InputFile {
                    path: metadata::normalise_path(path),
                    source: relative_source(input, path),
                });
            } else if crate::pages::is_page_file(path) {
                add_page_file(&mut discovery, path, input);
            } else if crate::complaint::is_complaint_file(path) {
                add_complaints(&mut discovery, path, &relative_source(input, path));
            } else if crate::diwoo::is_sitemap_candidate(path) {
                add_sitemap(&mut discovery, path, input);
            } else if is_inventory_candidate(path) {
                discovery.inventory_files.push(InputFile {
                    path: metadata::normalise_path(path),
                    source: relative_source(input, path),
                });
            }
        }
    }
    // A PDF named by a sitemap may also be found by walking its folder: index it once.
    let mut seen = std::collections::HashSet::new();
    discovery.pdfs.retain(|pdf| seen.insert(pdf.path.clone()));
    link_inventories(&mut discovery);
    discovery
}

/// Reads a DiWoo sitemap: entries naming a local file give that file its metadata (and add it
/// to the inputs); the others become documents without pages. `root` is the input folder the
/// sources are relative to.
fn add_sitemap(discovery: &mut Discovery, path: &Path, root: &Path) {
    let source = relative_source(root, path);
    let sitemap = match crate::diwoo::read_sitemap(path) {
        Ok(Some(sitemap)) => sitemap,
        Ok(None) => return,
        Err(error) => {
            discovery
                .problems
                .push(failure(path, &source, error.to_string()));
            return;
        }
    };
    let root = metadata::normalise_path(root);
    for (index, entry) in sitemap.entries.iter().enumerate() {
        match crate::diwoo::entry_local_file(entry, path) {
            Some(pdf_path) if is_pdf_name(&pdf_path) => {
                let entry_metadata = crate::diwoo::entry_metadata(entry, &source, index);
                discovery.catalog.add_diwoo_entry(&pdf_path, entry_metadata);
                discovery.pdfs.push(InputFile {
                    source: relative_source(&root, &pdf_path),
                    path: pdf_path,
                });
            }
            _ => discovery
                .diwoo_entries
                .push(crate::diwoo::entry_document(entry, &source, index)),
        }
    }
}

fn add_page_file(discovery: &mut Discovery, path: &Path, root: &Path) {
    let source = relative_source(root, path);
    match crate::pages::count_records(path) {
        Ok(records) => discovery.page_files.push((
            InputFile {
                path: metadata::normalise_path(path),
                source,
            },
            records,
        )),
        Err(error) => discovery
            .problems
            .push(failure(path, &source, error.to_string())),
    }
}

fn add_complaints(discovery: &mut Discovery, path: &Path, source: &str) {
    match crate::complaint::read_complaints(path) {
        Ok(records) => {
            for record in &records {
                let document = crate::complaint::complaint_document(record, source, path);
                discovery.complaints.push(document);
            }
        }
        Err(error) => discovery
            .problems
            .push(failure(path, source, error.to_string())),
    }
}

/// `*.xlsx` and `*.csv` files (not complaint records) may be inventory lists.
fn is_inventory_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    (name.ends_with(".xlsx") || name.ends_with(".csv")) && !name.ends_with(".klachten.csv")
}

/// Reads every inventory candidate and links its rows to the PDFs found (see [`inventory`]).
fn link_inventories(discovery: &mut Discovery) {
    let pdf_paths: Vec<PathBuf> = discovery.pdfs.iter().map(|pdf| pdf.path.clone()).collect();
    let catalog = &discovery.catalog;
    let metadata_id = |pdf: &Path| -> Option<String> {
        catalog.lookup(pdf).and_then(|(_, entry)| entry.id.clone())
    };
    for file in &discovery.inventory_files {
        let named = discovery.named_inventories.get(&file.path).cloned();
        match inventory::read_inventory(&file.path) {
            Ok(Some(found)) => inventory::link_inventory_in(
                &found,
                &file.source,
                &pdf_paths,
                &metadata_id,
                named,
                false,
                &mut discovery.inventory_links,
            ),
            Ok(None) => {}
            Err(error) => {
                discovery
                    .problems
                    .push(failure(&file.path, &file.source, error.to_string()))
            }
        }
    }
}

/// Whether a PDF's name says it is an inventory list (`Inventarisatielijst …`, `inventaris.pdf`).
fn is_inventory_pdf_name(path: &Path) -> bool {
    path.file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .is_some_and(|name| name.contains("inventar"))
}

/// Reads the tables of PDFs named as inventories before the other PDFs are extracted, and links
/// their rows to the PDFs beside them like an xlsx or csv inventory. An inventory PDF inside the
/// folder of another inventory joins that inventory's publication; otherwise it stands for a
/// publication of its own (its own document id).
fn link_pdf_inventories(discovery: &mut Discovery, options: &IndexOptions) {
    let pdf_paths: Vec<PathBuf> = discovery.pdfs.iter().map(|pdf| pdf.path.clone()).collect();
    let candidates: Vec<InputFile> = discovery
        .pdfs
        .iter()
        .filter(|pdf| {
            is_inventory_pdf_name(&pdf.path) || discovery.named_inventories.contains_key(&pdf.path)
        })
        .cloned()
        .collect();
    for pdf in candidates {
        let Ok(bytes) = std::fs::read(&pdf.path) else {
            continue;
        };
        let answer = extract_isolated(
            options.extract_worker.as_ref(),
            &pdf.source,
            &bytes,
            &options.limits,
        );
        let Some(extracted) = answer.pdf else {
            continue;
        };
        let rows = inventory::rows_of_pdf_pages(&extracted.pages);
        if rows.is_empty() {
            continue;
        }
        let own_id = discovery
            .catalog
            .lookup(&pdf.path)
            .and_then(|(_, entry)| entry.id.clone())
            .unwrap_or_else(|| default_document_id(&pdf.source));
        let publication = discovery
            .named_inventories
            .get(&pdf.path)
            .cloned()
            .or_else(|| {
                discovery.catalog.lookup(&pdf.path).map(|(publication, _)| {
                    (
                        publication.id.clone(),
                        publication.title.clone().unwrap_or_default(),
                    )
                })
            })
            .or_else(|| discovery.inventory_links.publication_of(&pdf.path))
            .unwrap_or_else(|| (own_id, file_stem_title(&pdf.source)));
        let found = inventory::Inventory {
            path: pdf.path.clone(),
            rows,
        };
        let catalog = &discovery.catalog;
        let metadata_id = |path: &Path| -> Option<String> {
            catalog.lookup(path).and_then(|(_, entry)| entry.id.clone())
        };
        inventory::link_inventory_in(
            &found,
            &pdf.source,
            &pdf_paths,
            &metadata_id,
            Some(publication.clone()),
            true,
            &mut discovery.inventory_links,
        );
        discovery
            .inventory_pdfs
            .insert(pdf.path.clone(), publication);
    }
}

fn add_publication(discovery: &mut Discovery, path: &Path, root: &Path) {
    match metadata::read_publication(path) {
        Ok(publication) => {
            if let Some(inventory_file) = &publication.inventory {
                let folder = path.parent().unwrap_or(Path::new("."));
                let inventory_path = metadata::normalise_path(&folder.join(inventory_file));
                let title = publication.title.clone().unwrap_or_default();
                discovery
                    .named_inventories
                    .insert(inventory_path, (publication.id.clone(), title));
            }
            discovery.catalog.add_publication(path, publication)
        }
        Err(error) => discovery.problems.push(failure(
            path,
            &relative_source(root, path),
            error.to_string(),
        )),
    }
}

/// The id the metadata gives a file's document, or the stable id derived from its path.
fn id_of_entry(entry: &metadata::DocumentMetadata, source: &str) -> String {
    entry
        .id
        .clone()
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| default_document_id(source))
}

/// A readable slug of the source path plus a short hash: stable across runs.
pub fn default_document_id(source: &str) -> String {
    let without_extension = source
        .strip_suffix(".pdf")
        .or_else(|| source.strip_suffix(".PDF"))
        .unwrap_or(source);
    let mut slug = String::new();
    for character in crate::analysis::fold(without_extension).chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let digest = Sha256::digest(source.as_bytes());
    let short_hash = hex(&digest[..4]);
    if slug.is_empty() {
        return short_hash;
    }
    format!("{}-{short_hash}", slug.trim_end_matches('-'))
}

/// Normalises a date from metadata or text to `YYYY-MM-DD` (accepts `YYYY-MM-DD…`,
/// `DD-MM-YYYY` and the `DD-MM-YY` of inventory lists and file names such as
/// `besluit_d_d_18-12-18`, with `-`, `/` or `.`). A two-digit year is read as POSIX `%y`
/// does: 69–99 is 1969–1999, 00–68 is 2000–2068.
pub fn normalise_date(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(prefix) = value.get(..10) {
        if crate::write::date_to_days(prefix).is_some() {
            return Some(prefix.to_string());
        }
    }
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let year = match parts[2].len() {
        4 => parts[2].to_string(),
        2 => {
            let short: u32 = parts[2].parse().ok()?;
            let century = if short >= 69 { 1900 } else { 2000 };
            (century + short).to_string()
        }
        _ => return None,
    };
    let candidate = format!("{year}-{:0>2}-{:0>2}", parts[1], parts[0]);
    crate::write::date_to_days(&candidate).map(|_| candidate)
}

/// Bytes of a page that language detection reads: whatlang's trigram statistics are settled
/// long before, and detection was a tenth of the indexing time on full pages.
const LANGUAGE_SAMPLE_BYTES: usize = 2_000;

/// The languages a page is told apart between: those Dutch public bodies publish in (Dutch,
/// English, the neighbours' and the main immigrant languages). whatlang scores every allowed
/// language's trigram profile, so a short list instead of its 69 languages made detection
/// several times cheaper (it was a fifth of `woo index`'s CPU, measured with perf).
const DETECTED_LANGUAGES: &[whatlang::Lang] = &[
    whatlang::Lang::Nld,
    whatlang::Lang::Eng,
    whatlang::Lang::Deu,
    whatlang::Lang::Fra,
    whatlang::Lang::Spa,
    whatlang::Lang::Ita,
    whatlang::Lang::Por,
    whatlang::Lang::Pol,
    whatlang::Lang::Ron,
    whatlang::Lang::Tur,
    whatlang::Lang::Dan,
    whatlang::Lang::Swe,
    whatlang::Lang::Ara,
    whatlang::Lang::Rus,
    whatlang::Lang::Ukr,
];

/// The detector over [`DETECTED_LANGUAGES`], built once.
fn language_detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(DETECTED_LANGUAGES.to_vec()))
}

/// Language of a page as ISO 639-1 (`nl`, `en`, `de`, `fr`) or whatlang's 639-3 code, from
/// its first [`LANGUAGE_SAMPLE_BYTES`] bytes.
pub fn detect_language(text: &str) -> Option<String> {
    let mut sample_end = text.len().min(LANGUAGE_SAMPLE_BYTES);
    while !text.is_char_boundary(sample_end) {
        sample_end -= 1;
    }
    let text = &text[..sample_end];
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 40 {
        return None;
    }
    let info = language_detector().detect(text)?;
    if !info.is_reliable() && letters < 400 {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Nld => "nl",
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Ita => "it",
        other => other.code(),
    };
    Some(code.to_string())
}

/// Pages searched for reference numbers (the letterhead of a decision is on its first pages).
const REFERENCE_PAGES: usize = 2;

/// Reference numbers labelled as such at the start of a line on the first pages (the
/// letterhead): `Ons kenmerk 2024-0001234`, `Zaaknummer: Z/21/123456`, `Referentie WOO-2023-12`;
/// not `Uw kenmerk` (the requester's) nor a number merely cited in a sentence. They go to the identifier field, so
/// typing the number finds the letter that carries it first.
pub fn find_references(pages: &[Page]) -> Vec<String> {
    static LABELLED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?im)^[ \t]*(?:ons[ \t]+)?(?:kenmerk|referentie|zaaknummer|dossiernummer|registratienummer|documentnummer)(?:\s+(?:nummer|nr\.?))?\s*[:.]?[ \t]*\n?[ \t]*([A-Z0-9][A-Z0-9./_-]{3,40})",
        )
        .expect("valid reference pattern")
    });
    let mut references: Vec<String> = Vec::new();
    for page in pages.iter().take(REFERENCE_PAGES) {
        for captures in LABELLED.captures_iter(&page.text) {
            let value = captures[1].trim_end_matches(['.', '-', '/']).to_string();
            let has_digit = value.chars().any(|c| c.is_ascii_digit());
            if has_digit && !references.contains(&value) {
                references.push(value);
            }
        }
    }
    references
}

/// A PDF info title worth showing (not "Microsoft Word - x.docx", "untitled", ...).
fn usable_info_title(title: &str) -> Option<String> {
    let mut title = title.trim().to_string();
    if let Some(rest) = title.strip_prefix("Microsoft Word - ") {
        title = rest.to_string();
    }
    for suffix in [".docx", ".doc", ".pdf", ".odt"] {
        if let Some(rest) = title.strip_suffix(suffix) {
            title = rest.to_string();
        }
    }
    let lower = title.to_lowercase();
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4 || lower.starts_with("untitled") || lower.starts_with("document") && letters < 10
    {
        return None;
    }
    Some(title)
}

/// The first heading-like line of the text: letters, not a page number line, not too long.
fn first_heading_line(text: &str) -> Option<String> {
    for line in text.lines().take(40) {
        let line = line.trim();
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 || line.chars().count() > 150 {
            continue;
        }
        let lower = line.to_lowercase();
        if lower.starts_with("pagina") || lower.starts_with("page ") {
            continue;
        }
        if letters * 2 < line.chars().count() {
            continue;
        }
        return Some(line.to_string());
    }
    None
}

fn file_stem_title(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.strip_suffix(".pdf")
        .or_else(|| name.strip_suffix(".PDF"))
        .unwrap_or(name)
        .replace(['_', '+'], " ")
}

/// Hash of the file bytes, its metadata and the OCR setting: unchanged hash = nothing to do.
fn content_hash(bytes: &[u8], resolved: &ResolvedMetadata, ocr_enabled: bool) -> String {
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
    hasher.update(crate::schema::SCHEMA_VERSION.to_le_bytes());
    hex(&hasher.finalize())
}

/// Lowercase hexadecimal of bytes (digests in ids and content hashes).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Hash of a document without a file (inventory row, complaint record, DiWoo entry): all its
/// fields and the schema version, so an unchanged entry is not written again.
fn entry_content_hash(document: &Document) -> String {
    let mut without_hash = document.clone();
    without_hash.content_hash.clear();
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&without_hash).unwrap_or_default());
    hasher.update(crate::schema::SCHEMA_VERSION.to_le_bytes());
    hex(&hasher.finalize())
}

/// Normalises a category value to its letter code; unknown values are kept as given.
fn normalise_category(value: &str) -> String {
    match woo::category_by_any(value) {
        Some(category) => category.code.to_string(),
        None => value.trim().to_string(),
    }
}

/// The title a decision letter is recognised by: the metadata's, else the file name.
fn title_for_decision(entry: &metadata::DocumentMetadata, source: &str) -> String {
    entry
        .title
        .clone()
        .unwrap_or_else(|| file_stem_title(source))
}

/// Builds the document from its extraction and metadata (pure: no I/O).
pub fn build_document(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: String,
) -> Document {
    let entry = &resolved.document;
    let publication = resolved.publication.as_ref();
    let pages: Vec<Page> = extracted
        .pages
        .into_iter()
        .map(|page| Page {
            page: page.page,
            language: detect_language(&page.text),
            grounds: woo::find_ground_stamps(&page.text),
            text: page.text,
            source: page.source,
            ocr_confidence: page.ocr_confidence,
        })
        .collect();

    let references = find_references(&pages);
    let decision = crate::decision::analyse_decision(
        &title_for_decision(entry, source),
        entry.document_type.as_deref(),
        &pages,
    );
    let title = entry
        .title
        .clone()
        .filter(|title| !title.trim().is_empty())
        .or_else(|| extracted.info.title.as_deref().and_then(usable_info_title))
        .or_else(|| {
            pages
                .first()
                .and_then(|page| first_heading_line(&page.text))
        })
        .unwrap_or_else(|| file_stem_title(source));
    let id = id_of_entry(entry, source);
    let publisher = entry
        .publisher
        .clone()
        .or_else(|| publication.and_then(|p| p.publisher.clone()))
        .map(|value| woo::normalise_publisher(&value));
    let category = entry
        .category
        .clone()
        .or_else(|| publication.and_then(|p| p.category.clone()))
        .map(|value| normalise_category(&value));
    let date = entry
        .date
        .as_deref()
        .and_then(normalise_date)
        .or_else(|| {
            publication
                .and_then(|p| p.date.as_deref())
                .and_then(normalise_date)
        })
        .or_else(|| extracted.info.creation_date.clone());
    let judgement = entry.judgement.as_deref().map(|value| {
        woo::normalise_judgement(value)
            .map(str::to_string)
            .unwrap_or_else(|| value.trim().to_lowercase())
    });
    let grounds = entry
        .grounds
        .iter()
        .map(|value| woo::normalise_ground(value).unwrap_or_else(|| value.trim().to_string()))
        .collect();
    Document {
        id,
        title,
        source: source.to_string(),
        file_path: file_path.to_string_lossy().into_owned(),
        content_hash: hash,
        publication_id: entry
            .publication_id
            .clone()
            .or_else(|| publication.map(|p| p.id.clone())),
        publication_title: entry
            .publication_title
            .clone()
            .or_else(|| publication.and_then(|p| p.title.clone())),
        publisher,
        category,
        document_type: entry.document_type.clone(),
        date,
        judgement,
        grounds,
        // The publication's summary describes the publication, not each document.
        summary: entry.summary.clone(),
        references,
        decision_date: decision
            .as_ref()
            .and_then(|facts| facts.decision_date.clone()),
        request_date: decision
            .as_ref()
            .and_then(|facts| facts.request_date.clone()),
        decision: decision.as_ref().and_then(|facts| facts.decision.clone()),
        articles: decision.map(|facts| facts.articles).unwrap_or_default(),
        pages,
        ..Document::default()
    }
}

/// Content hashes of a bundle's parts after its first (and of entries for rows of its own
/// inventory table) start with this, so an inventory row a part carries is not written again as
/// an entry while the bundle is unchanged.
const PART_HASH_PREFIX: &str = "part:";

/// What the inventories say about one PDF, for [`build_documents`].
struct PdfContext<'a> {
    /// An inventory row names this PDF: it is one document, never split.
    is_linked_row: bool,
    /// Rows without a PDF of the inventories describing its folder (a bundle may carry them).
    scope_rows: Vec<&'a inventory::LinkedRow>,
    /// The PDF is an inventory whose table was linked before extraction, for this publication.
    inventory_publication: Option<(String, String)>,
}

/// The documents of one PDF: one document, or the parts of a bundle ([`crate::bundle`]); plus
/// an entry without pages for every row of the PDF's own inventory table that no part carries
/// (unless the table was already linked as an inventory before extraction).
fn build_documents(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: String,
    context: &PdfContext,
) -> Vec<Document> {
    let own_rows = if context.inventory_publication.is_some() {
        Vec::new()
    } else {
        inventory::rows_of_pdf_pages(&extracted.pages)
    };
    let mut known_ids: Vec<String> = own_rows.iter().filter_map(|row| row.id.clone()).collect();
    known_ids.extend(
        context
            .scope_rows
            .iter()
            .filter_map(|linked| linked.row.id.clone()),
    );
    // An inventory list of several pages is one document, whatever its bookmarks say.
    let table_pages = extracted
        .pages
        .iter()
        .filter(|page| !page.table_lines.is_empty())
        .count();
    let is_inventory_list = table_pages * 2 >= extracted.pages.len();
    let parts = if context.is_linked_row || is_inventory_list {
        None
    } else {
        crate::bundle::split_bundle(&extracted.pages, &extracted.outline, &known_ids)
    };
    let Some(parts) = parts else {
        let mut document = build_document(extracted, resolved, source, file_path, hash.clone());
        if own_rows.is_empty() {
            return vec![document];
        }
        // A decision with its inventory table: the rows are entries of its publication.
        if document.publication_id.is_none() {
            document.publication_id = Some(document.id.clone());
            document.publication_title = Some(document.title.clone());
        }
        let publication_id = document.publication_id.clone().unwrap_or_default();
        let publication_title = document.publication_title.clone().unwrap_or_default();
        let mut documents = vec![document];
        let mut used_ids = std::collections::HashSet::new();
        for (index, row) in own_rows.iter().enumerate() {
            let mut entry =
                inventory::row_document(row, index, source, &publication_id, &publication_title);
            entry.id = inventory::unique_id(&entry.id, &mut used_ids);
            entry.content_hash = format!("{PART_HASH_PREFIX}{hash}");
            documents.push(entry);
        }
        return documents;
    };
    build_bundle_parts(
        extracted, resolved, source, file_path, &hash, &parts, own_rows, context,
    )
}

/// The documents of a bundle split into `parts`: each with its pages (numbered from 1), its
/// page range in `source` (`#pages=F-L`) and `first_page`, in the bundle's publication; a part
/// whose stamp is the number of an inventory row gets that row's title, date, judgement and
/// grounds (and, for a row of another inventory, its entry id). The first part keeps the
/// bundle's own id and content hash, so an unchanged bundle is skipped as one file.
#[allow(clippy::too_many_arguments)]
fn build_bundle_parts(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: &str,
    parts: &[crate::bundle::BundlePart],
    own_rows: Vec<inventory::InventoryRow>,
    context: &PdfContext,
) -> Vec<Document> {
    let entry = &resolved.document;
    let bundle_id = id_of_entry(entry, source);
    let bundle_title = entry
        .title
        .clone()
        .or_else(|| extracted.info.title.as_deref().and_then(usable_info_title))
        .unwrap_or_else(|| file_stem_title(source));
    let (publication_id, publication_title) = match (&entry.publication_id, &resolved.publication) {
        (Some(id), _) => (
            id.clone(),
            entry.publication_title.clone().unwrap_or_default(),
        ),
        (None, Some(publication)) => (
            publication.id.clone(),
            publication.title.clone().unwrap_or_default(),
        ),
        (None, None) => (bundle_id.clone(), bundle_title.clone()),
    };
    let mut claimed_own: Vec<bool> = vec![false; own_rows.len()];
    let mut documents = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let pages: Vec<crate::model::ExtractedPage> = extracted
            .pages
            .iter()
            .skip(part.first_page as usize - 1)
            .take((part.last_page + 1 - part.first_page) as usize)
            .enumerate()
            .map(|(offset, page)| crate::model::ExtractedPage {
                page: offset as u32 + 1,
                table_lines: Vec::new(),
                ..page.clone()
            })
            .collect();
        let mut part_metadata = metadata::DocumentMetadata {
            id: Some(if index == 0 {
                bundle_id.clone()
            } else {
                format!("{bundle_id}-p{}", part.first_page)
            }),
            title: part.title.clone().or_else(|| {
                pages
                    .first()
                    .and_then(|page| crate::bundle::document_heading(&page.text))
            }),
            publisher: entry.publisher.clone(),
            category: entry.category.clone(),
            publication_id: Some(publication_id.clone()),
            publication_title: Some(publication_title.clone()),
            ..metadata::DocumentMetadata::default()
        };
        if let Some(stamp) = &part.stamp {
            let own = own_rows.iter().position(|row| {
                row.id
                    .as_deref()
                    .is_some_and(|id| crate::bundle::same_number(id, stamp))
            });
            let scope_row = context.scope_rows.iter().find(|linked| {
                linked
                    .row
                    .id
                    .as_deref()
                    .is_some_and(|id| crate::bundle::same_number(id, stamp))
            });
            let row = match (own, scope_row) {
                (Some(position), _) => {
                    claimed_own[position] = true;
                    Some(own_rows[position].clone())
                }
                (None, Some(linked)) => {
                    if index > 0 {
                        // The row's entry id: this part replaces that entry.
                        part_metadata.id = Some(format!(
                            "{}-{}",
                            linked.publication_id,
                            linked.row.id.clone().unwrap_or_default()
                        ));
                    }
                    Some(linked.row.clone())
                }
                (None, None) => None,
            };
            if let Some(row) = row {
                part_metadata.title = row.title.clone().or(part_metadata.title);
                part_metadata.date = row.date.clone();
                part_metadata.judgement = row.judgement.clone();
                part_metadata.grounds = row.grounds.clone();
                part_metadata.document_type = row.document_type.as_deref().map(str::to_lowercase);
                part_metadata.summary = row.explanation.clone();
            }
        }
        let part_resolved = ResolvedMetadata {
            publication: resolved.publication.clone(),
            document: part_metadata,
        };
        let part_source = format!("{source}#pages={}-{}", part.first_page, part.last_page);
        let part_hash = if index == 0 {
            hash.to_string()
        } else {
            format!("{PART_HASH_PREFIX}{hash}")
        };
        let part_pdf = ExtractedPdf {
            pages,
            ..ExtractedPdf::default()
        };
        let mut document =
            build_document(part_pdf, &part_resolved, &part_source, file_path, part_hash);
        document.first_page = Some(part.first_page);
        documents.push(document);
    }
    let mut used_ids: std::collections::HashSet<String> = documents
        .iter()
        .map(|document| document.id.clone())
        .collect();
    for (index, row) in own_rows.iter().enumerate() {
        if claimed_own[index] {
            continue;
        }
        let mut entry =
            inventory::row_document(row, index, source, &publication_id, &publication_title);
        entry.id = inventory::unique_id(&entry.id, &mut used_ids);
        entry.content_hash = format!("{PART_HASH_PREFIX}{hash}");
        documents.push(entry);
    }
    documents
}

/// Result of processing one PDF on a worker thread.
enum Processed {
    /// The file's documents: one, or the parts of a bundle (with entries for rows of its own
    /// inventory table that no part carries).
    Documents(Vec<Document>, FileReport),
    Unchanged(FileReport),
    Failed(FileReport),
    Retracted(FileReport),
}

/// How a run writes, beyond [`IndexOptions`] (what `woo index` needs is the default).
#[derive(Debug, Clone, Default)]
pub struct RunControl {
    /// Ids (document or publication) whose tombstones are removed before the run, so they are
    /// indexed again: re-publication on purpose.
    pub republish: Vec<String>,
    /// Delete every document of this publication id first, in the same commit as the new
    /// documents: an upload replaces its publication, leaving no stale documents or pages.
    pub replace_publication: Option<String>,
    /// Write everything in one commit (atomic: all documents of the run or none).
    pub single_commit: bool,
}

/// OCRs the pages that need it; returns (ocr pages, skipped pages).
fn apply_ocr(extracted: &mut ExtractedPdf, path: &Path, ocr: Option<&OcrEngine>) -> (u32, u32) {
    let mut ocr_pages = 0;
    let mut skipped = 0;
    for page in &mut extracted.pages {
        if !page.needs_ocr {
            continue;
        }
        let Some(engine) = ocr else {
            skipped += 1;
            continue;
        };
        match engine.ocr_page(path, page.page) {
            Ok(result) => {
                let alphanumeric = result.text.chars().filter(|c| c.is_alphanumeric()).count();
                if alphanumeric > 0 {
                    page.text = result.text;
                    page.source = TextSource::Ocr;
                    page.ocr_confidence = Some(result.mean_confidence);
                    ocr_pages += 1;
                } else {
                    page.problem = Some("ocr found no text".to_string());
                }
            }
            Err(error) => {
                skipped += 1;
                page.problem = Some(error.to_string());
            }
        }
    }
    (ocr_pages, skipped)
}

fn process_file(
    input: &InputFile,
    catalog: &MetadataCatalog,
    inventory_links: &InventoryLinks,
    inventory_pdfs: &HashMap<PathBuf, (String, String)>,
    options: &IndexOptions,
    existing_hashes: &HashMap<String, String>,
    retractions: &RetractionList,
) -> Processed {
    let mut report = failure(&input.path, &input.source, String::new());
    report.error = None;
    let bytes = match std::fs::read(&input.path) {
        Ok(bytes) => bytes,
        Err(source) => {
            let error = IndexerError::Read {
                path: input.path.clone(),
                source,
            };
            return Processed::Failed(failure(&input.path, &input.source, error.to_string()));
        }
    };
    let resolved = match catalog.resolve(&input.path) {
        Ok(resolved) => resolved,
        Err(error) => {
            // A broken sidecar is reported; the PDF is indexed with the metadata we have.
            report.error = Some(error.to_string());
            catalog.resolve_without_sidecar(&input.path)
        }
    };
    let mut resolved = resolved;
    if let Some(linked) = inventory_links.rows_by_pdf.get(&input.path) {
        let has_publication = resolved.publication.is_some();
        inventory::apply_row(&mut resolved.document, linked, has_publication);
    }
    // A decision letter or inventory beside documents an inventory describes joins their
    // publication.
    if resolved.publication.is_none() && resolved.document.publication_id.is_none() {
        let publication = inventory_pdfs
            .get(&input.path)
            .cloned()
            .or_else(|| inventory_links.publication_of(&input.path));
        if let Some((id, title)) = publication {
            resolved.document.publication_id = Some(id);
            resolved.document.publication_title = Some(title);
        }
    }
    let hash = content_hash(&bytes, &resolved, options.ocr.is_some());
    let planned_id = resolved
        .document
        .id
        .clone()
        .unwrap_or_else(|| default_document_id(&input.source));
    let planned_publication_id = resolved
        .document
        .publication_id
        .clone()
        .or_else(|| resolved.publication.as_ref().map(|p| p.id.clone()));
    if let Some(tombstone) = retractions.covering(&planned_id, planned_publication_id.as_deref()) {
        report.status = FileStatus::Retracted;
        report.document_id = Some(planned_id);
        report.error = Some(tombstone.message());
        return Processed::Retracted(report);
    }
    if !options.force && existing_hashes.get(&planned_id) == Some(&hash) {
        report.status = FileStatus::Unchanged;
        report.document_id = Some(planned_id);
        return Processed::Unchanged(report);
    }
    let name = input.source.clone();
    let answer = extract_isolated(
        options.extract_worker.as_ref(),
        &name,
        &bytes,
        &options.limits,
    );
    let class = answer.class;
    let Some(mut extracted) = answer.pdf else {
        let message = answer
            .message
            .unwrap_or_else(|| format!("{name}: extraction failed"));
        let mut failed = failure(&input.path, &input.source, message);
        failed.class = Some(class);
        return Processed::Failed(failed);
    };
    report.class = Some(class);
    let (ocr_pages, ocr_skipped_pages) =
        apply_ocr(&mut extracted, &input.path, options.ocr.as_ref());
    let truncated = extracted.truncated;
    let pdf_context = PdfContext {
        is_linked_row: inventory_links.rows_by_pdf.contains_key(&input.path),
        scope_rows: inventory_links.unlinked_rows_for(&input.path),
        inventory_publication: inventory_pdfs.get(&input.path).cloned(),
    };
    let documents = build_documents(
        extracted,
        &resolved,
        &input.source,
        &input.path,
        hash,
        &pdf_context,
    );
    let pages: Vec<&Page> = documents
        .iter()
        .flat_map(|document| document.pages.iter())
        .collect();
    report.status = FileStatus::Indexed;
    report.document_id = documents.first().map(|document| document.id.clone());
    report.pages = pages.len() as u32;
    report.pages_without_text = pages
        .iter()
        .filter(|page| page.text.trim().is_empty())
        .count() as u32;
    report.ocr_pages = ocr_pages;
    report.ocr_skipped_pages = ocr_skipped_pages;
    // OCR may have given text to a file that had none.
    report.class = Some(if report.pages_without_text == report.pages {
        OutcomeClass::NoText
    } else if truncated {
        OutcomeClass::IndexedTruncated
    } else {
        OutcomeClass::Indexed
    });
    Processed::Documents(documents, report)
}

/// Lines of a text-page file analysed in parallel at a time.
const PAGE_RECORDS_PER_BATCH: usize = 256;

/// Sends every record of a text-page file as a processed document (in parallel batches).
fn process_page_file(
    file: &InputFile,
    options: &IndexOptions,
    existing_hashes: &HashMap<String, String>,
    retractions: &RetractionList,
    sender: &mpsc::SyncSender<Processed>,
) {
    use rayon::prelude::*;
    let lines = match crate::pages::read_lines(&file.path) {
        Ok(lines) => lines,
        Err(error) => {
            let _ = sender.send(Processed::Failed(failure(
                &file.path,
                &file.source,
                error.to_string(),
            )));
            return;
        }
    };
    let mut batch = Vec::with_capacity(PAGE_RECORDS_PER_BATCH);
    let mut lines = lines.peekable();
    while lines.peek().is_some() {
        batch.extend(lines.by_ref().take(PAGE_RECORDS_PER_BATCH));
        batch
            .par_drain(..)
            .for_each_with(sender.clone(), |sender, line| {
                let processed =
                    process_page_line(file, line, options, existing_hashes, retractions);
                let _ = sender.send(processed);
            });
    }
}

/// One line of a text-page file -> a document (or unchanged, retracted, failed).
fn process_page_line(
    file: &InputFile,
    line: Result<(usize, String)>,
    options: &IndexOptions,
    existing_hashes: &HashMap<String, String>,
    retractions: &RetractionList,
) -> Processed {
    let record = line.and_then(|(number, line)| {
        let record = crate::pages::parse_record(&file.path, number, &line)?;
        Ok((record, crate::pages::record_hash(&line)))
    });
    let (record, hash) = match record {
        Ok(parsed) => parsed,
        Err(error) => {
            return Processed::Failed(failure(&file.path, &file.source, error.to_string()))
        }
    };
    let source = format!("{}#{}", file.source, record.id.trim());
    let mut report = failure(&file.path, &source, String::new());
    report.error = None;
    report.document_id = Some(record.id.trim().to_string());
    if let Some(tombstone) =
        retractions.covering(record.id.trim(), record.publication_id.as_deref())
    {
        report.status = FileStatus::Retracted;
        report.error = Some(tombstone.message());
        return Processed::Retracted(report);
    }
    if !options.force && existing_hashes.get(record.id.trim()) == Some(&hash) {
        report.status = FileStatus::Unchanged;
        return Processed::Unchanged(report);
    }
    let document = crate::pages::page_document(record, &source, &file.path, hash);
    report.status = FileStatus::Indexed;
    report.pages = document.pages.len() as u32;
    report.pages_without_text = document
        .pages
        .iter()
        .filter(|page| page.text.trim().is_empty())
        .count() as u32;
    report.class = Some(if report.pages_without_text < report.pages {
        OutcomeClass::Indexed
    } else {
        OutcomeClass::NoText
    });
    Processed::Documents(vec![document], report)
}

/// Indexes every PDF of the inputs. Per-file failures are in the summary, not errors;
/// an `Err` means the index itself could not be opened or written.
pub fn run_index(
    options: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexSummary> {
    let mut sink = IndexSink::open(&options.index_dir)?;
    run_index_in(&mut sink, options, &RunControl::default(), progress)
}

/// Deletes the documents an earlier run wrote from the PDF `path` that its new `documents`
/// no longer include: when a changed bundle is split into fewer or other parts, the old parts
/// must not stay searchable. Text-page files are left alone (each of their records is a
/// document of its own, skipped when unchanged), and so is an id another file wrote in this
/// run (the document moved). Returns how many were deleted.
fn remove_stale_documents(
    sink: &mut IndexSink,
    ids_by_source_file: &HashMap<String, Vec<String>>,
    written_ids: &std::collections::HashSet<String>,
    documents: &[Document],
    path: &Path,
) -> usize {
    if crate::pages::is_page_file(path) {
        return 0;
    }
    let Some(first) = documents.first() else {
        return 0;
    };
    let Some(earlier_ids) = ids_by_source_file.get(crate::write::source_file(&first.source)) else {
        return 0;
    };
    let new_ids: std::collections::HashSet<&str> = documents
        .iter()
        .map(|document| document.id.as_str())
        .collect();
    let mut removed = 0;
    for id in earlier_ids {
        if !new_ids.contains(id.as_str()) && !written_ids.contains(id) {
            sink.delete(id);
            removed += 1;
        }
    }
    removed
}

/// [`run_index`] on an already open writer (the server holds one for its lifetime), with
/// [`RunControl`]. The retraction list of `sink`'s index is honoured. On `Err` the writer may
/// hold uncommitted changes: drop it and open a new one (never `rollback`).
pub fn run_index_in(
    sink: &mut IndexSink,
    options: &IndexOptions,
    control: &RunControl,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexSummary> {
    let started = Instant::now();
    let mut retractions = RetractionList::load(sink.dir())?;
    let mut republished = false;
    for id in &control.republish {
        republished |= retractions.remove(id);
    }
    if republished {
        retractions.save(sink.dir())?;
    }
    if let Some(publication_id) = &control.replace_publication {
        sink.delete_publication(publication_id);
    }
    // Replacing a publication deletes its documents first: nothing may be skipped as unchanged.
    let existing_documents = if control.replace_publication.is_some() {
        crate::write::ExistingDocuments::default()
    } else {
        sink.existing_documents()?
    };
    let existing_hashes = if options.force {
        HashMap::new()
    } else {
        existing_documents.content_hashes
    };
    let ids_by_source_file = existing_documents.ids_by_source_file;
    let mut discovery = discover(&options.inputs);
    link_pdf_inventories(&mut discovery, options);
    // A text-page record counts as a file: it gets its own report.
    let page_records: usize = discovery
        .page_files
        .iter()
        .map(|(_, records)| records)
        .sum();
    let mut summary = IndexSummary {
        files: discovery.pdfs.len() + page_records,
        ..IndexSummary::default()
    };
    progress(Progress::Discovered {
        files: summary.files,
    });
    for problem in &discovery.problems {
        summary.failures.push(problem.clone());
        summary.reports.push(problem.clone());
    }

    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        options.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|error| IndexerError::Io(std::io::Error::other(error.to_string())))?;

    let (sender, receiver) = mpsc::sync_channel::<Processed>(jobs * 2);
    // The publication of each PDF listed in a publication.json, and how many files each has.
    let mut publication_of_path: HashMap<PathBuf, String> = HashMap::new();
    let mut files_left: HashMap<String, usize> = HashMap::new();
    for pdf in &discovery.pdfs {
        if let Some((publication, _)) = discovery.catalog.lookup(&pdf.path) {
            publication_of_path.insert(pdf.path.clone(), publication.id.clone());
            *files_left.entry(publication.id.clone()).or_insert(0) += 1;
        }
    }
    // The documents of a file (one, or the parts of a bundle) with the file's report.
    type FileDocuments = (Vec<Document>, FileReport);
    let mut held_back: HashMap<String, Vec<FileDocuments>> = HashMap::new();
    let catalog = &discovery.catalog;
    let inventory_links = &discovery.inventory_links;
    let inventory_pdfs = &discovery.inventory_pdfs;
    let mut written_ids: std::collections::HashSet<String> = std::collections::HashSet::new();
    let pdfs = &discovery.pdfs;
    let page_files = &discovery.page_files;
    let existing = &existing_hashes;
    let retracted = &retractions;
    let mut written_since_commit = 0usize;
    let mut write_error: Option<IndexerError> = None;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| {
                use rayon::prelude::*;
                for (file, _) in page_files {
                    process_page_file(file, options, existing, retracted, &sender);
                }
                pdfs.par_iter().for_each_with(sender, |sender, input| {
                    let processed = process_file(
                        input,
                        catalog,
                        inventory_links,
                        inventory_pdfs,
                        options,
                        existing,
                        retracted,
                    );
                    let _ = sender.send(processed);
                });
            });
        });
        for processed in receiver {
            let (documents, report) = match processed {
                Processed::Documents(documents, report) => (documents, report),
                Processed::Unchanged(report) => {
                    summary.unchanged += 1;
                    (Vec::new(), report)
                }
                Processed::Failed(report) => (Vec::new(), report),
                Processed::Retracted(report) => {
                    summary.retracted += 1;
                    (Vec::new(), report)
                }
            };
            let is_problem = report.status == FileStatus::Failed
                || (report.error.is_some() && report.status != FileStatus::Retracted);
            if is_problem {
                summary.failures.push(report.clone());
            }
            summary.reports.push(report.clone());
            progress(Progress::FileDone(report.clone()));
            // Which documents are complete units now: this file's alone, or a whole publication.
            let mut ready: Vec<FileDocuments> = Vec::new();
            let has_documents = !documents.is_empty();
            match publication_of_path.get(&report.path) {
                None if has_documents => ready.push((documents, report)),
                None => {}
                Some(publication_id) => {
                    let held = held_back.entry(publication_id.clone()).or_default();
                    if has_documents {
                        held.push((documents, report));
                    }
                    let left = files_left.entry(publication_id.clone()).or_insert(1);
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        ready = held_back.remove(publication_id).unwrap_or_default();
                    }
                }
            }
            if ready.is_empty() || write_error.is_some() {
                continue;
            }
            for (documents, report) in &ready {
                summary.removed += remove_stale_documents(
                    sink,
                    &ids_by_source_file,
                    &written_ids,
                    documents,
                    &report.path,
                );
                for document in documents {
                    if let Err(error) = sink.upsert(document) {
                        write_error = Some(error);
                        break;
                    }
                    written_ids.insert(document.id.clone());
                }
                if write_error.is_some() {
                    break;
                }
                summary.documents += documents.len();
                summary.pages += u64::from(report.pages);
                summary.pages_without_text += u64::from(report.pages_without_text);
                summary.ocr_pages += u64::from(report.ocr_pages);
                summary.ocr_skipped_pages += u64::from(report.ocr_skipped_pages);
                written_since_commit += 1;
            }
            if written_since_commit >= COMMIT_EVERY_DOCUMENTS
                && write_error.is_none()
                && !control.single_commit
            {
                if let Err(error) = sink.commit() {
                    write_error = Some(error);
                }
                written_since_commit = 0;
            }
        }
    });
    if let Some(error) = write_error {
        return Err(error);
    }
    // Documents without a PDF (inventory rows, complaint records, DiWoo entries) are written
    // here; like files, they are skipped when unchanged and honour the retraction list.
    for entry in discovery
        .inventory_links
        .unlinked
        .iter()
        .chain(&discovery.complaints)
        .chain(&discovery.diwoo_entries)
    {
        let mut entry = entry.clone();
        entry.content_hash = entry_content_hash(&entry);
        if retractions
            .covering(&entry.id, entry.publication_id.as_deref())
            .is_some()
        {
            summary.retracted += 1;
            continue;
        }
        let existing = existing_hashes.get(&entry.id);
        if existing == Some(&entry.content_hash) {
            summary.unchanged += 1;
            continue;
        }
        // A part of a bundle carries this row (written now, or earlier from an unchanged file).
        let held_by_part = existing.is_some_and(|hash| hash.starts_with(PART_HASH_PREFIX));
        if written_ids.contains(&entry.id) || held_by_part {
            continue;
        }
        sink.upsert(&entry)?;
        summary.documents += 1;
    }
    sink.commit()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
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

    #[test]
    fn default_ids_are_readable_and_stable() {
        let id = default_document_id("coronamelder/Bijlage A - DPIA Coronamelder.pdf");
        assert!(
            id.starts_with("coronamelder-bijlage-a-dpia-coronamelder-"),
            "{id}"
        );
        assert_eq!(
            id,
            default_document_id("coronamelder/Bijlage A - DPIA Coronamelder.pdf")
        );
        assert_ne!(id, default_document_id("coronamelder/Bijlage B.pdf"));
    }

    #[test]
    fn dates_normalise() {
        assert_eq!(normalise_date("2024-03-15"), Some("2024-03-15".to_string()));
        assert_eq!(
            normalise_date("2024-03-15T10:00:00Z"),
            Some("2024-03-15".to_string())
        );
        assert_eq!(normalise_date("15-03-2024"), Some("2024-03-15".to_string()));
        assert_eq!(normalise_date("5/3/2024"), Some("2024-03-05".to_string()));
        assert_eq!(normalise_date("maart"), None);
        assert_eq!(normalise_date("2024-02-30"), None);
        // Two-digit years.
        assert_eq!(normalise_date("18-12-18"), Some("2018-12-18".to_string()));
        assert_eq!(normalise_date("3.2.21"), Some("2021-02-03".to_string()));
        assert_eq!(normalise_date("31/12/99"), Some("1999-12-31".to_string()));
        assert_eq!(normalise_date("01-01-68"), Some("2068-01-01".to_string()));
        assert_eq!(normalise_date("01-01-69"), Some("1969-01-01".to_string()));
        assert_eq!(normalise_date("30-02-21"), None);
        assert_eq!(normalise_date("1-2-345"), None);
        assert_eq!(normalise_date("123-1-2024"), None);
    }

    #[test]
    fn info_titles_are_cleaned_or_refused() {
        assert_eq!(
            usable_info_title("Microsoft Word - Besluit Woo-verzoek.docx").as_deref(),
            Some("Besluit Woo-verzoek")
        );
        assert_eq!(usable_info_title("untitled"), None);
        assert_eq!(usable_info_title("Document1"), None);
    }

    #[test]
    fn heading_skips_page_numbers_and_digit_lines() {
        let text = "Pagina 1 van 3\n2024-0001234\nBesluit op uw Woo-verzoek\nGeachte heer";
        assert_eq!(
            first_heading_line(text).as_deref(),
            Some("Besluit op uw Woo-verzoek")
        );
    }

    #[test]
    fn labelled_reference_numbers_are_found_on_the_first_pages() {
        let page = |number: u32, text: &str| Page {
            page: number,
            text: text.to_string(),
            ..Page::default()
        };
        let pages = vec![
            page(1, "Ons kenmerk\n2024-0001234\nDatum 15 maart 2024\nZaaknummer: Z/21/123456.\nzie besluit met kenmerk 2023-0000001"),
            page(2, "Uw kenmerk: onbekend"),
            page(3, "Kenmerk 9999-0000001"),
        ];
        assert_eq!(find_references(&pages), vec!["2024-0001234", "Z/21/123456"]);
    }

    #[test]
    fn language_is_detected_for_dutch_and_english() {
        let dutch = "Op 2 januari 2024 ontvingen wij uw verzoek op grond van de Wet open overheid. In dit besluit beslis ik op uw verzoek.";
        let english = "The minister received your request under the Open Government Act and decided to disclose the documents in part.";
        assert_eq!(detect_language(dutch).as_deref(), Some("nl"));
        assert_eq!(detect_language(english).as_deref(), Some("en"));
        assert_eq!(detect_language("kort"), None);
    }
}
