//! The admin API: bearer tokens with scopes, retraction, publication upload, upload jobs.
//!
//! Routes (merged into [`crate::app`] by [`routes`]):
//! - `DELETE /api/admin/documents/{id}`, `DELETE /api/admin/publications/{id}` (scope `retract`),
//!   body `{"reason": "...", "explanation": "..."}`: tombstone persisted (fsynced), delete
//!   committed, index directory fsynced, reader reloaded, stored upload files deleted — then
//!   200. A merge + garbage collection runs afterwards in the background so the bytes leave
//!   the disk.
//! - `POST /api/admin/publications` (scope `load`), body a zip (PDFs + `publication.json`):
//!   checked and unpacked into the files directory, then indexed in the background as one
//!   commit that first deletes the publication's old documents; answers 202 with a job id.
//! - `POST /api/admin/bulk` (scope `load`): NDJSON publication records referring to files
//!   already on the server, one commit per record ([`crate::bulk`]).
//! - `GET /api/admin/jobs/{id}` (scope `load`): the job's progress and per-file report.
//!
//! Tokens come only from the `Authorization: Bearer` header. Every presented token is hashed
//! (SHA-256) and compared with every configured token's hash in constant time ([`subtle`]),
//! so neither the position of a mismatch nor the token's length shows in the timing. A
//! missing and a wrong token get the same 401 answer.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use woo_indexer::ingest::{run_index_in, FileReport, IndexOptions, Progress, RunControl};
use woo_indexer::retraction::{
    is_known_reason, now_rfc3339, RetractionKind, RetractionList, Tombstone, RETRACTIONS_FILE,
    RETRACTION_REASONS,
};
use woo_indexer::write::IndexSink;

use crate::app::AppState;
use crate::error::{ApiError, Result};
use crate::search::SearchService;

/// Environment variable holding one admin token with every scope.
pub const ADMIN_TOKEN_ENV: &str = "WOO_ADMIN_TOKEN";
/// Shortest accepted token, in bytes.
pub const MIN_TOKEN_LENGTH: usize = 16;
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
/// Largest body of a retraction request.
const MAX_RETRACTION_BODY_BYTES: usize = 64 * 1024;
/// Jobs kept in the job table (the oldest finished ones are forgotten first).
const MAX_JOBS_KEPT: usize = 1_000;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Upload publications and read upload jobs.
    Load,
    /// Retract documents and publications.
    Retract,
}

impl Scope {
    fn parse(text: &str) -> Option<Scope> {
        match text.trim() {
            "load" => Some(Scope::Load),
            "retract" => Some(Scope::Retract),
            _ => None,
        }
    }
}

/// One configured token: its name (the actor in tombstones), scopes, and SHA-256 digest.
struct AdminToken {
    name: String,
    scopes: Vec<Scope>,
    digest: [u8; 32],
}

/// The configured admin tokens.
#[derive(Default)]
pub struct TokenSet {
    tokens: Vec<AdminToken>,
}

fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl TokenSet {
    /// Adds a token; refuses short tokens.
    pub fn add(
        &mut self,
        name: &str,
        scopes: &[Scope],
        token: &str,
    ) -> std::result::Result<(), String> {
        if token.len() < MIN_TOKEN_LENGTH {
            return Err(format!(
                "token {name:?} is shorter than {MIN_TOKEN_LENGTH} characters"
            ));
        }
        self.tokens.push(AdminToken {
            name: name.to_string(),
            scopes: scopes.to_vec(),
            digest: token_digest(token),
        });
        Ok(())
    }

    /// Parses a tokens file: one token per line, `name:scope1,scope2:token`; blank lines and
    /// lines starting with `#` are ignored.
    pub fn parse_tokens_file(text: &str) -> std::result::Result<TokenSet, String> {
        let mut set = TokenSet::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ':');
            let (Some(name), Some(scopes_text), Some(token)) =
                (parts.next(), parts.next(), parts.next())
            else {
                return Err(format!(
                    "line {}: expected name:scope1,scope2:token",
                    number + 1
                ));
            };
            let mut scopes = Vec::new();
            for scope_text in scopes_text.split(',') {
                let Some(scope) = Scope::parse(scope_text) else {
                    return Err(format!(
                        "line {}: unknown scope {scope_text:?} (known: load, retract)",
                        number + 1
                    ));
                };
                scopes.push(scope);
            }
            set.add(name.trim(), &scopes, token.trim())
                .map_err(|error| format!("line {}: {error}", number + 1))?;
        }
        Ok(set)
    }

    /// The tokens of `WOO_ADMIN_TOKEN` (name `admin`, every scope) and of a tokens file.
    pub fn from_sources(
        environment_token: Option<&str>,
        tokens_file: Option<&Path>,
    ) -> std::result::Result<TokenSet, String> {
        let mut set = match tokens_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                TokenSet::parse_tokens_file(&text)
                    .map_err(|error| format!("{}: {error}", path.display()))?
            }
            None => TokenSet::default(),
        };
        if let Some(token) = environment_token.filter(|token| !token.is_empty()) {
            set.add("admin", &[Scope::Load, Scope::Retract], token)
                .map_err(|error| format!("{ADMIN_TOKEN_ENV}: {error}"))?;
        }
        Ok(set)
    }

    /// Whether no token is configured (then the admin API is off).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The token matching `presented`, compared in constant time with every token.
    fn authenticate(&self, presented: &str) -> Option<&AdminToken> {
        let presented_digest = token_digest(presented);
        let mut found = None;
        for token in &self.tokens {
            let equal: bool = token.digest.ct_eq(&presented_digest).into();
            if equal && found.is_none() {
                found = Some(token);
            }
        }
        found
    }
}

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

/// Progress and outcome of one upload.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    /// Job id.
    pub id: u64,
    /// The uploaded publication.
    pub publication_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: &'static str,
    /// PDFs found.
    pub files: usize,
    /// PDFs processed so far.
    pub files_done: usize,
    /// Pages extracted so far.
    pub pages: u64,
    /// Documents written (when done).
    pub documents: usize,
    /// Files that failed so far.
    pub failures: usize,
    /// Per-file results.
    pub reports: Vec<FileReport>,
    /// Why the whole job failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The writer and everything the admin routes share. One per server.
pub struct AdminState {
    pub(crate) config: AdminConfig,
    /// The index's one writer; `None` only briefly after a failed write (reopened on next use).
    writer: Mutex<Option<IndexSink>>,
    jobs: Mutex<BTreeMap<u64, JobStatus>>,
    pub(crate) next_job: AtomicU64,
}

impl AdminState {
    /// Takes the index writer and creates the files directory.
    pub fn open(config: AdminConfig) -> woo_indexer::Result<AdminState> {
        let sink = IndexSink::open(&config.index_dir)?;
        std::fs::create_dir_all(&config.files_dir)?;
        Ok(AdminState {
            config,
            writer: Mutex::new(Some(sink)),
            jobs: Mutex::new(BTreeMap::new()),
            next_job: AtomicU64::new(1),
        })
    }

    fn lock_writer(&self) -> MutexGuard<'_, Option<IndexSink>> {
        match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub(crate) fn lock_jobs(&self) -> MutexGuard<'_, BTreeMap<u64, JobStatus>> {
        match self.jobs.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Registers a queued job, forgetting the oldest when the table is full.
    pub(crate) fn insert_job(&self, job_id: u64, publication_id: &str) {
        let mut jobs = self.lock_jobs();
        while jobs.len() >= MAX_JOBS_KEPT {
            let Some(oldest) = jobs.keys().next().copied() else {
                break;
            };
            jobs.remove(&oldest);
        }
        jobs.insert(
            job_id,
            JobStatus {
                id: job_id,
                publication_id: publication_id.to_string(),
                state: "queued",
                files: 0,
                files_done: 0,
                pages: 0,
                documents: 0,
                failures: 0,
                reports: Vec::new(),
                error: None,
            },
        );
    }

