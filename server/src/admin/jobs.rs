//! Upload jobs: the table of [`JobStatus`]es an upload or bulk record fills in as it runs,
//! the upload journal that lets an accepted upload survive a crash, and
//! `GET /api/admin/jobs/{id}` (scope `load`), which answers one job's progress and per-file
//! report.
//!
//! The journal is a folder in the index directory, [`JOURNAL_FOLDER`], with one JSON file per
//! upload job (`<id>.json`: its status and its staging folder). An upload's file is written
//! and fsynced *before* the 202 answer, and again when the job ends (with the per-file
//! report). At start, [`JobTable::open`] reads the journal back: finished jobs keep answering
//! at their URL, unfinished ones are handed to [`super::upload::resume_unfinished_uploads`].
//! Bulk records are answered only after their commit, so they are kept in memory only.
//!
//! The table keeps the newest [`MAX_JOBS_KEPT`] jobs; the oldest are forgotten first (their
//! journal files too).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use axum::extract::{Path as UrlPath, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use woo_core::retraction::fsync_directory;
use woo_indexer::ingest::FileReport;

use super::auth::{authorize, Scope};
use super::AdminRouteState;
use crate::error::{ApiError, Result};

/// Jobs kept in the job table (the oldest finished ones are forgotten first).
const MAX_JOBS_KEPT: usize = 1_000;

/// Folder of the upload journal, inside the index directory.
pub const JOURNAL_FOLDER: &str = "woo-upload-jobs";

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Accepted, not started.
    Queued,
    /// Indexing.
    Running,
    /// Committed.
    Done,
    /// Ended without a commit; see `error`.
    Failed,
}

impl JobState {
    /// `queued`, `running`, `done` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    fn is_finished(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed)
    }
}

/// Progress and outcome of one upload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobStatus {
    /// Job id.
    pub id: u64,
    /// The uploaded publication.
    pub publication_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: JobState,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How many times the job was started again after the server stopped during it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub resumed: u32,
}

fn is_zero(number: &u32) -> bool {
    *number == 0
}

/// One journal file: a job's status and the folder its files were unpacked into.
#[derive(Debug, Serialize, Deserialize)]
struct JournalEntry {
    status: JobStatus,
    /// The staging folder (absolute).
    staging: PathBuf,
    /// The document ids the upload will write (checked again when it runs).
    #[serde(default)]
    planned_ids: Vec<String>,
    /// Whether it may take over ids of other publications.
    #[serde(default)]
    take_over: bool,
}

/// An upload that was accepted but had not ended when the server stopped.
pub(super) struct UnfinishedUpload {
    /// Job id.
    pub id: u64,
    /// The publication.
    pub publication_id: String,
    /// Its staging folder (gone when the job had already moved it into place).
    pub staging: PathBuf,
    /// The document ids it will write.
    pub planned_ids: Vec<String>,
    /// Whether it may take over ids of other publications.
    pub take_over: bool,
}

/// The jobs of this server by id, the next id to hand out, and the journal folder.
pub(super) struct JobTable {
    statuses: Mutex<BTreeMap<u64, JobStatus>>,
    next_id: AtomicU64,
    /// Where upload jobs are journalled.
    journal: PathBuf,
}

