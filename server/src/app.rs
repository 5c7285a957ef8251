//! `fn app(state) -> Router`: the routes; handlers only translate HTTP <-> [`crate::search`].
//!
//! Blocking tantivy work runs in `spawn_blocking`. Every error, including axum's own
//! rejections (404, 405), answers the JSON error shape of [`crate::error`].

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

#[cfg(feature = "admin")]
use crate::admin::{AdminRouteState, AdminState};
use crate::complaints;
use crate::error::{body_bytes, ApiError, Result};
use crate::export::{self, ExportFormat};
use crate::html::{self, error_page_response};
use crate::params::{decode_pairs, search_request_from_pairs};
use crate::rate_limit::RateLimit;
use crate::search::{missing_document, SearchRequest, SearchResponse, SearchService, SortOrder};
use futures_util::StreamExt;

/// Shared state of the app.
#[derive(Clone)]
pub struct AppState {
    /// The search service over the index.
    pub search: Arc<SearchService>,
    /// The admin API's writer, tokens and jobs; `None` when serving read-only (every admin
    /// route then answers 401). Without the `admin` feature there are no admin routes (404).
    #[cfg(feature = "admin")]
    pub admin: Option<Arc<AdminState>>,
    /// The request rate limit per client address; `None`: no limit.
    pub rate_limit: Option<Arc<RateLimit>>,
    /// The server's public address (`https://woo.example.nl`, no trailing `/`; see
    /// [`export::public_base_url`]): the start of the absolute URLs of exports and the feed.
    /// `None`: those URLs are relative (`/documents/{id}`). Never taken from the request's
    /// `Host` header, which the client chooses.
    pub public_url: Option<String>,
}

/// Largest `POST /api/search` body.
pub const MAX_SEARCH_BODY_BYTES: usize = 64 * 1024;

/// The OpenAPI description of the JSON API.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Builds the router.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .route("/", get(search_page))
        .route("/healthz", get(healthz))
        .route(
            "/api/search",
            get(api_search)
                .post(api_search_post)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_SEARCH_BODY_BYTES)),
        )
        .route("/api/openapi.json", get(openapi))
        .route(html::STYLE_SHEET_PATH, get(style_sheet))
        .route("/api/complaints/stats", get(api_complaint_stats))
        .route("/complaints", get(complaints_page))
        .route("/api/documents/{id}", get(api_document))
        .route("/api/documents/{id}/pages/{page}", get(api_page))
        .route("/api/documents/{id}/file", get(api_file))
        .route("/api/documents/{id}/compare/{other}", get(api_compare))
        .route("/documents/{id}/compare/{other}", get(compare_page))
        .route("/api/threads/{id}", get(api_thread))
        .route("/threads/{id}", get(thread_page))
        .route("/api/export", get(api_export))
        .route("/documents/{id}", get(document_page))
        .route("/feed", get(feed));
    #[cfg(feature = "admin")]
    let router = router.merge(admin_routes(&state));
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(refuse_undecodable_paths))
        .layer(axum::middleware::from_fn_with_state(
            state.rate_limit.clone(),
            crate::rate_limit::limit_requests,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ));
    crate::headers::with_response_headers(router).with_state(state)
}

/// The admin routes, handed the search service and the admin state of `state`.
#[cfg(feature = "admin")]
fn admin_routes(state: &AppState) -> Router<AppState> {
    let admin_state = AdminRouteState {
        search: state.search.clone(),
        admin: state.admin.clone(),
    };
    crate::admin::routes().with_state(admin_state)
}

/// Answers 400 `invalid_encoding` to a path whose percent-decoding is not UTF-8
/// (`/api/documents/%FF%FE`), on every route (axum's own `Path` rejection would answer plain
/// text): JSON under `/api/` and for `/healthz`, an HTML message page elsewhere.
async fn refuse_undecodable_paths(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    if percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .is_ok()
    {
        return next.run(request).await;
    }
    let error = ApiError::InvalidEncoding {
        param: "path".to_string(),
    };
    if path.starts_with("/api/") || path == "/healthz" {
        return error.into_response();
    }
    let pairs = decode_pairs(request.uri().query().unwrap_or("")).unwrap_or_default();
    let language = html::UiLanguage::from_pairs(&pairs);
    html_message(StatusCode::BAD_REQUEST, &error.to_string(), language)
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
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(crate::headers::PUBLIC_CACHE_CONTROL),
            ),
        ],
        OPENAPI_JSON,
    )
        .into_response()
}