    pub(crate) fn update_job(&self, id: u64, change: impl FnOnce(&mut JobStatus)) {
        if let Some(job) = self.lock_jobs().get_mut(&id) {
            change(job);
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

/// The admin routes; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/admin/documents/{id}", delete(retract_document))
        .route("/api/admin/publications/{id}", delete(retract_publication))
        .route(
            "/api/admin/publications",
            post(upload_publication).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/api/admin/bulk",
            post(crate::bulk::bulk_load)
                .layer(DefaultBodyLimit::max(crate::bulk::MAX_BULK_BODY_BYTES)),
        )
        .route("/api/admin/jobs/{id}", get(job_status))
}

/// The error for a document id that is not in the index: 410 with the reason when it was
/// retracted, else 404. Reads the retraction list through the index's directory, so a
/// read-only server answers 410 too.
pub fn missing_document(state: &AppState, id: &str) -> ApiError {
    let list = read_retractions(&state.search);
    if let Some(tombstone) = list.of_document(id) {
        return ApiError::Retracted {
            message: tombstone.message(),
            conflict: false,
        };
    }
    ApiError::NotFound(format!("no document with id {id:?}"))
}

fn read_retractions(search: &SearchService) -> RetractionList {
    use tantivy::Directory;
    let directory = search.index().directory();
    let Ok(bytes) = directory.atomic_read(Path::new(RETRACTIONS_FILE)) else {
        return RetractionList::default();
    };
    match RetractionList::from_json(&bytes) {
        Ok(list) => list,
        Err(error) => {
            tracing::error!("retraction list unreadable: {error}");
            RetractionList::default()
        }
    }
}

/// Checks the bearer token and scope; returns the admin state and the token's name.
pub(crate) fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<(Arc<AdminState>, String)> {
    let Some(admin) = state.admin.clone() else {
        return Err(ApiError::Unauthenticated);
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let Some(token) = admin.config.tokens.authenticate(presented) else {
        return Err(ApiError::Unauthenticated);
    };
    if !token.scopes.contains(&scope) {
        return Err(ApiError::Forbidden(format!(
            "token {:?} lacks the {:?} scope",
            token.name,
            match scope {
                Scope::Load => "load",
                Scope::Retract => "retract",
            }
        )));
    }
    let name = token.name.clone();
    Ok((admin, name))
}

/// Body of a retraction request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetractionRequest {
    reason: String,
    #[serde(default)]
    explanation: String,
}

fn parse_retraction_body(
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<RetractionRequest> {
    let bytes = body.map_err(|error| ApiError::InvalidBody(error.body_text()))?;
    if bytes.len() > MAX_RETRACTION_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "a retraction body is at most {MAX_RETRACTION_BODY_BYTES} bytes"
        )));
    }
    let request: RetractionRequest = serde_json::from_slice(&bytes).map_err(|error| {
        ApiError::InvalidBody(format!(
            "expected {{\"reason\": \"...\", \"explanation\": \"...\"}}: {error}"
        ))
    })?;
    if !is_known_reason(&request.reason) {
        return Err(ApiError::InvalidBody(format!(
            "unknown reason {:?} (known: {})",
            request.reason,
            RETRACTION_REASONS.join(", ")
        )));
    }
    Ok(request)
}

/// What a retraction answers.
#[derive(Debug, Serialize)]
struct RetractionAnswer {
    retracted: Tombstone,
    /// Ids of the documents removed from the index by this call.
    documents: Vec<String>,
    /// Opstamp of the commit that removed them.
    opstamp: u64,
}

async fn retract_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    retract(state, headers, RetractionKind::Document, id, body).await
}

async fn retract_publication(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    retract(state, headers, RetractionKind::Publication, id, body).await
}

