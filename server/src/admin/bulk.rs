//! `POST /api/admin/bulk` (scope `load`): a stream of publication records as NDJSON, for API
//! integrations that put the PDFs on the server first.
//!
//! Each line is one publication in the `publication.json` shape ([`PublicationMetadata`]),
//! whose `documents[].file` names a file already on the server: relative to the files
//! directory (`--files`), or, with `"job": N`, relative to the folder of the publication that
//! upload job N unpacked. Two extra fields: `"republish": true` removes the tombstones of a
//! retracted publication (and of its listed document ids) on purpose; without it a retracted
//! id answers 409 `retracted`. `"take_over": true` (with a token that also has the `retract`
//! scope) lets the record write document ids that belong to another publication; without it
//! such an id answers 409 `id_conflict` ([`super::ownership`]). Document ids must be safe
//! ([`super::ownership::is_safe_document_id`]: no `/`, `\\`, `..` or control characters).
//!
//! Every record is handled like an upload ([`super::upload`]): the referenced files are
//! hard-linked (or copied) with a `publication.json` into a staging folder that replaces the
//! publication's folder, and the indexer deletes the publication's old documents and writes
//! the new ones in **one commit** (then fsyncs the index directory). So a record is
//! idempotent by publication id (sending it again replaces it) and never half-present after a
//! crash. The reader is reloaded once, after the last record, before the answer: every record
//! reported `200` is committed, durable and searchable when the answer arrives.
//!
//! Bounds: body at most [`MAX_BULK_BODY_BYTES`] (413 `payload_too_large`), at most
//! [`MAX_BULK_RECORDS`] records (413), a line at most [`MAX_BULK_LINE_BYTES`] (that record
//! 413), at most [`MAX_ARCHIVE_ENTRIES`] documents per record. The answer is 200 with one
//! result per non-empty line, in order: `{"line", "id", "status", "documents", "failures",
//! "error": {"code", "message"}}`, where `status` is the HTTP status the record alone would
//! have had (200, 400, 404, 409, 413, 500).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use woo_core::retraction::RetractionList;
use woo_indexer::ingest::{FileReport, FileStatus};
use woo_indexer::metadata::PublicationMetadata;

use super::auth::{authorize, Scope};
use super::jobs::JobState;
use super::ownership::{check_named_ids, foreign_ids, planned_ids, refuse_foreign_ids};
use super::upload::{
    index_upload, is_document_file_name, is_safe_entry_name, is_safe_publication_id, UploadRun,
    MAX_ARCHIVE_ENTRIES,
};
use super::{AdminRouteState, AdminState};
use crate::error::{body_bytes, ApiError, Result};
use crate::search::SearchService;

/// Largest bulk request body.
pub const MAX_BULK_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Largest record line.
pub const MAX_BULK_LINE_BYTES: usize = 1024 * 1024;
/// Most records in one request.
pub const MAX_BULK_RECORDS: usize = 1_000;

/// The error part of a record result.
#[derive(Debug, Serialize)]
pub struct RecordError {
    /// Machine code, as in the API's error bodies (`invalid_body`, `not_found`, `retracted`...).
    pub code: &'static str,
    /// What is wrong, naming the record and file.
    pub message: String,
}

/// What happened to one record.
#[derive(Debug, Serialize)]
pub struct RecordResult {
    /// Line number in the request body (from 1).
    pub line: usize,
    /// The publication id, when the record had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The HTTP status this record alone would have had.
    pub status: u16,
    /// Documents written.
    pub documents: usize,
    /// Files that could not be indexed (the rest of the publication is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<FileReport>,
    /// Why the record was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordError>,
}

/// The answer of a bulk request.
#[derive(Debug, Serialize)]
pub struct BulkAnswer {
    /// Records written (status 200).
    pub indexed: usize,
    /// Records refused.
    pub failed: usize,
    /// One result per record, in order.
    pub records: Vec<RecordResult>,
}

