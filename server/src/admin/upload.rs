//! Publication upload: `POST /api/admin/publications` (scope `load`), body a zip (PDFs +
//! `publication.json`), answered 202 with a job id; then [`index_upload`] indexes it in the
//! background as one commit that first deletes the publication's old documents.
//!
//! The zip is checked before anything is written: at most [`MAX_ARCHIVE_ENTRIES`] entries
//! and [`MAX_ARCHIVE_UNCOMPRESSED_BYTES`] unpacked, no entry compressing more than
//! [`MAX_ENTRY_RATIO`]:1, only safe relative names ([`is_safe_entry_name`]) of documents the
//! indexer reads (PDF, docx, odt, spreadsheets, e-mail, XML…; [`is_document_file_name`]),
//! their `NAME.EXT.json` sidecars and `publication.json`. Unpacking reads no entry past its declared
//! size and refuses PDFs without a `%PDF` header.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use woo_core::retraction::{fsync_directory, RetractionList};
use woo_indexer::ingest::{
    run_index_in, FileReport, FileStatus, IndexOptions, Progress, RunControl,
};
use woo_indexer::metadata::{DocumentMetadata, PublicationMetadata};
use woo_indexer::ocr::OcrEngine;
use woo_indexer::write::IndexSink;

use super::auth::{authorize, Scope};
use super::jobs::{JobState, UnfinishedUpload};
use super::ownership::{
    check_named_ids, foreign_ids, planned_ids, refuse_foreign_ids, upload_source,
};
use super::{AdminRouteState, AdminState};
use crate::error::{body_bytes, ApiError, Result};
use crate::search::SearchService;

/// Largest upload request body.
pub const MAX_UPLOAD_BYTES: usize = 512 * 1024 * 1024;
/// Most entries in an uploaded zip.
pub const MAX_ARCHIVE_ENTRIES: usize = 10_000;
/// Largest total uncompressed size of an uploaded zip.
pub const MAX_ARCHIVE_UNCOMPRESSED_BYTES: u64 = 1024 * 1024 * 1024;
/// Largest compression ratio of one entry (checked on entries over [`RATIO_CHECK_FROM_BYTES`]).
pub const MAX_ENTRY_RATIO: u64 = 200;
/// Entries smaller than this are not ratio-checked (tiny JSON files compress very well).
pub const RATIO_CHECK_FROM_BYTES: u64 = 64 * 1024;

