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
//!
//! The stages of [`run_index_in`], each a function here or in its own module:
//! 1. retractions and the documents already indexed ([`prepare_retractions`],
//!    [`indexed_before`]);
//! 2. discover the inputs ([`crate::discover`]) and link the inventories
//!    ([`crate::inventory::link`]);
//! 3. process the files on worker threads ([`crate::process`]) while this thread writes each
//!    complete unit and removes the stale parts of changed files ([`UnitWriter`]);
//! 4. write the documents without a file ([`write_entries_without_file`]);
//! 5. commit, and the summary.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

pub use crate::document::{build_document, detect_language, find_references};
pub use crate::options::{IndexOptions, RunControl};
pub use crate::report::{
    redaction_leaks, FileReport, FileStatus, IndexSummary, Progress, RedactionLeak,
};
pub use woo_core::dates::normalise_date;
pub use woo_core::ids::{default_document_id, hex};

use crate::bundle::PART_HASH_PREFIX;
use crate::discover::{discover, Discovery};
use crate::error::{IndexerError, Result};
use crate::inventory::link::{link_inventory_files, link_pdf_inventories, InventoryLinks};
use crate::process::{process_file, process_page_file, ProcessContext, Processed};
use crate::write::{ExistingDocuments, IndexSink};
use woo_core::ids::entry_content_hash;
use woo_core::model::Document;
use woo_core::retraction::RetractionList;

/// Documents written between two commits.
const COMMIT_EVERY_DOCUMENTS: usize = 500;

/// The documents of a file (one, or the parts of a bundle) with the file's report.
type FileDocuments = (Vec<Document>, FileReport);

/// Indexes every PDF of the inputs. Per-file failures are in the summary, not errors;
/// an `Err` means the index itself could not be opened or written.
pub fn run_index(
    options: &IndexOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IndexSummary> {
    let mut sink = IndexSink::open(&options.index_dir)?;
    let summary = run_index_in(&mut sink, options, &RunControl::default(), progress)?;
    sink.close()?;
    Ok(summary)
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
    let retractions = prepare_retractions(sink, control)?;
    let existing = indexed_before(sink, options, control)?;
    let mut discovery = discover(&options.inputs, options.source_root.as_deref());
    let inventory_links = link_inventories(&mut discovery, options);
    let mut summary = start_summary(&discovery, progress);
    let context = ProcessContext {
        options,
        catalog: &discovery.catalog,
        inventory_links: &inventory_links,
        existing_hashes: &existing.content_hashes,
        retractions: &retractions,
    };
    let written_ids = process_and_write_files(
        sink,
        control,
        &discovery,
        &context,
        &existing.ids_by_source_file,
        &mut summary,
        progress,
    )?;
    let entries = inventory_links
        .unlinked
        .iter()
        .chain(&discovery.complaints)
        .chain(&discovery.diwoo_entries);
    write_entries_without_file(sink, entries, &context, &written_ids, &mut summary)?;
    sink.commit()?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The retraction list of the index, without the tombstones of the ids republished on purpose
/// (saved when that changed it).
fn prepare_retractions(sink: &IndexSink, control: &RunControl) -> Result<RetractionList> {
    let mut retractions = RetractionList::load(sink.dir())?;
    let mut republished = false;
    for id in &control.republish {
        republished |= retractions.remove(id);
    }
    if republished {
        retractions.save(sink.dir())?;
    }
    Ok(retractions)
}

/// The documents the index holds before the run: their content hashes (none when the run is
/// forced: nothing is skipped as unchanged) and ids by source file. Replacing a publication
/// deletes its documents first, and then nothing may be skipped as unchanged either.
fn indexed_before(
    sink: &mut IndexSink,
    options: &IndexOptions,
    control: &RunControl,
) -> Result<ExistingDocuments> {
    if let Some(publication_id) = &control.replace_publication {
        sink.delete_publication(publication_id);
    }
    let mut existing = if control.replace_publication.is_some() {
        ExistingDocuments::default()
    } else {
        sink.existing_documents()?
    };
    if options.force {
        existing.content_hashes = HashMap::new();
    }
    Ok(existing)
}

/// Reads the inventories found (xlsx and csv, then the PDFs named as inventories) and links
/// their rows to the PDFs; unreadable inventories are added to the discovery's problems.
fn link_inventories(discovery: &mut Discovery, options: &IndexOptions) -> InventoryLinks {
    let mut links = InventoryLinks::default();
    link_inventory_files(discovery, &mut links);
    link_pdf_inventories(
        discovery,
        &mut links,
        options.extract_worker.as_ref(),
        &options.limits,
    );
    links
}

/// The summary before processing: the files found (a text-page record counts as a file: it
/// gets its own report) and the problems of the walk. Sends [`Progress::Discovered`].
fn start_summary(discovery: &Discovery, progress: &(dyn Fn(Progress) + Sync)) -> IndexSummary {
    let page_records: usize = discovery
        .page_files
        .iter()
        .map(|(_, records)| records)
        .sum();
    let mut summary = IndexSummary {
        files: discovery.pdfs.len() + page_records,
        ..IndexSummary::default()
    };
    for file in &discovery.pdfs {
        let format = file
            .path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(crate::readers::Format::of_name)
            .map_or("pdf", |format| format.as_str());
        *summary
            .files_by_format
            .entry(format.to_string())
            .or_insert(0) += 1;
    }
    if page_records > 0 {
        summary
            .files_by_format
            .insert("text-page records".to_string(), page_records);
    }
    progress(Progress::Discovered {
        files: summary.files,
    });
    for problem in &discovery.problems {
        progress(Progress::Problem(problem.clone()));
        summary.failures.push(problem.clone());
        summary.reports.push(problem.clone());
    }
    summary
}

/// Processes every file on a pool of `options.jobs` threads while this thread writes what they
/// send ([`UnitWriter`]). Returns the ids written.
fn process_and_write_files(
    sink: &mut IndexSink,
    control: &RunControl,
    discovery: &Discovery,
    context: &ProcessContext,
    ids_by_source_file: &HashMap<String, Vec<String>>,
    summary: &mut IndexSummary,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<HashSet<String>> {
    let jobs = if context.options.jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        context.options.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|error| IndexerError::Io(std::io::Error::other(error.to_string())))?;
    let (sender, receiver) = mpsc::sync_channel::<Processed>(jobs * 2);
    let mut writer = UnitWriter::new(sink, control, ids_by_source_file, discovery);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            pool.install(|| process_all_files(discovery, context, sender));
        });
        for processed in receiver {
            writer.receive(processed, summary, progress);
        }
    });
    writer.finish()
}