/// `POST /api/admin/bulk`: every record in order, answered 200 with one result per record.
pub(super) async fn bulk_load(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let (admin, _actor) = authorize(&state, &headers, Scope::Load)?;
    let may_take_over = authorize(&state, &headers, Scope::Retract).is_ok();
    let bytes = body_bytes(
        body,
        format!("a bulk request is at most {MAX_BULK_BODY_BYTES} bytes"),
    )?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::InvalidBody("the bulk body is not UTF-8".to_string()))?;
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line.to_string()))
        .collect();
    if lines.is_empty() {
        return Err(ApiError::InvalidBody(
            "the bulk body holds no records (one JSON publication per line)".to_string(),
        ));
    }
    if lines.len() > MAX_BULK_RECORDS {
        return Err(ApiError::PayloadTooLarge(format!(
            "a bulk request holds at most {MAX_BULK_RECORDS} records, not {}",
            lines.len()
        )));
    }
    let search = state.search.clone();
    let answer =
        tokio::task::spawn_blocking(move || load_records(&admin, &search, &lines, may_take_over))
            .await
            .map_err(|error| ApiError::Internal(format!("bulk task failed: {error}")))?;
    Ok(Json(answer).into_response())
}

/// Handles every record in order, then reloads the reader once.
fn load_records(
    admin: &AdminState,
    search: &SearchService,
    lines: &[(usize, String)],
    may_take_over: bool,
) -> BulkAnswer {
    let mut records = Vec::new();
    // Ids written by earlier records of this request (the reader is reloaded only at the end).
    let mut written = BTreeMap::new();
    for (line_number, line) in lines {
        let context = RecordContext {
            line_number: *line_number,
            may_take_over,
        };
        records.push(load_record(admin, search, &context, line, &mut written));
    }
    let indexed = records.iter().filter(|record| record.status == 200).count();
    if indexed > 0 {
        if let Err(error) = search.reload() {
            // The commits are durable; the periodic reload will pick them up.
            tracing::error!("reload after bulk load failed: {error}");
        }
    }
    BulkAnswer {
        indexed,
        failed: records.len() - indexed,
        records,
    }
}

/// One parsed record: the publication, its files on disk, and the extra fields.
struct BulkRecord {
    publication: PublicationMetadata,
    /// (reference as written in the record, file on disk) per document.
    files: Vec<(String, PathBuf)>,
    republish: bool,
    take_over: bool,
}

/// Where a record stands in its request.
struct RecordContext {
    line_number: usize,
    /// Whether the token has the `retract` scope (needed for `"take_over": true`).
    may_take_over: bool,
}

fn load_record(
    admin: &AdminState,
    search: &SearchService,
    context: &RecordContext,
    line: &str,
    written: &mut BTreeMap<String, String>,
) -> RecordResult {
    let line_number = context.line_number;
    let mut result = RecordResult {
        line: line_number,
        id: None,
        status: 200,
        documents: 0,
        failures: Vec::new(),
        error: None,
    };
    let outcome = parse_record(admin, line_number, line, &mut result.id)
        .and_then(|record| write_record(admin, search, context, record, written));
    match outcome {
        Ok((documents, failures)) => {
            result.documents = documents;
            result.failures = failures;
        }
        Err(error) => {
            if let ApiError::Internal(cause) = &error {
                tracing::error!("bulk record on line {line_number}: {cause}");
            }
            result.status = error.status().as_u16();
            result.error = Some(RecordError {
                code: error.code(),
                message: match &error {
                    ApiError::Internal(_) => format!("line {line_number}: internal error"),
                    other => other.to_string(),
                },
            });
        }
    }
    result
}

fn invalid(line_number: usize, message: impl std::fmt::Display) -> ApiError {
    ApiError::InvalidBody(format!("line {line_number}: {message}"))
}