/// A publication id usable as a folder name: letters, digits, `.`, `_`, `-`; not starting
/// with `.`; at most 200 bytes.
pub fn is_safe_publication_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A file of a format the indexer reads as a document (`woo_indexer::readers`; `.json` only as
/// a sidecar or `publication.json`).
pub fn is_document_file_name(name: &str) -> bool {
    !name.to_lowercase().ends_with(".json")
        && woo_indexer::readers::is_document_name(Path::new(name))
}

/// The document a sidecar `NAME.EXT.json` describes (`NAME.EXT`), if it is one.
fn sidecar_document(name: &str) -> Option<&str> {
    let document = name.strip_suffix(".json")?;
    is_document_file_name(document).then_some(document)
}

/// A zip entry name that stays inside the target folder: relative, `/`-separated, no `..`,
/// no `.` or empty components, no backslash, colon or NUL.
pub fn is_safe_entry_name(name: &str) -> bool {
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    if trimmed.is_empty() || name.starts_with('/') {
        return false;
    }
    if name.contains(['\\', ':', '\0']) {
        return false;
    }
    trimmed
        .split('/')
        .all(|component| !component.is_empty() && component != "." && component != "..")
}

/// What the archive check found.
struct CheckedArchive {
    /// `publication.json`, parsed.
    publication: PublicationMetadata,
    /// The PDF entries, by name.
    document_names: Vec<String>,
    /// The sidecars (`NAME.pdf.json`, `NAME.docx.json`…), parsed, by the name of their file.
    sidecars: BTreeMap<String, DocumentMetadata>,
}

fn rejected(message: impl Into<String>) -> ApiError {
    ApiError::ArchiveRejected(message.into())
}

/// Reads the central directory and refuses the archive when a limit is broken or a name
/// is unsafe or not allowed; then reads `publication.json` for the publication id.
fn check_archive(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<CheckedArchive> {
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return Err(rejected(format!(
            "the archive has {} entries, more than {MAX_ARCHIVE_ENTRIES}",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut has_publication = false;
    let mut document_names = Vec::new();
    let mut sidecar_names = Vec::new();
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| rejected(format!("entry {index} unreadable: {error}")))?;
        let name = entry
            .name()
            .map_err(|error| rejected(format!("entry {index} has a bad name: {error}")))?
            .into_owned();
        if !is_safe_entry_name(&name) {
            return Err(rejected(format!("unsafe entry name {name:?}")));
        }
        if entry.is_dir() {
            continue;
        }
        if name == "publication.json" {
            has_publication = true;
        } else if is_document_file_name(&name) {
            document_names.push(name.clone());
        } else if sidecar_document(&name).is_some() {
            sidecar_names.push(name.clone());
        } else {
            return Err(rejected(format!(
                "entry {name:?} is not a document the indexer reads (PDF, docx, odt, spreadsheet, e-mail, XML…), a NAME.EXT.json sidecar or publication.json"
            )));
        }
        total = total.saturating_add(entry.size());
        if total > MAX_ARCHIVE_UNCOMPRESSED_BYTES {
            return Err(rejected(format!(
                "the archive unpacks to more than {MAX_ARCHIVE_UNCOMPRESSED_BYTES} bytes"
            )));
        }
        if entry.size() > RATIO_CHECK_FROM_BYTES
            && entry.size() > entry.compressed_size().saturating_mul(MAX_ENTRY_RATIO)
        {
            return Err(rejected(format!(
                "entry {name:?} compresses more than {MAX_ENTRY_RATIO}:1 (a zip bomb?)"
            )));
        }
    }
    if !has_publication {
        return Err(rejected("the archive has no publication.json at its root"));
    }
    let publication = read_publication_entry(archive)?;
    let mut sidecars = BTreeMap::new();
    for sidecar_name in sidecar_names {
        let bytes = read_entry(archive, &sidecar_name)?;
        let sidecar: DocumentMetadata = serde_json::from_slice(&bytes)
            .map_err(|error| rejected(format!("{sidecar_name}: {error}")))?;
        let document_name = sidecar_name[..sidecar_name.len() - ".json".len()].to_string();
        sidecars.insert(document_name, sidecar);
    }
    let mut named: Vec<&DocumentMetadata> = publication.documents.iter().collect();
    named.extend(sidecars.values());
    check_named_ids(&publication.id, &named).map_err(rejected)?;
    Ok(CheckedArchive {
        publication,
        document_names,
        sidecars,
    })
}

/// Reads and checks `publication.json`: a folder-safe id, and a `file` for every document.
fn read_publication_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
) -> Result<PublicationMetadata> {
    let publication_json = read_entry(archive, "publication.json")?;
    let publication: PublicationMetadata = serde_json::from_slice(&publication_json)
        .map_err(|error| rejected(format!("publication.json: {error}")))?;
    if !is_safe_publication_id(&publication.id) {
        return Err(rejected(format!(
            "publication id {:?} may only hold letters, digits, '.', '_' and '-'",
            publication.id
        )));
    }
    if publication
        .documents
        .iter()
        .any(|document| document.file.as_deref().unwrap_or("").trim().is_empty())
    {
        return Err(rejected(
            "publication.json: a document entry has no \"file\"",
        ));
    }
    Ok(publication)
}

/// Reads one entry, at most its declared size (a lying header cannot make it bigger).
fn read_entry(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>> {
    let entry = archive
        .by_name(name)
        .map_err(|error| rejected(format!("{name}: {error}")))?;
    read_bounded(entry, name)
}

fn read_bounded(entry: impl Read, name: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    entry
        .take(MAX_ARCHIVE_UNCOMPRESSED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| rejected(format!("{name}: cannot unpack: {error}")))?;
    Ok(bytes)
}

/// Unpacks every file entry but those named in `skipped` into `target`, checking sizes
/// against the headers and PDFs by their magic bytes. Every file and folder is fsynced, so
/// what the 202 answer acknowledges is on disk.
fn unpack_archive(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    target: &Path,
    skipped: &[String],
) -> Result<()> {
    let mut total: u64 = 0;
    let mut folders = vec![target.to_path_buf()];
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|error| rejected(format!("entry {index}: {error}")))?;
        let name = entry
            .name()
            .map_err(|error| rejected(format!("entry {index}: {error}")))?
            .into_owned();
        if entry.is_dir() {
            continue;
        }
        let declared = entry.size();
        let mut bytes = Vec::new();
        entry
            .take(declared.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| rejected(format!("{name}: cannot unpack: {error}")))?;
        if bytes.len() as u64 > declared {
            return Err(rejected(format!(
                "{name}: unpacks to more than its declared {declared} bytes"
            )));
        }
        total += bytes.len() as u64;
        if total > MAX_ARCHIVE_UNCOMPRESSED_BYTES {
            return Err(rejected("the archive unpacks to more than its limit"));
        }
        if name.to_lowercase().ends_with(".pdf") && !bytes.starts_with(b"%PDF") {
            return Err(rejected(format!("{name}: not a PDF (no %PDF header)")));
        }
        let sidecar_of_skipped = name
            .strip_suffix(".json")
            .is_some_and(|pdf| skipped.iter().any(|skip| skip == pdf));
        if skipped.contains(&name) || sidecar_of_skipped {
            continue;
        }
        let path = target.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
            if !folders.iter().any(|folder| folder == parent) {
                folders.push(parent.to_path_buf());
            }
        }
        write_synced(&path, &bytes)?;
    }
    for folder in folders {
        fsync_directory(&folder)?;
    }
    Ok(())
}