/// Sends every processed file: the text-page files' records first, then the PDFs in parallel.
fn process_all_files(
    discovery: &Discovery,
    context: &ProcessContext,
    sender: mpsc::SyncSender<Processed>,
) {
    use rayon::prelude::*;
    for (file, _) in &discovery.page_files {
        process_page_file(file, context, &sender);
    }
    discovery
        .pdfs
        .par_iter()
        .for_each_with(sender, |sender, input| {
            let _ = sender.send(process_file(input, context));
        });
}

/// The writing side of a run: counts and reports every processed file, holds back the
/// documents of a publication until its last file is processed, writes each complete unit
/// (removing the stale documents of changed files) and commits between units.
struct UnitWriter<'a> {
    sink: &'a mut IndexSink,
    control: &'a RunControl,
    /// Document ids by source file before the run (for [`remove_stale_documents`]).
    ids_by_source_file: &'a HashMap<String, Vec<String>>,
    /// The publication of each PDF listed in a publication.json.
    publication_of_path: HashMap<PathBuf, String>,
    /// Files of each publication not processed yet.
    files_left: HashMap<String, usize>,
    /// Documents of publications with files left.
    held_back: HashMap<String, Vec<FileDocuments>>,
    /// Ids written in this run.
    written_ids: HashSet<String>,
    /// Units written since the last commit.
    written_since_commit: usize,
    /// The first write error; after it nothing more is written.
    write_error: Option<IndexerError>,
}