/// Parses and checks one record line; `id` gets the publication id as soon as it is known.
fn parse_record(
    admin: &AdminState,
    line_number: usize,
    line: &str,
    id: &mut Option<String>,
) -> Result<BulkRecord> {
    if line.len() > MAX_BULK_LINE_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "line {line_number}: a record is at most {MAX_BULK_LINE_BYTES} bytes"
        )));
    }
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|error| invalid(line_number, format!("not JSON: {error}")))?;
    let serde_json::Value::Object(mut object) = value else {
        return Err(invalid(line_number, "a record is a JSON object"));
    };
    if let Some(serde_json::Value::String(text)) = object.get("id") {
        *id = Some(text.clone());
    }
    let republish = match object.remove("republish") {
        None => false,
        Some(serde_json::Value::Bool(flag)) => flag,
        Some(_) => return Err(invalid(line_number, "\"republish\" must be true or false")),
    };
    let take_over = match object.remove("take_over") {
        None => false,
        Some(serde_json::Value::Bool(flag)) => flag,
        Some(_) => return Err(invalid(line_number, "\"take_over\" must be true or false")),
    };
    let job = match object.remove("job") {
        None => None,
        Some(value) => Some(
            value
                .as_u64()
                .ok_or_else(|| invalid(line_number, "\"job\" must be an upload job number"))?,
        ),
    };
    let publication: PublicationMetadata =
        serde_json::from_value(serde_json::Value::Object(object))
            .map_err(|error| invalid(line_number, error))?;
    if !is_safe_publication_id(&publication.id) {
        return Err(invalid(
            line_number,
            format!(
                "publication id {:?} may only hold letters, digits, '.', '_' and '-'",
                publication.id
            ),
        ));
    }
    let named: Vec<_> = publication.documents.iter().collect();
    check_named_ids(&publication.id, &named).map_err(|message| invalid(line_number, message))?;
    if publication.documents.is_empty() {
        return Err(invalid(
            line_number,
            format!("publication {:?} lists no documents", publication.id),
        ));
    }
    if publication.documents.len() > MAX_ARCHIVE_ENTRIES {
        return Err(ApiError::PayloadTooLarge(format!(
            "line {line_number}: a record lists at most {MAX_ARCHIVE_ENTRIES} documents"
        )));
    }
    let base = match job {
        None => admin.config.files_dir.clone(),
        Some(job_id) => job_folder(admin, line_number, job_id)?,
    };
    let files_root = std::fs::canonicalize(&admin.config.files_dir)
        .map_err(|error| ApiError::Internal(format!("files directory: {error}")))?;
    let mut files = Vec::new();
    for document in &publication.documents {
        let Some(reference) = &document.file else {
            return Err(invalid(line_number, "every document needs a \"file\""));
        };
        files.push((
            reference.clone(),
            resolve_file(&files_root, &base, line_number, reference)?,
        ));
    }
    Ok(BulkRecord {
        publication,
        files,
        republish,
        take_over,
    })
}

/// The folder an upload job unpacked (the job must be done).
fn job_folder(admin: &AdminState, line_number: usize, job_id: u64) -> Result<PathBuf> {
    let jobs = admin.jobs.lock();
    let Some(job) = jobs.get(&job_id) else {
        return Err(ApiError::NotFound(format!(
            "line {line_number}: no upload job {job_id}"
        )));
    };
    if job.state != JobState::Done {
        return Err(invalid(
            line_number,
            format!("upload job {job_id} is {}, not done", job.state.as_str()),
        ));
    }
    Ok(admin.config.files_dir.join(&job.publication_id))
}

/// A file reference -> the file on disk, refusing anything outside the files directory
/// (`..`, absolute paths, hidden staging folders, symlinks leading out).
fn resolve_file(
    files_root: &Path,
    base: &Path,
    line_number: usize,
    reference: &str,
) -> Result<PathBuf> {
    let hidden = reference
        .split('/')
        .any(|component| component.starts_with('.'));
    if !is_safe_entry_name(reference) || hidden || !is_document_file_name(reference) {
        return Err(invalid(
            line_number,
            format!(
                "file {reference:?} is not a relative path to a document (PDF, docx, e-mail…) inside the files directory"
            ),
        ));
    }
    let not_found = || {
        ApiError::NotFound(format!(
            "line {line_number}: file {reference:?} is not in the files directory"
        ))
    };
    let path = std::fs::canonicalize(base.join(reference)).map_err(|_| not_found())?;
    if !path.starts_with(files_root) || !path.is_file() {
        return Err(not_found());
    }
    Ok(path)
}

