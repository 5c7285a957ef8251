//! Processing one input file on a worker thread, up to the documents to write: read it,
//! resolve its metadata (with its inventory row and publication), skip it when retracted or
//! unchanged, extract it (in a worker process when configured), OCR the pages that need it,
//! and build its documents; or, for a text-page file, each of its records. The outcome is a
//! [`Processed`] with the file's [`FileReport`]; nothing here writes the index.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;

use crate::discover::InputFile;
use crate::document::{build_documents, PdfContext};
use crate::error::{IndexerError, Result};
use crate::ids::content_hash;
use crate::inventory::link::{apply_row, InventoryLinks};
use crate::metadata::{MetadataCatalog, ResolvedMetadata};
use crate::ocr::{apply_ocr, OcrCounts};
use crate::options::IndexOptions;
use crate::report::{failure, FileReport, FileStatus};
use crate::worker::{extract_isolated, OutcomeClass};
use woo_core::ids::default_document_id;
use woo_core::model::{Document, Page};
use woo_core::retraction::RetractionList;

/// Result of processing one file (or one record of a text-page file).
pub enum Processed {
    /// The file's documents: one, or the parts of a bundle (with entries for rows of its own
    /// inventory table that no part carries).
    Documents(Vec<Document>, FileReport),
    /// Same content and metadata as already indexed.
    Unchanged(FileReport),
    /// Could not be indexed.
    Failed(FileReport),
    /// Its document or publication id is on the retraction list.
    Retracted(FileReport),
}

/// What a run knows before processing files: the metadata, the inventory links, the content
/// hashes already in the index and the retraction list.
pub struct ProcessContext<'a> {
    /// What the run was asked to do.
    pub options: &'a IndexOptions,
    /// Metadata of the PDFs.
    pub catalog: &'a MetadataCatalog,
    /// What the inventories say about the PDFs.
    pub inventory_links: &'a InventoryLinks,
    /// Content hash of every document in the index, by id (empty when forced).
    pub existing_hashes: &'a HashMap<String, String>,
    /// Tombstones honoured by the run.
    pub retractions: &'a RetractionList,
}

/// A report of the file with no outcome yet.
fn empty_report(path: &Path, source: &str) -> FileReport {
    let mut report = failure(path, source, String::new());
    report.error = None;
    report
}

/// One PDF -> its documents (or unchanged, retracted, failed).
pub fn process_file(input: &InputFile, context: &ProcessContext) -> Processed {
    let options = context.options;
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
    let mut report = empty_report(&input.path, &input.source);
    let (resolved, warning) = resolve_metadata(input, context.catalog, context.inventory_links);
    report.error = warning;
    let hash = content_hash(&bytes, &resolved, options.ocr.is_some());
    if let Some(skipped) = retracted_or_unchanged(report.clone(), input, &resolved, &hash, context)
    {
        return skipped;
    }
    let answer = extract_isolated(
        options.extract_worker.as_ref(),
        &input.source,
        &bytes,
        &options.limits,
    );
    let class = answer.class;
    let Some(mut extracted) = answer.pdf else {
        let message = answer
            .message
            .unwrap_or_else(|| format!("{}: extraction failed", input.source));
        let mut failed = failure(&input.path, &input.source, message);
        failed.class = Some(class);
        return Processed::Failed(failed);
    };
    let counts = apply_ocr(&mut extracted, &input.path, options.ocr.as_ref());
    report.redaction_leaks = crate::report::redaction_leaks(&extracted);
    let truncated = extracted.truncated;
    let links = context.inventory_links;
    let pdf_context = PdfContext {
        is_linked_row: links.rows_by_pdf.contains_key(&input.path),
        scope_rows: links.unlinked_rows_for(&input.path),
        inventory_publication: links.inventory_pdfs.get(&input.path).cloned(),
    };
    let documents = build_documents(
        extracted,
        &resolved,
        &input.source,
        &input.path,
        hash,
        &pdf_context,
    );
    indexed_report(&mut report, &documents, counts, truncated);
    report.personal_data = crate::report::personal_data_pages(&documents);
    Processed::Documents(documents, report)
}

