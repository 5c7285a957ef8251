//! Retraction: `DELETE /api/admin/documents/{id}` and `DELETE /api/admin/publications/{id}`
//! (scope `retract`), body `{"reason": "...", "explanation": "..."}`. The public 410 answer
//! for a retracted document is `crate::search::missing_document`, which needs no indexer.
//!
//! A retraction persists the tombstone (fsynced), commits the delete, fsyncs the index
//! directory, reloads the reader and deletes the stored upload files — then answers 200. A
//! merge + garbage collection runs afterwards in the background so the bytes leave the disk.

use std::path::Path;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path as UrlPath, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use woo_core::model::StoredDocument;
use woo_core::retraction::{
    is_known_reason, now_rfc3339, RetractionKind, RetractionList, Tombstone, RETRACTION_REASONS,
};

use super::auth::{authorize, Scope};
use super::upload::is_safe_publication_id;
use super::{writer_in, AdminRouteState, AdminState};
use crate::error::{ApiError, Result};
use crate::search::SearchService;

/// Largest body of a retraction request.
const MAX_RETRACTION_BODY_BYTES: usize = 64 * 1024;

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

/// `DELETE /api/admin/documents/{id}`.
pub(super) async fn retract_document(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    retract(state, headers, RetractionKind::Document, id, body).await
}

/// `DELETE /api/admin/publications/{id}`: the publication and all its documents.
pub(super) async fn retract_publication(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Response> {
    retract(state, headers, RetractionKind::Publication, id, body).await
}

async fn retract(
    state: AdminRouteState,
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
    let affected: Vec<StoredDocument> = table
        .entries
        .iter()
        .filter(|entry| match tombstone.kind {
            RetractionKind::Document => entry.stored.fields.id == tombstone.id,
            RetractionKind::Publication => {
                entry.stored.fields.publication_id.as_deref() == Some(tombstone.id.as_str())
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
                    .map(|document| document.fields.id.clone())
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
        documents: affected
            .into_iter()
            .map(|document| document.fields.id)
            .collect(),
        opstamp,
    })
}

/// Deletes the uploaded copies of retracted documents (files outside the files directory,
/// indexed from the operator's own folders, are left alone).
fn delete_stored_files(files_dir: &Path, tombstone: &Tombstone, affected: &[StoredDocument]) {
    for document in affected {
        let path = Path::new(&document.fields.file_path);
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