/// Stages the record's files and `publication.json`, then indexes it as one commit.
/// Returns (documents written, files that failed).
fn write_record(
    admin: &AdminState,
    search: &SearchService,
    context: &RecordContext,
    record: BulkRecord,
    written: &mut BTreeMap<String, String>,
) -> Result<(usize, Vec<FileReport>)> {
    let publication_id = record.publication.id.clone();
    let owned_ids = check_record_ownership(search, context, &record, written)?;
    let list = RetractionList::load(&admin.config.index_dir)?;
    let mut covered: Vec<String> = Vec::new();
    if list.publication(&publication_id).is_some() {
        covered.push(publication_id.clone());
    }
    for document in &record.publication.documents {
        if let Some(document_id) = &document.id {
            if list.document(document_id).is_some() {
                covered.push(document_id.clone());
            }
        }
    }
    if !covered.is_empty() && !record.republish {
        let tombstone = list
            .publication(&publication_id)
            .or_else(|| covered.first().and_then(|id| list.document(id)));
        let reason = tombstone.map_or_else(String::new, |tombstone| tombstone.message());
        return Err(ApiError::Retracted {
            message: format!(
                "{reason}; send the record with \"republish\": true to publish it again on purpose"
            ),
            conflict: true,
        });
    }
    let job_id = admin.jobs.next_id();
    let staging = admin
        .config
        .files_dir
        .join(format!(".bulk-{job_id}-{publication_id}"));
    if let Err(error) = stage_record(&record, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(ApiError::Internal(format!(
            "cannot stage publication {publication_id:?}: {error}"
        )));
    }
    admin.jobs.insert(job_id, &publication_id);
    admin
        .jobs
        .update(job_id, |job| job.state = JobState::Running);
    let run = UploadRun {
        republish: covered,
        reload: false,
        owned_ids: owned_ids.clone(),
        take_over: record.take_over,
    };
    let outcome = index_upload(admin, search, job_id, &publication_id, &staging, run);
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let documents = match outcome {
        Ok(documents) => documents,
        Err(error) => {
            admin.jobs.update(job_id, |job| {
                job.state = JobState::Failed;
                job.error = Some(error.to_string());
            });
            return Err(match error {
                ApiError::Internal(cause) => {
                    ApiError::Internal(format!("publication {publication_id:?}: {cause}"))
                }
                other => other,
            });
        }
    };
    for id in owned_ids {
        written.insert(id, publication_id.clone());
    }
    let mut failures = Vec::new();
    admin.jobs.update(job_id, |job| {
        job.state = JobState::Done;
        job.documents = documents;
        failures = job
            .reports
            .iter()
            .filter(|report| report.status == FileStatus::Failed)
            .cloned()
            .collect();
    });
    Ok((documents, failures))
}

/// The ids the record will write; refuses (409) ids of another publication, in the index or
/// written by an earlier record of this request, unless the record may take them over.
fn check_record_ownership(
    search: &SearchService,
    context: &RecordContext,
    record: &BulkRecord,
    written: &BTreeMap<String, String>,
) -> Result<Vec<String>> {
    let publication_id = &record.publication.id;
    if record.take_over && !context.may_take_over {
        return Err(ApiError::Forbidden(format!(
            "line {}: \"take_over\" needs a token with the retract scope",
            context.line_number
        )));
    }
    let references: Vec<String> = record
        .files
        .iter()
        .map(|(reference, _)| reference.clone())
        .collect();
    let planned = planned_ids(&record.publication, &references, &BTreeMap::new());
    let owned_ids: Vec<String> = planned.into_values().collect();
    if record.take_over {
        return Ok(owned_ids);
    }
    let mut foreign = foreign_ids(search, publication_id, &owned_ids);
    for id in &owned_ids {
        match written.get(id) {
            Some(owner) if owner != publication_id => {
                foreign.push((id.clone(), Some(owner.clone())))
            }
            _ => {}
        }
    }
    refuse_foreign_ids(publication_id, &foreign)?;
    Ok(owned_ids)
}

/// Writes `publication.json` and links (or copies) every referenced file under its reference.
fn stage_record(record: &BulkRecord, staging: &Path) -> std::io::Result<()> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)?;
    }
    std::fs::create_dir_all(staging)?;
    for (reference, source) in &record.files {
        let target = staging.join(reference);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if target.exists() {
            continue; // the same file listed twice
        }
        if std::fs::hard_link(source, &target).is_err() {
            std::fs::copy(source, &target)?;
        }
    }
    let json = serde_json::to_vec_pretty(&record.publication).map_err(std::io::Error::other)?;
    std::fs::write(staging.join("publication.json"), json)?;
    Ok(())
}