async fn retract(
    state: AppState,
    headers: HeaderMap,
    kind: RetractionKind,
    id: String,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let (admin, actor) = authorize(&state, &headers, Scope::Retract)?;
    let request = parse_retraction_body(body)?;
    let tombstone = Tombstone {
        id,
        kind,
        reason: request.reason.trim().to_lowercase(),
        explanation: request.explanation,
        actor,
        time: now_rfc3339(),
        documents: Vec::new(),
    };
    let search = state.search.clone();
    let work_admin = admin.clone();
    let answer =
        tokio::task::spawn_blocking(move || retract_blocking(&work_admin, &search, tombstone))
            .await
            .map_err(|error| ApiError::Internal(format!("retraction task failed: {error}")))??;
    // The bytes of the deleted records stay in the segment files until a merge.
    let search = state.search.clone();
    tokio::task::spawn_blocking(move || purge_deleted(&admin, &search));
    Ok(Json(answer).into_response())
}

/// The synchronous retraction sequence (RELIABILITY.md §4.4): tombstone (fsynced), delete,
/// commit + directory fsync, reader reload, stored files deleted.
fn retract_blocking(
    admin: &AdminState,
    search: &SearchService,
    tombstone: Tombstone,
) -> Result<RetractionAnswer> {
    let index_dir = admin.config.index_dir.clone();
    let mut guard = admin.lock_writer();
    let table = search.table();
    let affected: Vec<woo_indexer::StoredDocument> = table
        .entries
        .iter()
        .filter(|entry| match tombstone.kind {
            RetractionKind::Document => entry.stored.id == tombstone.id,
            RetractionKind::Publication => {
                entry.stored.publication_id.as_deref() == Some(tombstone.id.as_str())
            }
        })
        .map(|entry| entry.stored.clone())
        .collect();
    let mut list = RetractionList::load(&index_dir)?;
    let already = match tombstone.kind {
        RetractionKind::Document => list.document(&tombstone.id).cloned(),
        RetractionKind::Publication => list.publication(&tombstone.id).cloned(),
    };
    if affected.is_empty() && already.is_none() {
        return Err(ApiError::NotFound(format!(
            "no {} with id {:?}",
            tombstone.kind.as_str(),
            tombstone.id
        )));
    }
    let recorded = match already {
        Some(earlier) => earlier,
        None => {
            let mut tombstone = tombstone;
            if tombstone.kind == RetractionKind::Publication {
                tombstone.documents = affected
                    .iter()
                    .map(|document| document.id.clone())
                    .collect();
            }
            list.add(tombstone.clone());
            list.save(&index_dir)?;
            tombstone
        }
    };
    let sink = writer_in(&mut guard, &index_dir)?;
    match recorded.kind {
        RetractionKind::Document => sink.delete(&recorded.id),
        RetractionKind::Publication => sink.delete_publication(&recorded.id),
    }
    let opstamp = match sink.commit() {
        Ok(opstamp) => opstamp,
        Err(error) => {
            // Never rollback (RELIABILITY.md finding 8): drop the writer, reopen on next use.
            *guard = None;
            return Err(error.into());
        }
    };
    search.reload()?;
    drop(guard);
    delete_stored_files(&admin.config.files_dir, &recorded, &affected);
    Ok(RetractionAnswer {
        retracted: recorded,
        documents: affected.into_iter().map(|document| document.id).collect(),
        opstamp,
    })
}

/// Deletes the uploaded copies of retracted documents (files outside the files directory,
/// indexed from the operator's own folders, are left alone).
fn delete_stored_files(
    files_dir: &Path,
    tombstone: &Tombstone,
    affected: &[woo_indexer::StoredDocument],
) {
    for document in affected {
        let path = Path::new(&document.file_path);
        if path.starts_with(files_dir) {
            if let Err(error) = std::fs::remove_file(path) {
                tracing::warn!("cannot delete {}: {error}", path.display());
            }
        }
    }
    if tombstone.kind == RetractionKind::Publication && is_safe_publication_id(&tombstone.id) {
        let folder = files_dir.join(&tombstone.id);
        if folder.is_dir() {
            if let Err(error) = std::fs::remove_dir_all(&folder) {
                tracing::warn!("cannot delete {}: {error}", folder.display());
            }
        }
    }
}