/// The file's metadata, with its inventory row applied and, for a decision letter or inventory
/// beside documents an inventory describes, their publication; plus the warning of a broken
/// sidecar (the PDF is then indexed with the metadata there is).
fn resolve_metadata(
    input: &InputFile,
    catalog: &MetadataCatalog,
    links: &InventoryLinks,
) -> (ResolvedMetadata, Option<String>) {
    let (mut resolved, warning) = match catalog.resolve(&input.path) {
        Ok(resolved) => (resolved, None),
        Err(error) => (
            catalog.resolve_without_sidecar(&input.path),
            Some(error.to_string()),
        ),
    };
    if let Some(linked) = links.rows_by_pdf.get(&input.path) {
        let has_publication = resolved.publication.is_some();
        apply_row(&mut resolved.document, linked, has_publication);
    }
    if resolved.publication.is_none() && resolved.document.publication_id.is_none() {
        let publication = links
            .inventory_pdfs
            .get(&input.path)
            .cloned()
            .or_else(|| links.publication_of(&input.path));
        if let Some((id, title)) = publication {
            resolved.document.publication_id = Some(id);
            resolved.document.publication_title = Some(title);
        }
    }
    (resolved, warning)
}

/// `Retracted` when the file's planned document or publication id is on the retraction list,
/// `Unchanged` when its content hash is the one in the index (and the run is not forced).
fn retracted_or_unchanged(
    mut report: FileReport,
    input: &InputFile,
    resolved: &ResolvedMetadata,
    hash: &str,
    context: &ProcessContext,
) -> Option<Processed> {
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
    if let Some(tombstone) = context
        .retractions
        .covering(&planned_id, planned_publication_id.as_deref())
    {
        report.status = FileStatus::Retracted;
        report.document_id = Some(planned_id);
        report.error = Some(tombstone.message());
        return Some(Processed::Retracted(report));
    }
    let existing = context.existing_hashes.get(&planned_id);
    if !context.options.force && existing.map(String::as_str) == Some(hash) {
        report.status = FileStatus::Unchanged;
        report.document_id = Some(planned_id);
        return Some(Processed::Unchanged(report));
    }
    None
}

/// Fills the report of an indexed file: its first document id, page counts and outcome class
/// (OCR may have given text to a file that had none).
fn indexed_report(
    report: &mut FileReport,
    documents: &[Document],
    counts: OcrCounts,
    truncated: bool,
) {
    let pages: Vec<&Page> = documents
        .iter()
        .flat_map(|document| document.pages.iter())
        .collect();
    report.status = FileStatus::Indexed;
    report.document_id = documents.first().map(|document| document.fields.id.clone());
    report.pages = pages.len() as u32;
    report.pages_without_text = pages
        .iter()
        .filter(|page| page.text.trim().is_empty())
        .count() as u32;
    report.ocr_pages = counts.ocr_pages;
    report.ocr_skipped_pages = counts.skipped_pages;
    report.class = Some(if report.pages_without_text == report.pages {
        OutcomeClass::NoText
    } else if truncated {
        OutcomeClass::IndexedTruncated
    } else {
        OutcomeClass::Indexed
    });
}

/// Lines of a text-page file analysed in parallel at a time.
const PAGE_RECORDS_PER_BATCH: usize = 256;

/// Sends every record of a text-page file as a processed document (in parallel batches).
pub fn process_page_file(
    file: &InputFile,
    context: &ProcessContext,
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
                let processed = process_page_line(file, line, context);
                let _ = sender.send(processed);
            });
    }
}

/// One line of a text-page file -> a document (or unchanged, retracted, failed).
fn process_page_line(
    file: &InputFile,
    line: Result<(usize, String)>,
    context: &ProcessContext,
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
    let mut report = empty_report(&file.path, &source);
    report.document_id = Some(record.id.trim().to_string());
    if let Some(tombstone) = context
        .retractions
        .covering(record.id.trim(), record.publication_id.as_deref())
    {
        report.status = FileStatus::Retracted;
        report.error = Some(tombstone.message());
        return Processed::Retracted(report);
    }
    if !context.options.force && context.existing_hashes.get(record.id.trim()) == Some(&hash) {
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
