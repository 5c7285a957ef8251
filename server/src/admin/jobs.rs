//! Upload jobs: the table of [`JobStatus`]es an upload or bulk record fills in as it runs,
//! and `GET /api/admin/jobs/{id}` (scope `load`), which answers one job's progress and
//! per-file report.
//!
//! The table keeps the newest [`MAX_JOBS_KEPT`] jobs; the oldest are forgotten first.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use axum::extract::{Path as UrlPath, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use woo_indexer::ingest::FileReport;

use super::auth::{authorize, Scope};
use super::AdminRouteState;
use crate::error::{ApiError, Result};

/// Jobs kept in the job table (the oldest finished ones are forgotten first).
const MAX_JOBS_KEPT: usize = 1_000;

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

/// The jobs of this server by id, and the next id to hand out.
pub(super) struct JobTable {
    statuses: Mutex<BTreeMap<u64, JobStatus>>,
    next_id: AtomicU64,
}

impl JobTable {
    /// An empty table whose first job is 1.
    pub(super) fn new() -> JobTable {
        JobTable {
            statuses: Mutex::new(BTreeMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// A fresh job id (also names the job's staging folder).
    pub(super) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The table itself (taken over when a panicking holder poisoned the lock).
    pub(super) fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, JobStatus>> {
        match self.statuses.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Registers a queued job, forgetting the oldest when the table is full.
    pub(super) fn insert(&self, job_id: u64, publication_id: &str) {
        let mut jobs = self.lock();
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

    /// Changes job `id` in place, when the table still holds it.
    pub(super) fn update(&self, id: u64, change: impl FnOnce(&mut JobStatus)) {
        if let Some(job) = self.lock().get_mut(&id) {
            change(job);
        }
    }
}

/// `GET /api/admin/jobs/{id}` (scope `load`): the job's progress and per-file report.
pub(super) async fn job_status(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Response> {
    let (admin, _actor) = authorize(&state, &headers, Scope::Load)?;
    let job_id: u64 = id
        .parse()
        .map_err(|_| ApiError::NotFound(format!("no job {id:?}")))?;
    let Some(job) = admin.jobs.lock().get(&job_id).cloned() else {
        return Err(ApiError::NotFound(format!("no job {job_id}")));
    };
    Ok(Json(job).into_response())
}