/// Merges segments and collects garbage so deleted records leave the disk, then reloads.
fn purge_deleted(admin: &AdminState, search: &SearchService) {
    let index_dir = admin.config.index_dir.clone();
    let mut guard = admin.lock_writer();
    let sink = match writer_in(&mut guard, &index_dir) {
        Ok(sink) => sink,
        Err(error) => {
            tracing::error!("purge after retraction: {error}");
            return;
        }
    };
    if let Err(error) = sink.merge_and_collect_garbage() {
        tracing::error!("merge after retraction failed: {error}");
        *guard = None;
        return;
    }
    drop(guard);
    if let Err(error) = search.reload() {
        tracing::error!("reload after merge failed: {error}");
    }
}

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

/// The request body, or a 413 with `too_large` when it exceeded the route's limit and a 400
/// when it could not be read.
pub(crate) fn body_bytes(
    body: std::result::Result<Bytes, BytesRejection>,
    too_large: String,
) -> Result<Bytes> {
    body.map_err(|error| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(too_large)
        } else {
            ApiError::InvalidBody(error.body_text())
        }
    })
}

async fn upload_publication(
    State(state): State<AppState>,
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
    let job_id = admin.next_job.fetch_add(1, Ordering::Relaxed);
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
    admin.insert_job(job_id, &checked.publication_id);
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
    admin.update_job(job_id, |job| job.state = "running");
    let run = UploadRun {
        republish: Vec::new(),
        reload: true,
    };
    let outcome = index_upload(admin, search, job_id, publication_id, staging, run);
    admin.update_job(job_id, |job| match outcome {
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
pub(crate) struct UploadRun {
    /// Tombstones to remove first (re-publication on purpose).
    pub republish: Vec<String>,
    /// Reload the reader when done (a bulk load reloads once at the end instead).
    pub reload: bool,
}

pub(crate) fn index_upload(
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
        Progress::Discovered { files } => admin.update_job(job_id, |job| job.files = files),
        Progress::FileDone(report) => admin.update_job(job_id, |job| {
            job.files_done += 1;
            job.pages += u64::from(report.pages);
            if report.status == woo_indexer::ingest::FileStatus::Failed {
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

async fn job_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response> {
    let (admin, _actor) = authorize(&state, &headers, Scope::Load)?;
    let job_id: u64 = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no job {id:?}")))?;
    let Some(job) = admin.lock_jobs().get(&job_id).cloned() else {
        return Err(ApiError::NotFound(format!("no job {job_id}")));
    };
    Ok(Json(job).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_file_lines_parse_with_scopes() {
        let set = TokenSet::parse_tokens_file(
            "# comment\n\nladen:load:0123456789abcdef0123\nintrekken:retract,load:abcdefabcdefabcdef:with:colons\n",
        )
        .unwrap();
        let loader = set.authenticate("0123456789abcdef0123").unwrap();
        assert_eq!(loader.name, "laden");
        assert_eq!(loader.scopes, vec![Scope::Load]);
        let retracter = set.authenticate("abcdefabcdefabcdef:with:colons").unwrap();
        assert_eq!(retracter.scopes, vec![Scope::Retract, Scope::Load]);
        assert!(set.authenticate("0123456789abcdef012").is_none());
        assert!(set.authenticate("").is_none());
    }

    #[test]
    fn tokens_file_refuses_short_tokens_and_unknown_scopes() {
        assert!(TokenSet::parse_tokens_file("a:load:short").is_err());
        assert!(TokenSet::parse_tokens_file("a:delete:0123456789abcdef0123").is_err());
        assert!(TokenSet::parse_tokens_file("only-a-name").is_err());
    }

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
