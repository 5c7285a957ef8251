//! Publication upload: `POST /api/admin/publications` (scope `load`), body a zip (PDFs +
//! `publication.json`), answered 202 with a job id; then [`index_upload`] indexes it in the
//! background as one commit that first deletes the publication's old documents.
//!
//! The zip is checked before anything is written: at most [`MAX_ARCHIVE_ENTRIES`] entries
//! and [`MAX_ARCHIVE_UNCOMPRESSED_BYTES`] unpacked, no entry compressing more than
//! [`MAX_ENTRY_RATIO`]:1, only safe relative names ([`is_safe_entry_name`]) of PDFs,
//! `NAME.pdf.json` sidecars and `publication.json`. Unpacking reads no entry past its declared
//! size and refuses PDFs without a `%PDF` header.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use woo_core::retraction::RetractionList;
use woo_indexer::ingest::{run_index_in, FileStatus, IndexOptions, Progress, RunControl};
use woo_indexer::write::IndexSink;

use super::auth::{authorize, Scope};
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
    publication_id: String,
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
        let lower = name.to_lowercase();
        if name == "publication.json" {
            has_publication = true;
        } else if !(lower.ends_with(".pdf") || lower.ends_with(".pdf.json")) {
            return Err(rejected(format!(
                "entry {name:?} is not a PDF, a NAME.pdf.json sidecar or publication.json"
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
    let publication_json = read_entry(archive, "publication.json")?;
    #[derive(Deserialize)]
    struct PublicationId {
        id: String,
    }
    let parsed: PublicationId = serde_json::from_slice(&publication_json)
        .map_err(|error| rejected(format!("publication.json: {error}")))?;
    if !is_safe_publication_id(&parsed.id) {
        return Err(rejected(format!(
            "publication id {:?} may only hold letters, digits, '.', '_' and '-'",
            parsed.id
        )));
    }
    Ok(CheckedArchive {
        publication_id: parsed.id,
    })
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

/// Unpacks every file entry into `target`, checking sizes against the headers and PDFs by
/// their magic bytes.
fn unpack_archive(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, target: &Path) -> Result<()> {
    let mut total: u64 = 0;
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
        let path = target.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &bytes)?;
    }
    Ok(())
}

/// What an accepted upload answers.
#[derive(Debug, Serialize)]
struct UploadAnswer {
    job: u64,
    publication_id: String,
    status_url: String,
}

/// `POST /api/admin/publications`: checks and unpacks the zip, answers 202 with the job.
pub(super) async fn upload_publication(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let (admin, _actor) = authorize(&state, &headers, Scope::Load)?;
    let bytes = body_bytes(
        body,
        format!("an upload is at most {MAX_UPLOAD_BYTES} bytes"),
    )?;
    let work_admin = admin.clone();
    let (job_id, publication_id, folder) =
        tokio::task::spawn_blocking(move || accept_upload(&work_admin, &bytes))
            .await
            .map_err(|error| ApiError::Internal(format!("upload task failed: {error}")))??;
    let search = state.search.clone();
    let job_admin = admin.clone();
    let job_publication = publication_id.clone();
    tokio::task::spawn_blocking(move || {
        run_upload_job(&job_admin, &search, job_id, &job_publication, &folder)
    });
    let answer = UploadAnswer {
        job: job_id,
        publication_id,
        status_url: format!("/api/admin/jobs/{job_id}"),
    };
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// Checks and unpacks an upload into a staging folder; registers the job. Returns the job
/// id, the publication id and the staging folder.
fn accept_upload(admin: &AdminState, bytes: &[u8]) -> Result<(u64, String, PathBuf)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| rejected(format!("not a zip archive: {error}")))?;
    let checked = check_archive(&mut archive)?;
    let list = RetractionList::load(&admin.config.index_dir)?;
    if let Some(tombstone) = list.publication(&checked.publication_id) {
        return Err(ApiError::Retracted {
            message: format!(
                "{}; re-publish it on purpose with `woo index --republish {}`",
                tombstone.message(),
                tombstone.id
            ),
            conflict: true,
        });
    }
    let job_id = admin.jobs.next_id();
    let staging = admin
        .config
        .files_dir
        .join(format!(".upload-{job_id}-{}", checked.publication_id));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    if let Err(error) = unpack_archive(&mut archive, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    admin.jobs.insert(job_id, &checked.publication_id);
    Ok((job_id, checked.publication_id, staging))
}

/// Indexes an unpacked upload: under the writer lock, the staging folder replaces the
/// publication's folder, then its old documents are deleted and the new ones written in one
/// commit; the reader is reloaded.
fn run_upload_job(
    admin: &AdminState,
    search: &SearchService,
    job_id: u64,
    publication_id: &str,
    staging: &Path,
) {
    admin.jobs.update(job_id, |job| job.state = "running");
    let run = UploadRun {
        republish: Vec::new(),
        reload: true,
    };
    let outcome = index_upload(admin, search, job_id, publication_id, staging, run);
    admin.jobs.update(job_id, |job| match outcome {
        Ok(documents) => {
            job.state = "done";
            job.documents = documents;
        }
        Err(error) => {
            job.state = "failed";
            job.error = Some(error.to_string());
        }
    });
}

/// How [`index_upload`] runs beyond its folder.
pub(super) struct UploadRun {
    /// Tombstones to remove first (re-publication on purpose).
    pub republish: Vec<String>,
    /// Reload the reader when done (a bulk load reloads once at the end instead).
    pub reload: bool,
}

/// Under the writer lock: the staging folder replaces the publication's folder, the
/// publication's old documents are deleted and its files indexed in one commit. Returns the
/// documents written.
pub(super) fn index_upload(
    admin: &AdminState,
    search: &SearchService,
    job_id: u64,
    publication_id: &str,
    staging: &Path,
    run: UploadRun,
) -> woo_indexer::Result<usize> {
    let index_dir = admin.config.index_dir.clone();
    let mut guard = admin.lock_writer();
    if guard.is_none() {
        *guard = Some(IndexSink::open(&index_dir)?);
    }
    let Some(sink) = guard.as_mut() else {
        return Err(woo_indexer::IndexerError::Io(std::io::Error::other(
            "index writer unavailable",
        )));
    };
    let folder = admin.config.files_dir.join(publication_id);
    let previous = admin
        .config
        .files_dir
        .join(format!(".replaced-{job_id}-{publication_id}"));
    if folder.exists() {
        std::fs::rename(&folder, &previous)?;
    }
    std::fs::rename(staging, &folder)?;
    let options = IndexOptions {
        jobs: 1,
        force: true,
        extract_worker: admin.config.extract_worker.clone(),
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
            job.reports.push(report);
        }),
    };
    let summary = match run_index_in(sink, &options, &control, &progress) {
        Ok(summary) => summary,
        Err(error) => {
            *guard = None;
            return Err(error);
        }
    };
    drop(guard);
    if previous.exists() {
        let _ = std::fs::remove_dir_all(&previous);
    }
    if run.reload {
        if let Err(error) = search.reload() {
            tracing::error!("reload after upload failed: {error}");
        }
    }
    Ok(summary.documents)
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