impl JobTable {
    /// The table of the journal in `index_dir` (created when missing), and the uploads that
    /// had not ended. Unreadable journal files are logged and skipped.
    pub(super) fn open(index_dir: &Path) -> std::io::Result<(JobTable, Vec<UnfinishedUpload>)> {
        let journal = index_dir.join(JOURNAL_FOLDER);
        std::fs::create_dir_all(&journal)?;
        let mut statuses = BTreeMap::new();
        let mut unfinished = Vec::new();
        for entry in read_journal(&journal)? {
            let mut status = entry.status;
            if !status.state.is_finished() {
                status.state = JobState::Queued;
                status.resumed += 1;
                unfinished.push(UnfinishedUpload {
                    id: status.id,
                    publication_id: status.publication_id.clone(),
                    staging: entry.staging,
                    planned_ids: entry.planned_ids,
                    take_over: entry.take_over,
                });
            }
            statuses.insert(status.id, status);
        }
        let next_id = statuses.keys().next_back().map_or(1, |last| last + 1);
        let table = JobTable {
            statuses: Mutex::new(statuses),
            next_id: AtomicU64::new(next_id),
            journal,
        };
        Ok((table, unfinished))
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
            let _ = std::fs::remove_file(self.journal.join(format!("{oldest}.json")));
        }
        jobs.insert(
            job_id,
            JobStatus {
                id: job_id,
                publication_id: publication_id.to_string(),
                state: JobState::Queued,
                files: 0,
                files_done: 0,
                pages: 0,
                documents: 0,
                failures: 0,
                reports: Vec::new(),
                error: None,
                resumed: 0,
            },
        );
    }

    /// Changes job `id` in place, when the table still holds it.
    pub(super) fn update(&self, id: u64, change: impl FnOnce(&mut JobStatus)) {
        if let Some(job) = self.lock().get_mut(&id) {
            change(job);
        }
    }

    /// Writes job `id`'s current status, staging folder and planned ids to the journal,
    /// durably (temporary file, fsync, rename, fsync of the folder).
    pub(super) fn journal(
        &self,
        id: u64,
        staging: &Path,
        planned_ids: &[String],
        take_over: bool,
    ) -> std::io::Result<()> {
        let journal = &self.journal;
        let Some(status) = self.lock().get(&id).cloned() else {
            return Ok(());
        };
        let entry = JournalEntry {
            status,
            staging: staging.to_path_buf(),
            planned_ids: planned_ids.to_vec(),
            take_over,
        };
        let json = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let final_path = journal.join(format!("{id}.json"));
        let temporary_path = journal.join(format!("{id}.json.tmp"));
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&temporary_path)?;
            file.write_all(&json)?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary_path, &final_path)?;
        fsync_directory(journal)
    }
}

/// Every readable journal file, oldest job first.
fn read_journal(journal: &Path) -> std::io::Result<Vec<JournalEntry>> {
    let mut entries = Vec::new();
    for item in std::fs::read_dir(journal)? {
        let path = item?.path();
        if path.extension().and_then(|extension| extension.to_str()) != Some("json") {
            continue;
        }
        let parsed = std::fs::read(&path)
            .map_err(|error| error.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<JournalEntry>(&bytes).map_err(|error| error.to_string())
            });
        match parsed {
            Ok(entry) => entries.push(entry),
            Err(error) => tracing::error!("upload journal {}: {error}", path.display()),
        }
    }
    entries.sort_by_key(|entry| entry.status.id);
    Ok(entries)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_brings_back_finished_and_unfinished_jobs() {
        let index = tempfile::tempdir().unwrap();
        let staging = index.path().join("staging");
        {
            let (table, unfinished) = JobTable::open(index.path()).unwrap();
            assert!(unfinished.is_empty());
            let first = table.next_id();
            table.insert(first, "P1");
            table.journal(first, &staging, &[], false).unwrap();
            table.update(first, |job| job.state = JobState::Done);
            table.journal(first, &staging, &[], false).unwrap();
            let second = table.next_id();
            table.insert(second, "P2");
            table
                .journal(second, &staging, &["P2-A".to_string()], false)
                .unwrap();
            table.update(second, |job| job.state = JobState::Running);
        }
        let (table, unfinished) = JobTable::open(index.path()).unwrap();
        assert_eq!(unfinished.len(), 1);
        assert_eq!(unfinished[0].publication_id, "P2");
        assert_eq!(unfinished[0].staging, staging);
        assert_eq!(unfinished[0].planned_ids, vec!["P2-A".to_string()]);
        let jobs = table.lock();
        assert_eq!(jobs[&1].state, JobState::Done);
        assert_eq!(jobs[&2].state, JobState::Queued);
        assert_eq!(jobs[&2].resumed, 1);
        drop(jobs);
        assert_eq!(table.next_id(), 3, "ids are not handed out twice");
    }
}