impl<'a> UnitWriter<'a> {
    fn new(
        sink: &'a mut IndexSink,
        control: &'a RunControl,
        ids_by_source_file: &'a HashMap<String, Vec<String>>,
        discovery: &Discovery,
    ) -> UnitWriter<'a> {
        let mut publication_of_path: HashMap<PathBuf, String> = HashMap::new();
        let mut files_left: HashMap<String, usize> = HashMap::new();
        for pdf in &discovery.pdfs {
            if let Some((publication, _)) = discovery.catalog.lookup(&pdf.path) {
                publication_of_path.insert(pdf.path.clone(), publication.id.clone());
                *files_left.entry(publication.id.clone()).or_insert(0) += 1;
            }
        }
        UnitWriter {
            sink,
            control,
            ids_by_source_file,
            publication_of_path,
            files_left,
            held_back: HashMap::new(),
            written_ids: HashSet::new(),
            written_since_commit: 0,
            write_error: None,
        }
    }

    /// One processed file: counted, reported, and written when it completes a unit.
    fn receive(
        &mut self,
        processed: Processed,
        summary: &mut IndexSummary,
        progress: &(dyn Fn(Progress) + Sync),
    ) {
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
        let ready = self.ready_units(documents, report);
        if ready.is_empty() || self.write_error.is_some() {
            return;
        }
        self.write_units(&ready, summary);
        self.commit_when_due();
    }

    /// Which documents are complete units now: this file's alone, or a whole publication.
    fn ready_units(&mut self, documents: Vec<Document>, report: FileReport) -> Vec<FileDocuments> {
        let has_documents = !documents.is_empty();
        let Some(publication_id) = self.publication_of_path.get(&report.path) else {
            if has_documents {
                return vec![(documents, report)];
            }
            return Vec::new();
        };
        let held = self.held_back.entry(publication_id.clone()).or_default();
        if has_documents {
            held.push((documents, report));
        }
        let left = self.files_left.entry(publication_id.clone()).or_insert(1);
        *left = left.saturating_sub(1);
        if *left == 0 {
            return self.held_back.remove(publication_id).unwrap_or_default();
        }
        Vec::new()
    }

    /// Writes the units, each after removing the stale documents of its file; stops at the
    /// first write error.
    fn write_units(&mut self, ready: &[FileDocuments], summary: &mut IndexSummary) {
        for (documents, report) in ready {
            summary.removed += remove_stale_documents(
                self.sink,
                self.ids_by_source_file,
                &self.written_ids,
                documents,
                &report.path,
            );
            for document in documents {
                if let Err(error) = self.sink.upsert(document) {
                    self.write_error = Some(error);
                    break;
                }
                self.written_ids.insert(document.fields.id.clone());
            }
            if self.write_error.is_some() {
                break;
            }
            summary.documents += documents.len();
            summary.pages += u64::from(report.pages);
            summary.pages_without_text += u64::from(report.pages_without_text);
            summary.ocr_pages += u64::from(report.ocr_pages);
            summary.ocr_skipped_pages += u64::from(report.ocr_skipped_pages);
            self.written_since_commit += 1;
        }
    }

    /// Commits after [`COMMIT_EVERY_DOCUMENTS`] units, unless the run is one commit.
    fn commit_when_due(&mut self) {
        if self.written_since_commit >= COMMIT_EVERY_DOCUMENTS
            && self.write_error.is_none()
            && !self.control.single_commit
        {
            if let Err(error) = self.sink.commit() {
                self.write_error = Some(error);
            }
            self.written_since_commit = 0;
        }
    }

    /// The ids written, or the first write error.
    fn finish(self) -> Result<HashSet<String>> {
        if let Some(error) = self.write_error {
            return Err(error);
        }
        Ok(self.written_ids)
    }
}

/// Deletes the documents an earlier run wrote from the PDF `path` that its new `documents`
/// no longer include: when a changed bundle is split into fewer or other parts, the old parts
/// must not stay searchable. Text-page files are left alone (each of their records is a
/// document of its own, skipped when unchanged), and so is an id another file wrote in this
/// run (the document moved). Returns how many were deleted.
fn remove_stale_documents(
    sink: &mut IndexSink,
    ids_by_source_file: &HashMap<String, Vec<String>>,
    written_ids: &HashSet<String>,
    documents: &[Document],
    path: &Path,
) -> usize {
    if crate::pages::is_page_file(path) {
        return 0;
    }
    let Some(first) = documents.first() else {
        return 0;
    };
    let Some(earlier_ids) = ids_by_source_file.get(crate::write::source_file(&first.fields.source))
    else {
        return 0;
    };
    let new_ids: HashSet<&str> = documents
        .iter()
        .map(|document| document.fields.id.as_str())
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

/// Writes the documents without a PDF (inventory rows, complaint records, DiWoo entries);
/// like files, they are skipped when unchanged and honour the retraction list, and an entry a
/// bundle part carries (written now, or earlier from an unchanged file) is not written again.
fn write_entries_without_file<'a>(
    sink: &mut IndexSink,
    entries: impl Iterator<Item = &'a Document>,
    context: &ProcessContext,
    written_ids: &HashSet<String>,
    summary: &mut IndexSummary,
) -> Result<()> {
    for entry in entries {
        let mut entry = entry.clone();
        entry.fields.content_hash = entry_content_hash(&entry);
        if context
            .retractions
            .covering(&entry.fields.id, entry.fields.publication_id.as_deref())
            .is_some()
        {
            summary.retracted += 1;
            continue;
        }
        let existing = context.existing_hashes.get(&entry.fields.id);
        if existing == Some(&entry.fields.content_hash) {
            summary.unchanged += 1;
            continue;
        }
        let held_by_part = existing.is_some_and(|hash| hash.starts_with(PART_HASH_PREFIX));
        if written_ids.contains(&entry.fields.id) || held_by_part {
            continue;
        }
        sink.upsert(&entry)?;
        summary.documents += 1;
    }
    Ok(())
}