/// Writes a new file and fsyncs it.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// What an accepted upload answers.
#[derive(Debug, Serialize)]
struct UploadAnswer {
    job: u64,
    publication_id: String,
    status_url: String,
}

/// `POST /api/admin/publications[?take_over=true]`: checks and unpacks the zip, journals
/// the job, answers 202 with the job.
pub(super) async fn upload_publication(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let (admin, _actor) = authorize(&state, &headers, Scope::Load)?;
    let take_over = take_over_requested(query.as_deref())?;
    if take_over {
        authorize(&state, &headers, Scope::Retract)?;
    }
    let bytes = body_bytes(
        body,
        format!("an upload is at most {MAX_UPLOAD_BYTES} bytes"),
    )?;
    let work_admin = admin.clone();
    let search = state.search.clone();
    let accepted =
        tokio::task::spawn_blocking(move || accept_upload(&work_admin, &search, &bytes, take_over))
            .await
            .map_err(|error| ApiError::Internal(format!("upload task failed: {error}")))??;
    let answer = UploadAnswer {
        job: accepted.job_id,
        publication_id: accepted.publication_id.clone(),
        status_url: format!("/api/admin/jobs/{}", accepted.job_id),
    };
    let search = state.search.clone();
    tokio::task::spawn_blocking(move || run_upload_job(&admin, &search, &accepted));
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// `take_over=true` or `take_over=false` (the only query parameter of an upload).
fn take_over_requested(query: Option<&str>) -> Result<bool> {
    let mut take_over = false;
    for pair in query
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
    {
        match pair {
            "take_over=true" => take_over = true,
            "take_over=false" => take_over = false,
            _ => {
                return Err(ApiError::invalid(
                    "take_over",
                    format!("unknown query {pair:?}: an upload takes only take_over=true|false"),
                ))
            }
        }
    }
    Ok(take_over)
}

/// An upload accepted (unpacked and journalled) or resumed after a restart.
pub(super) struct AcceptedUpload {
    /// Job id.
    pub job_id: u64,
    /// The publication.
    pub publication_id: String,
    /// The staging folder its files were unpacked into.
    pub staging: PathBuf,
    /// The document ids it will write (checked again under the writer lock).
    pub planned_ids: Vec<String>,
    /// Whether it may take over ids of other publications.
    pub take_over: bool,
}

/// Checks and unpacks an upload into a staging folder, registers and journals the job (fsynced:
/// from here the upload survives a crash).
fn accept_upload(
    admin: &AdminState,
    search: &SearchService,
    bytes: &[u8],
    take_over: bool,
) -> Result<AcceptedUpload> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| rejected(format!("not a zip archive: {error}")))?;
    let checked = check_archive(&mut archive)?;
    let publication_id = checked.publication.id.clone();
    let list = RetractionList::load(&admin.config.index_dir)?;
    if let Some(tombstone) = list.publication(&publication_id) {
        return Err(ApiError::Retracted {
            message: format!(
                "{}; re-publish it on purpose with `woo index --republish {}`",
                tombstone.message(),
                tombstone.id
            ),
            conflict: true,
        });
    }
    let planned = planned_ids(
        &checked.publication,
        &checked.document_names,
        &checked.sidecars,
    );
    // A retracted document's PDF is not written to disk at all (the indexer would skip it).
    let retracted: Vec<String> = planned
        .iter()
        .filter(|(_, id)| list.document(id).is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let planned_ids: Vec<String> = planned
        .iter()
        .filter(|(name, _)| !retracted.contains(name))
        .map(|(_, id)| id.clone())
        .collect();
    if !take_over {
        refuse_foreign_ids(
            &publication_id,
            &foreign_ids(search, &publication_id, &planned_ids),
        )?;
    }
    let job_id = admin.jobs.next_id();
    let staging = admin
        .config
        .files_dir
        .join(format!(".upload-{job_id}-{publication_id}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let unpacked = unpack_archive(&mut archive, &staging, &retracted)
        .and_then(|()| list_every_pdf(&checked, &staging));
    if let Err(error) = unpacked {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    admin.jobs.insert(job_id, &publication_id);
    let missing = files_missing_from_archive(&checked, &staging);
    admin.jobs.update(job_id, |job| {
        job.failures += missing.len();
        job.reports.extend(missing);
    });
    if let Err(error) = admin
        .jobs
        .journal(job_id, &staging, &planned_ids, take_over)
    {
        admin.jobs.lock().remove(&job_id);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(ApiError::Internal(format!(
            "cannot journal upload job {job_id}: {error}"
        )));
    }
    Ok(AcceptedUpload {
        job_id,
        publication_id,
        staging,
        planned_ids,
        take_over,
    })
}

/// Every PDF of an upload belongs to its publication: PDFs the archive holds but
/// `publication.json` does not list are added to the staged `publication.json` (so they get
/// its metadata, and their default ids are derived from the publication id).
fn list_every_pdf(checked: &CheckedArchive, staging: &Path) -> Result<()> {
    let mut publication = checked.publication.clone();
    let mut added = false;
    for name in &checked.document_names {
        let listed = publication
            .documents
            .iter()
            .any(|document| document.file.as_deref() == Some(name.as_str()));
        if !listed {
            publication.documents.push(DocumentMetadata {
                file: Some(name.clone()),
                ..DocumentMetadata::default()
            });
            added = true;
        }
    }
    if !added {
        return Ok(());
    }
    let json = serde_json::to_vec_pretty(&publication)
        .map_err(|error| ApiError::Internal(format!("publication.json: {error}")))?;
    write_synced(&staging.join("publication.json"), &json)?;
    fsync_directory(staging)?;
    Ok(())
}

/// A failed file report for every `documents[].file` of `publication.json` that the archive
/// does not hold.
fn files_missing_from_archive(checked: &CheckedArchive, staging: &Path) -> Vec<FileReport> {
    let mut missing = Vec::new();
    for document in &checked.publication.documents {
        let Some(file) = document.file.as_deref() else {
            continue;
        };
        let in_archive = checked.document_names.iter().any(|name| name == file);
        if in_archive {
            continue;
        }
        missing.push(FileReport {
            path: staging.join(file),
            source: upload_source(&checked.publication.id, file),
            status: FileStatus::Failed,
            document_id: document.id.clone(),
            pages: 0,
            pages_without_text: 0,
            ocr_pages: 0,
            ocr_skipped_pages: 0,
            class: None,
            error: Some(format!(
                "publication.json names {file:?}, which is not in the archive"
            )),
            redaction_leaks: Vec::new(),
            personal_data: Vec::new(),
        });
    }
    missing
}

/// Runs an accepted upload to its end and journals how it ended.
fn run_upload_job(admin: &AdminState, search: &SearchService, upload: &AcceptedUpload) {
    let job_id = upload.job_id;
    admin
        .jobs
        .update(job_id, |job| job.state = JobState::Running);
    let run = UploadRun {
        republish: Vec::new(),
        reload: true,
        owned_ids: upload.planned_ids.clone(),
        take_over: upload.take_over,
    };
    let outcome = index_upload(
        admin,
        search,
        job_id,
        &upload.publication_id,
        &upload.staging,
        run,
    );
    admin.jobs.update(job_id, |job| match outcome {
        Ok(documents) => {
            job.state = JobState::Done;
            job.documents = documents;
        }
        Err(error) => {
            job.state = JobState::Failed;
            job.error = Some(error.to_string());
        }
    });
    let journalled = admin.jobs.journal(
        job_id,
        &upload.staging,
        &upload.planned_ids,
        upload.take_over,
    );
    if let Err(error) = journalled {
        tracing::error!("cannot journal the end of upload job {job_id}: {error}");
    }
}

/// Runs the uploads that were accepted but had not ended when the server last stopped, one
/// after the other, on a background thread. Called once when the server starts.
pub fn resume_unfinished_uploads(admin: Arc<AdminState>, search: Arc<SearchService>) {
    let unfinished: Vec<UnfinishedUpload> = std::mem::take(&mut *admin.lock_unfinished());
    if unfinished.is_empty() {
        return;
    }
    tracing::warn!("resuming {} unfinished upload job(s)", unfinished.len());
    std::thread::spawn(move || {
        for job in unfinished {
            let upload = AcceptedUpload {
                job_id: job.id,
                publication_id: job.publication_id,
                staging: job.staging,
                planned_ids: job.planned_ids,
                take_over: job.take_over,
            };
            run_upload_job(&admin, &search, &upload);
        }
    });
}

/// How [`index_upload`] runs beyond its folder.
pub(super) struct UploadRun {
    /// Tombstones to remove first (re-publication on purpose).
    pub republish: Vec<String>,
    /// Reload the reader when done (a bulk load reloads once at the end instead).
    pub reload: bool,
    /// The document ids the run will write, checked against other publications under the
    /// writer lock (an upload accepted at the same time may have taken one).
    pub owned_ids: Vec<String>,
    /// Whether ids of other publications may be taken over.
    pub take_over: bool,
}

/// Under the writer lock: the staging folder replaces the publication's folder, the
/// publication's old documents are deleted and its files indexed in one commit. Returns the
/// documents written. A resumed job whose staging folder was already moved into place indexes
/// the publication's folder as it is.
pub(super) fn index_upload(
    admin: &AdminState,
    search: &SearchService,
    job_id: u64,
    publication_id: &str,
    staging: &Path,
    run: UploadRun,
) -> Result<usize> {
    let index_dir = admin.config.index_dir.clone();
    let mut guard = admin.lock_writer();
    if guard.is_none() {
        *guard = Some(IndexSink::open(&index_dir)?);
    }
    let Some(sink) = guard.as_mut() else {
        return Err(ApiError::Internal("index writer unavailable".to_string()));
    };
    if !run.take_over {
        refuse_foreign_ids(
            publication_id,
            &foreign_ids(search, publication_id, &run.owned_ids),
        )?;
    }
    let folder = admin.config.files_dir.join(publication_id);
    let previous = admin
        .config
        .files_dir
        .join(format!(".replaced-{job_id}-{publication_id}"));
    move_into_place(staging, &folder, &previous)?;
    let options = IndexOptions {
        jobs: 1,
        force: true,
        extract_worker: admin.config.extract_worker.clone(),
        ocr: upload_ocr(admin),
        source_root: Some(admin.config.files_dir.clone()),
        ..IndexOptions::new(vec![folder.clone()], index_dir.clone())
    };
    let control = RunControl {
        republish: run.republish,
        replace_publication: Some(publication_id.to_string()),
        single_commit: true,
    };
    let progress = |event: Progress| match event {
        Progress::Discovered { files } => admin.jobs.update(job_id, |job| job.files = files),
        Progress::FileDone(report) => admin.jobs.update(job_id, |job| {
            job.files_done += 1;
            job.pages += u64::from(report.pages);
            if report.status == FileStatus::Failed {
                job.failures += 1;
            }
            if report.status == FileStatus::Retracted {
                // A retracted document's file does not stay on disk.
                let _ = std::fs::remove_file(&report.path);
            }
            job.reports.push(report);
        }),
        Progress::Problem(report) => admin.jobs.update(job_id, |job| {
            job.failures += 1;
            job.reports.push(report);
        }),
    };
    let summary = match run_index_in(sink, &options, &control, &progress) {
        Ok(summary) => summary,
        Err(error) => {
            *guard = None;
            return Err(error.into());
        }
    };
    if run.reload {
        // Reloaded before the writer is let go, so the next job's id check sees this one.
        if let Err(error) = search.reload() {
            tracing::error!("reload after upload failed: {error}");
        }
    }
    drop(guard);
    if previous.exists() {
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(summary.documents)
}

/// The staging folder becomes the publication's folder (the old one kept at `previous` until
/// the commit). When the staging folder is gone, an earlier run of the same job already moved
/// it: the folder is indexed as it is.
fn move_into_place(staging: &Path, folder: &Path, previous: &Path) -> Result<()> {
    if !staging.exists() {
        if folder.exists() {
            return Ok(());
        }
        return Err(ApiError::Internal(format!(
            "the files of this upload are gone ({} and {} are missing)",
            staging.display(),
            folder.display()
        )));
    }
    if previous.exists() {
        std::fs::remove_dir_all(previous)?;
    }
    if folder.exists() {
        std::fs::rename(folder, previous)?;
    }
    std::fs::rename(staging, folder)?;
    if let Some(parent) = folder.parent() {
        fsync_directory(parent)?;
    }
    Ok(())
}

/// The OCR engine of an upload job: the server's OCR setting, with its cache.
fn upload_ocr(admin: &AdminState) -> Option<OcrEngine> {
    if !admin.config.ocr {
        return None;
    }
    OcrEngine::detect(admin.config.ocr_cache.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_may_not_escape() {
        assert!(is_safe_entry_name("publication.json"));
        assert!(is_safe_entry_name("documenten/0001.pdf"));
        assert!(is_safe_entry_name("documenten/"));
        assert!(!is_safe_entry_name("../etc/passwd"));
        assert!(!is_safe_entry_name("a/../../b.pdf"));
        assert!(!is_safe_entry_name("/etc/passwd"));
        assert!(!is_safe_entry_name("C:\\x.pdf"));
        assert!(!is_safe_entry_name("a//b.pdf"));
    }

    #[test]
    fn publication_ids_must_be_folder_safe() {
        assert!(is_safe_publication_id("VWS-WOO-2024-0117"));
        assert!(!is_safe_publication_id("../x"));
        assert!(!is_safe_publication_id(".hidden"));
        assert!(!is_safe_publication_id("a/b"));
    }
}
