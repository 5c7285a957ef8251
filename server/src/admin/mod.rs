//! The admin API: bearer tokens with scopes, retraction, publication upload, upload jobs,
//! bulk loads. The only part of the server that writes the index (and so the only one that
//! uses the indexer crate's ingest, write and retraction code).
//!
//! Routes (merged into [`crate::app`] by [`routes`]):
//! - `DELETE /api/admin/documents/{id}`, `DELETE /api/admin/publications/{id}` (scope
//!   `retract`): tombstone, delete, commit, reload ([`retract`]).
//! - `POST /api/admin/publications` (scope `load`), body a zip (PDFs + `publication.json`):
//!   checked, unpacked and indexed in the background as one commit; 202 with a job id
//!   ([`upload`]).
//! - `POST /api/admin/bulk` (scope `load`): NDJSON publication records referring to files
//!   already on the server, one commit per record ([`bulk`]).
//! - `GET /api/admin/jobs/{id}` (scope `load`): the job's progress and per-file report
//!   ([`jobs`]).
//!
//! Files:
//! - `mod.rs`     [`AdminConfig`], [`AdminState`] (the index's one writer, the tokens, the
//!   jobs), [`AdminRouteState`] and [`routes`]
//! - [`auth`]     bearer tokens and their scopes, compared in constant time
//! - [`jobs`]     the upload jobs, their status and the upload journal (an accepted upload
//!   survives a crash and is resumed at start)
//! - [`leaks`]    the documents with failed redactions (`GET /api/admin/redaction-leaks`)
//! - [`ownership`] which publication a document id belongs to (409 `id_conflict`)
//! - [`retract`]  the retraction routes (the public 410 for a retracted document is
//!   `crate::search::missing_document`)
//! - [`upload`]   publication upload: the zip checked against its bounds, unpacked, indexed
//! - [`bulk`]     `POST /api/admin/bulk`

mod auth;
mod bulk;
mod jobs;
mod leaks;
mod ownership;
mod retract;
mod upload;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use axum::Router;
use woo_indexer::write::IndexSink;

use crate::error::{ApiError, Result};
use crate::search::SearchService;

pub use auth::{Scope, TokenSet, ADMIN_TOKEN_ENV, MIN_TOKEN_LENGTH};
pub use bulk::{
    BulkAnswer, RecordError, RecordResult, MAX_BULK_BODY_BYTES, MAX_BULK_LINE_BYTES,
    MAX_BULK_RECORDS,
};
pub use jobs::{JobState, JobStatus, JOURNAL_FOLDER};
pub use ownership::{is_safe_document_id, MAX_DOCUMENT_ID_BYTES};
pub use upload::{
    is_safe_entry_name, is_safe_publication_id, resume_unfinished_uploads, MAX_ARCHIVE_ENTRIES,
    MAX_ARCHIVE_UNCOMPRESSED_BYTES, MAX_ENTRY_RATIO, MAX_UPLOAD_BYTES, RATIO_CHECK_FROM_BYTES,
};

use jobs::{JobTable, UnfinishedUpload};

/// Where the admin API keeps its state.
pub struct AdminConfig {
    /// The index directory.
    pub index_dir: PathBuf,
    /// Where uploaded publications are unpacked, one folder per publication id.
    pub files_dir: PathBuf,
    /// The tokens.
    pub tokens: TokenSet,
    /// The `woo` program for isolated extraction (`woo extract-worker`); `None`: in process.
    pub extract_worker: Option<PathBuf>,
    /// OCR the pages of uploads that have no usable text layer (when Tesseract and pdftoppm
    /// are installed), like `woo index`.
    pub ocr: bool,
    /// The OCR cache folder; `None`: no cache.
    pub ocr_cache: Option<PathBuf>,
}

/// The default files directory: `<index>/../<index-name>-files`.
pub fn default_files_dir(index_dir: &Path) -> PathBuf {
    let name = index_dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".to_string());
    let parent = index_dir.parent().unwrap_or(Path::new("."));
    parent.join(format!("{name}-files"))
}

/// The writer and everything the admin routes share. One per server.
pub struct AdminState {
    config: AdminConfig,
    /// The index's one writer; `None` only briefly after a failed write (reopened on next use).
    writer: Mutex<Option<IndexSink>>,
    /// The upload jobs (and bulk records) by id.
    jobs: JobTable,
    /// Uploads accepted before the last stop that had not ended, until they are resumed.
    unfinished: Mutex<Vec<UnfinishedUpload>>,
}

impl AdminState {
    /// Takes the index writer, creates the files directory and reads the upload journal
    /// (see [`resume_unfinished_uploads`] for the jobs it left unfinished).
    pub fn open(config: AdminConfig) -> woo_indexer::Result<AdminState> {
        let sink = IndexSink::open(&config.index_dir)?;
        std::fs::create_dir_all(&config.files_dir)?;
        let (jobs, unfinished) = JobTable::open(&config.index_dir)?;
        Ok(AdminState {
            config,
            writer: Mutex::new(Some(sink)),
            jobs,
            unfinished: Mutex::new(unfinished),
        })
    }

    fn lock_unfinished(&self) -> MutexGuard<'_, Vec<UnfinishedUpload>> {
        match self.unfinished.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn lock_writer(&self) -> MutexGuard<'_, Option<IndexSink>> {
        match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// The sink in `guard`, opening a new writer when the last one was dropped after an error.
fn writer_in<'a>(
    guard: &'a mut MutexGuard<'_, Option<IndexSink>>,
    index_dir: &Path,
) -> Result<&'a mut IndexSink> {
    if guard.is_none() {
        **guard = Some(IndexSink::open(index_dir)?);
    }
    guard
        .as_mut()
        .ok_or_else(|| ApiError::Internal("index writer unavailable".to_string()))
}

/// What every admin route is handed; [`crate::app`] builds it from its own state.
#[derive(Clone)]
pub struct AdminRouteState {
    /// The search service over the index (reloaded after every write).
    pub search: Arc<SearchService>,
    /// The writer, tokens and jobs; `None` when serving read-only (every admin route then
    /// answers 401).
    pub admin: Option<Arc<AdminState>>,
}

/// The admin routes; merged into the app's router with their [`AdminRouteState`].
pub fn routes() -> Router<AdminRouteState> {
    Router::new()
        .route(
            "/api/admin/documents/{id}",
            delete(retract::retract_document),
        )
        .route(
            "/api/admin/publications/{id}",
            delete(retract::retract_publication),
        )
        .route(
            "/api/admin/publications",
            post(upload::upload_publication).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/api/admin/bulk",
            post(bulk::bulk_load).layer(DefaultBodyLimit::max(MAX_BULK_BODY_BYTES)),
        )
        .route("/api/admin/jobs/{id}", get(jobs::job_status))
        .route("/api/admin/redaction-leaks", get(leaks::redaction_leaks))
}

/// The indexer's failures inside an admin call are internal errors (the admin side is the only
/// part of the server that runs the indexer, so the conversion lives here).
impl From<woo_indexer::IndexerError> for crate::error::ApiError {
    fn from(error: woo_indexer::IndexerError) -> Self {
        crate::error::ApiError::Internal(error.to_string())
    }
}