/// The pages' one style sheet (a file, not inline: the Content-Security-Policy allows no
/// inline style).
async fn style_sheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(crate::headers::PUBLIC_CACHE_CONTROL),
            ),
        ],
        html::STYLE,
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
    search_blocking(state, request).await
}

/// Runs a parsed search request on the blocking pool.
async fn search_blocking(state: &AppState, request: SearchRequest) -> Result<SearchResponse> {
    let search = state.search.clone();
    blocking(move || search.search(&request)).await
}

/// A search answer as JSON that caches must not keep (the index changes under it).
fn search_json(response: SearchResponse) -> Response {
    let mut http_response = Json(response).into_response();
    http_response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    http_response
}

async fn api_search(
    State(state): State<AppState>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response> {
    Ok(search_json(run_search(&state, raw_query, &[]).await?))
}

/// `POST /api/search`: the parameters of `GET /api/search` as a JSON object (for queries
/// too long for a URL in some clients, and for integrations that build JSON).
async fn api_search_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response> {
    if !is_json(&headers) {
        return Err(ApiError::UnsupportedMediaType(
            "POST /api/search takes a JSON object (Content-Type: application/json)".to_string(),
        ));
    }
    let bytes = body_bytes(
        body,
        format!("a search body is at most {MAX_SEARCH_BODY_BYTES} bytes"),
    )?;
    let pairs = crate::params::pairs_from_json(&bytes)?;
    let request = search_request_from_pairs(&pairs, &[])?;
    Ok(search_json(search_blocking(&state, request).await?))
}

/// Whether the request says its body is JSON (`application/json`, parameters allowed).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// `GET /api/complaints/stats?q=…&<filters>&group=…&format=json|csv&section=…`: the
/// complaint patterns of a search (JSON), or one section of them as CSV.
async fn api_complaint_stats(
    State(state): State<AppState>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response> {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or(""))?;
    let query = complaints::complaint_query_from_pairs(&pairs, &[])?;
    let search = state.search.clone();
    let format = query.format;
    let section = query.section.clone().unwrap_or_default();
    let answer = blocking(move || complaints::complaint_answer(&search, &query)).await?;
    if format == complaints::StatsFormat::Json {
        let mut response = Json(answer).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    let csv = complaints::section_csv(&answer, &section);
    let disposition = format!("attachment; filename=\"klachten-{section}.csv\"");
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /complaints?q=…&<filters>`: the complaint patterns page (HTML; errors as HTML pages).
async fn complaints_page(State(state): State<AppState>, RawQuery(raw_query): RawQuery) -> Response {
    let pairs = match decode_pairs(raw_query.as_deref().unwrap_or("")) {
        Ok(pairs) => pairs,
        Err(error) => {
            return html_message(error.status(), &error.to_string(), html::UiLanguage::Dutch)
        }
    };
    let language = html::UiLanguage::from_pairs(&pairs);
    let query = match complaints::complaint_query_from_pairs(&pairs, html::HTML_EXTRA_PARAMETERS) {
        Ok(query) => query,
        Err(error) => return html_message(error.status(), &error.to_string(), language),
    };
    let search = state.search.clone();
    match blocking(move || complaints::complaint_answer(&search, &query)).await {
        Ok(answer) => Html(crate::complaints_page::render_complaints_page(
            &pairs, &answer, language,
        ))
        .into_response(),
        Err(error) => html_message(error.status(), &error.to_string(), language),
    }
}

async fn api_document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let Some(document) = state.search.document(&id) else {
        return Err(missing_document(&state.search, &id));
    };
    let mut answer = html::public_document_json(&document);
    answer["duplicates"] = serde_json::to_value(state.search.duplicates_of(&id))
        .unwrap_or_else(|_| serde_json::json!([]));
    answer["thread"] = match state.search.thread_of(&id) {
        Some((thread, messages)) => serde_json::json!({ "id": thread, "messages": messages }),
        None => serde_json::Value::Null,
    };
    Ok(Json(answer).into_response())
}

/// `GET /api/threads/{id}`: an e-mail thread's messages in time order.
async fn api_thread(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let search = state.search.clone();
    let wanted = id.clone();
    let thread = blocking(move || Ok(search.email_thread(&wanted))).await?;
    match thread {
        Some(thread) => Ok(Json(thread).into_response()),
        None => Err(ApiError::NotFound(format!(
            "no e-mail thread with id {id:?}"
        ))),
    }
}

/// `/threads/{id}`: the thread page.
async fn thread_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or("")).unwrap_or_default();
    let language = html::UiLanguage::from_pairs(&pairs);
    let search = state.search.clone();
    let wanted = id.clone();
    match blocking(move || Ok(search.email_thread(&wanted))).await {
        Ok(Some(thread)) => {
            Html(crate::threads_page::render_thread_page(&thread, language)).into_response()
        }
        Ok(None) => {
            let message = format!("no e-mail thread with id {id:?}");
            html_message(StatusCode::NOT_FOUND, &message, language)
        }
        Err(error) => html_message(error.status(), &error.to_string(), language),
    }
}

/// `GET /api/documents/{id}/compare/{other}`: the redaction differences of two documents.
async fn api_compare(
    State(state): State<AppState>,
    Path((id, other)): Path<(String, String)>,
) -> Result<Response> {
    for wanted in [&id, &other] {
        if state.search.document(wanted).is_none() {
            return Err(missing_document(&state.search, wanted));
        }
    }
    let search = state.search.clone();
    let comparison = blocking(move || search.compare(&id, &other)).await?;
    Ok(Json(comparison).into_response())
}

/// `/documents/{id}/compare/{other}`: the comparison page.
async fn compare_page(
    State(state): State<AppState>,
    Path((id, other)): Path<(String, String)>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or("")).unwrap_or_default();
    let language = html::UiLanguage::from_pairs(&pairs);
    for wanted in [&id, &other] {
        if state.search.document(wanted).is_none() {
            let message = format!("no document with id {wanted:?}");
            return html_message(StatusCode::NOT_FOUND, &message, language);
        }
    }
    let search = state.search.clone();
    match blocking(move || search.compare(&id, &other)).await {
        Ok(comparison) => Html(crate::duplicates_page::render_compare_page(
            &comparison,
            language,
        ))
        .into_response(),
        Err(error) => html_message(error.status(), &error.to_string(), language),
    }
}

async fn api_page(
    State(state): State<AppState>,
    Path((id, page)): Path<(String, String)>,
) -> Result<Response> {
    let page_number: u32 = page.parse().map_err(|_| {
        ApiError::invalid("page", format!("page must be a page number, not {page:?}"))
    })?;
    if state.search.document(&id).is_none() {
        return Err(missing_document(&state.search, &id));
    }
    let search = state.search.clone();
    let page_text = blocking(move || search.page_text(&id, page_number)).await?;
    Ok(Json(page_text).into_response())
}

async fn api_file(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response> {
    let Some(document) = state.search.document(&id) else {
        return Err(missing_document(&state.search, &id));
    };
    if document.fields.covered_words > 0 {
        // The file still holds what its black boxes seem to hide: not served from here.
        return Err(ApiError::Withheld(format!(
            "the file of document {id:?} holds {} words under redaction boxes; it is withheld until the publisher replaces it",
            document.fields.covered_words
        )));
    }
    let bytes = tokio::fs::read(&document.fields.file_path)
        .await
        .map_err(|error| {
            tracing::warn!(
                "file of document {id} unreadable at {}: {error}",
                document.fields.file_path
            );
            ApiError::NotFound(format!(
                "the file of document {id:?} is no longer available"
            ))
        })?;
    // The file on disk: for an attachment or archive member, the file it came in.
    let file_part = document
        .fields
        .source
        .split_once('#')
        .map_or(document.fields.source.as_str(), |(file, _)| file);
    let file_name = file_part
        .rsplit('/')
        .next()
        .unwrap_or("document.pdf")
        .replace(['"', '\\', '\r', '\n'], "_");
    // PDFs are shown inline; every other format is a download (an HTML file shown inline
    // would run in our origin but for the sandbox below).
    let is_pdf = file_name.to_ascii_lowercase().ends_with(".pdf");
    let (content_type, disposition_kind) = if is_pdf {
        ("application/pdf", "inline")
    } else {
        ("application/octet-stream", "attachment")
    };
    let disposition = format!(
        "{disposition_kind}; filename=\"{}\"",
        file_name.replace(|c: char| !c.is_ascii(), "_")
    );
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Inline (the document page shows it in its iframe), but sandboxed: whatever script
    // the PDF holds runs, if at all, in an opaque origin, never in ours.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::headers::PDF_CONTENT_SECURITY_POLICY),
    );
    Ok(response)
}

async fn search_page(State(state): State<AppState>, RawQuery(raw_query): RawQuery) -> Response {
    let pairs = match decode_pairs(raw_query.as_deref().unwrap_or("")) {
        Ok(pairs) => pairs,
        Err(error) => return error_page_response(&[], &error),
    };
    let language = html::UiLanguage::from_pairs(&pairs);
    let result = run_search(&state, raw_query, html::HTML_EXTRA_PARAMETERS).await;
    match result {
        Ok(response) => {
            Html(html::render_search_page(&pairs, &response, None, language)).into_response()
        }
        Err(error) => error_page_response(&pairs, &error),
    }
}

/// Rows rendered per streamed chunk of an export.
const EXPORT_ROWS_PER_CHUNK: usize = 200;

/// `GET /api/export?format=csv|json&q=...&<filters>`: every matching document (at most
/// [`export::EXPORT_LIMIT`]) in result order, streamed in chunks.
async fn api_export(
    State(state): State<AppState>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response> {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or(""))?;
    let format_values: Vec<&str> = pairs
        .iter()
        .filter(|(name, _)| name == "format")
        .map(|(_, value)| value.as_str())
        .collect();
    if format_values.len() > 1 {
        return Err(ApiError::invalid(
            "format",
            "parameter \"format\" is given more than once",
        ));
    }
    let format_value = format_values.first().copied().unwrap_or("csv");
    let Some(format) = ExportFormat::parse(format_value) else {
        return Err(ApiError::invalid(
            "format",
            format!("format must be csv or json, not {format_value:?}"),
        ));
    };
    let request = search_request_from_pairs(&pairs, &["format", "lang"])?;
    let search = state.search.clone();
    let (total, results) =
        blocking(move || search.all_matching(&request, export::EXPORT_LIMIT)).await?;
    let truncated = total > results.len();
    let base = state.public_url.clone().unwrap_or_default();
    let results = Arc::new(results);
    let chunk_count = results.len().div_ceil(EXPORT_ROWS_PER_CHUNK);
    // Piece 0 opens the file, pieces 1..=chunk_count are the rows, the last piece closes it.
    let pieces = futures_util::stream::iter(0..chunk_count + 2).map(move |piece| {
        let text = export_piece(format, &results, &base, piece, chunk_count);
        Ok::<String, std::convert::Infallible>(text)
    });
    let mut response = Response::new(Body::from_stream(pieces));
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", format.file_name()))
    {
        response_headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response_headers.insert("x-total-count", HeaderValue::from(total));
    response_headers.insert("x-export-limit", HeaderValue::from(export::EXPORT_LIMIT));
    response_headers.insert(
        "x-export-truncated",
        HeaderValue::from_static(if truncated { "true" } else { "false" }),
    );
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// One piece of a streamed export: the opening, a chunk of rows, or the closing.
fn export_piece(
    format: ExportFormat,
    results: &[crate::search::SearchResult],
    base: &str,
    piece: usize,
    chunk_count: usize,
) -> String {
    if piece == 0 {
        return match format {
            ExportFormat::Csv => export::csv_header(),
            ExportFormat::Json => "[".to_string(),
        };
    }
    if piece > chunk_count {
        return match format {
            ExportFormat::Csv => String::new(),
            ExportFormat::Json => "\n]\n".to_string(),
        };
    }
    let first_row = (piece - 1) * EXPORT_ROWS_PER_CHUNK;
    let rows = results
        .iter()
        .enumerate()
        .skip(first_row)
        .take(EXPORT_ROWS_PER_CHUNK);
    let mut text = String::new();
    for (row_number, result) in rows {
        match format {
            ExportFormat::Csv => text.push_str(&export::csv_row(result, base)),
            ExportFormat::Json => {
                text.push_str(if row_number == 0 { "\n" } else { ",\n" });
                text.push_str(&export::json_object(result, base).to_string());
            }
        }
    }
    text
}

/// `GET /feed?q=...&<filters>`: the newest [`export::FEED_ENTRIES`] matching documents as Atom.
async fn feed(State(state): State<AppState>, RawQuery(raw_query): RawQuery) -> Result<Response> {
    let raw = raw_query.unwrap_or_default();
    let pairs = decode_pairs(&raw)?;
    let mut request = search_request_from_pairs(&pairs, &["lang"])?;
    request.sort = SortOrder::DateNewestFirst;
    let query = request.query.clone();
    let search = state.search.clone();
    let (_, results) =
        blocking(move || search.all_matching(&request, export::FEED_ENTRIES)).await?;
    let base = state.public_url.clone().unwrap_or_default();
    let description = export::FeedDescription {
        base: &base,
        query: &query,
        query_string: &raw,
    };
    let body = export::atom_feed(&description, &results);
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        body,
    )
        .into_response())
}

/// `GET /documents/{id}?q=...&page=N&lang=en`: the document page (HTML; errors as HTML pages).
async fn document_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let pairs = decode_pairs(raw_query.as_deref().unwrap_or("")).unwrap_or_default();
    let language = html::UiLanguage::from_pairs(&pairs);
    let query = pairs
        .iter()
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    let page_value = pairs
        .iter()
        .find(|(name, _)| name == "page")
        .map_or("1", |(_, value)| value.as_str());
    let Ok(page_number) = page_value.trim().parse::<u32>() else {
        let message = format!("page must be a page number, not {page_value:?}");
        return html_message(StatusCode::BAD_REQUEST, &message, language);
    };
    let Some(document) = state.search.document(&id) else {
        let message = format!("no document with id {id:?}");
        return html_message(StatusCode::NOT_FOUND, &message, language);
    };
    let search = state.search.clone();
    let lookup_id = id.clone();
    let lookup_query = query.clone();
    let loaded = blocking(move || {
        let page_text = search.page_text(&lookup_id, page_number)?;
        let page_grounds = search.page_grounds(&lookup_id)?;
        let highlighted = search.highlighted_page_text(&page_text.text, &lookup_query);
        Ok((page_text, page_grounds, highlighted))
    })
    .await;
    let (page_text, page_grounds, highlighted) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return html_message(error.status(), &error.to_string(), language),
    };
    let (page_html, query_problem) = match highlighted {
        Ok(page_html) => (page_html, None),
        Err(error) => (
            crate::search::html_escape(&page_text.text),
            Some(error.to_string()),
        ),
    };
    let view = html::DocumentView {
        query: &query,
        page: page_number,
        page_html: &page_html,
        text_source: &page_text.text_source,
        ocr_confidence: page_text.ocr_confidence,
        page_grounds: &page_grounds,
        query_problem,
        duplicates_html: crate::duplicates_page::duplicates_section(
            &id,
            &state.search.duplicates_of(&id),
            language,
        ),
        thread_html: crate::threads_page::thread_note(
            state.search.thread_of(&id).as_ref(),
            language,
        ),
    };
    Html(html::render_document_page(&document, &view, language)).into_response()
}

fn html_message(status: StatusCode, message: &str, language: html::UiLanguage) -> Response {
    let heading = if status == StatusCode::NOT_FOUND {
        language.text("Niet gevonden", "Not found")
    } else if status == StatusCode::INTERNAL_SERVER_ERROR {
        language.text("Er ging iets mis", "Something went wrong")
    } else {
        language.text("Ongeldige aanvraag", "Bad request")
    };
    let shown = if status == StatusCode::INTERNAL_SERVER_ERROR {
        "internal error"
    } else {
        message
    };
    (
        status,
        Html(html::render_message_page(heading, shown, language)),
    )
        .into_response()
}
