//! `fn app(state) -> Router`: the routes; handlers only translate HTTP <-> [`crate::search`].
//!
//! Blocking tantivy work runs in `spawn_blocking`. Every error, including axum's own
//! rejections (404, 405), answers the JSON error shape of [`crate::error`].

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::{ApiError, Result};
use crate::html;
use crate::params::{decode_pairs, search_request_from_pairs};
use crate::search::{SearchResponse, SearchService};

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState {
    /// The search service over the index.
    pub search: Arc<SearchService>,
}

/// The OpenAPI description of the JSON API.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Builds the router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/healthz", get(healthz))
        .route("/api/search", get(api_search))
        .route("/api/openapi.json", get(openapi))
        .route("/api/complaints/stats", get(api_complaint_stats))
        .route("/api/documents/{id}", get(api_document))
        .route("/api/documents/{id}/pages/{page}", get(api_page))
        .route("/api/documents/{id}/file", get(api_file))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .with_state(state)
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal("handler panicked".to_string()).into_response()
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".to_string())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn healthz(State(state): State<AppState>) -> Response {
    let documents = state.search.table().entries.len();
    Json(serde_json::json!({"status": "ok", "documents": documents})).into_response()
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI_JSON,
    )
        .into_response()
}

/// Runs blocking work on the blocking pool, mapping a join failure to an internal error.
async fn blocking<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(format!("search task failed: {error}")))?
}

async fn run_search(
    state: &AppState,
    raw_query: Option<String>,
    extra: &'static [&'static str],
) -> Result<SearchResponse> {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or(""))?;
    let request = search_request_from_pairs(&pairs, extra)?;
    let search = state.search.clone();
    blocking(move || search.search(&request)).await
}

async fn api_search(
    State(state): State<AppState>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response> {
    let response = run_search(&state, raw_query, &[]).await?;
    let mut http_response = Json(response).into_response();
    http_response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(http_response)
}

/// `GET /api/complaints/stats?group=publisher,outcome,year`: complaint judgements counted by group.
async fn api_complaint_stats(
    State(state): State<AppState>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response> {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or(""))?;
    let mut keys: Vec<String> = Vec::new();
    for (name, value) in &pairs {
        if name != "group" {
            return Err(ApiError::invalid(
                name,
                format!("unknown parameter {name:?}; only group is accepted"),
            ));
        }
        keys.extend(
            value
                .split(',')
                .map(str::trim)
                .filter(|key| !key.is_empty())
                .map(str::to_string),
        );
    }
    let groups = crate::search::complaint_stats(&state.search.table(), &keys)?;
    let total: usize = groups.iter().map(|group| group.count).sum();
    Ok(Json(serde_json::json!({"total": total, "groups": groups})).into_response())
}

async fn api_document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let Some(document) = state.search.document(&id) else {
        return Err(ApiError::NotFound(format!("no document with id {id:?}")));
    };
    Ok(Json(html::public_document_json(&document)).into_response())
}

async fn api_page(
    State(state): State<AppState>,
    Path((id, page)): Path<(String, String)>,
) -> Result<Response> {
    let page_number: u32 = page.parse().map_err(|_| {
        ApiError::invalid("page", format!("page must be a page number, not {page:?}"))
    })?;
    let search = state.search.clone();
    let page_text = blocking(move || search.page_text(&id, page_number)).await?;
    Ok(Json(page_text).into_response())
}

async fn api_file(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let Some(document) = state.search.document(&id) else {
        return Err(ApiError::NotFound(format!("no document with id {id:?}")));
    };
    let bytes = tokio::fs::read(&document.file_path)
        .await
        .map_err(|error| {
            tracing::warn!(
                "file of document {id} unreadable at {}: {error}",
                document.file_path
            );
            ApiError::NotFound(format!(
                "the file of document {id:?} is no longer available"
            ))
        })?;
    let file_name = document
        .source
        .rsplit('/')
        .next()
        .unwrap_or("document.pdf")
        .replace(['"', '\\', '\r', '\n'], "_");
    let disposition = format!(
        "inline; filename=\"{}\"",
        file_name.replace(|c: char| !c.is_ascii(), "_")
    );
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

async fn search_page(State(state): State<AppState>, RawQuery(raw_query): RawQuery) -> Response {
    let pairs = match decode_pairs(raw_query.as_deref().unwrap_or("")) {
        Ok(pairs) => pairs,
        Err(error) => return html_error(&[], &error),
    };
    let language = html::UiLanguage::from_pairs(&pairs);
    let result = run_search(&state, raw_query, html::HTML_EXTRA_PARAMETERS).await;
    match result {
        Ok(response) => {
            Html(html::render_search_page(&pairs, &response, None, language)).into_response()
        }
        Err(error) => html_error(&pairs, &error),
    }
}

fn html_error(pairs: &[(String, String)], error: &ApiError) -> Response {
    let language = html::UiLanguage::from_pairs(pairs);
    let empty = SearchResponse {
        total: 0,
        took_ms: 0.0,
        results: Vec::new(),
        facets: Default::default(),
    };
    let status = if error.status() == StatusCode::INTERNAL_SERVER_ERROR {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    (
        status,
        Html(html::render_search_page(
            pairs,
            &empty,
            Some(error),
            language,
        )),
    )
        .into_response()
}
