//! `GET /api/admin/redaction-leaks` (scope `retract`): the documents whose files hold words
//! under a black box drawn after them (failed redactions), so the publisher can retract them
//! and publish properly redacted files. The words are not indexed and the files are not
//! served (`GET /api/documents/{id}/file` answers 403 `withheld` for them).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::auth::{authorize, Scope};
use super::AdminRouteState;
use crate::error::Result;

/// One document with a failed redaction.
#[derive(Debug, Serialize)]
struct LeakingDocument {
    id: String,
    title: String,
    source: String,
    publication_id: Option<String>,
    covered_words: u32,
}

/// The answer: every document with covered words, most words first.
#[derive(Debug, Serialize)]
struct LeakAnswer {
    documents: Vec<LeakingDocument>,
}

pub(super) async fn redaction_leaks(
    State(state): State<AdminRouteState>,
    headers: HeaderMap,
) -> Result<Response> {
    authorize(&state, &headers, Scope::Retract)?;
    let table = state.search.table();
    let mut documents: Vec<LeakingDocument> = table
        .entries
        .iter()
        .filter(|entry| entry.stored.fields.covered_words > 0)
        .map(|entry| LeakingDocument {
            id: entry.stored.fields.id.clone(),
            title: entry.stored.fields.title.clone(),
            source: entry.stored.fields.source.clone(),
            publication_id: entry.stored.fields.publication_id.clone(),
            covered_words: entry.stored.fields.covered_words,
        })
        .collect();
    documents.sort_by(|a, b| b.covered_words.cmp(&a.covered_words).then(a.id.cmp(&b.id)));
    Ok(Json(LeakAnswer { documents }).into_response())
}
