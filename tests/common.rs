use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use woo_indexer::ingest::{run_index, IndexOptions, IndexSummary};
use woo_indexer::ocr::OcrEngine;
use woo_server::{AppState, SearchService};

/// The fixtures indexed once for the whole test binary.
pub struct FixtureIndex {
    _dir: tempfile::TempDir,
    _ocr_cache: tempfile::TempDir,
    pub summary: IndexSummary,
    pub search: Arc<SearchService>,
    pub ocr_available: bool,
}

/// `../shared/corpus` beside the project, or `None` (saying so) when it is not there.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!("skipped: ../shared/corpus is not there");
    None
}

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

impl FixtureIndex {
    /// The index directory.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

pub fn fixture_index() -> &'static FixtureIndex {
    static INDEX: OnceLock<FixtureIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let ocr_cache = tempfile::tempdir().unwrap();
        let ocr = OcrEngine::detect(Some(ocr_cache.path().to_path_buf()));
        if ocr.is_none() {
            eprintln!("note: tesseract/pdftoppm not installed, the scanned fixture is indexed without OCR");
        }
        let ocr_available = ocr.is_some();
        let options = IndexOptions {
            ocr,
            jobs: 2,
            ..IndexOptions::new(vec![fixtures_dir()], dir.path().to_path_buf())
        };
        let summary = run_index(&options, &|_| {}).expect("fixtures index");
        let search = Arc::new(SearchService::open(dir.path()).expect("open fixture index"));
        FixtureIndex {
            _dir: dir,
            _ocr_cache: ocr_cache,
            summary,
            search,
            ocr_available,
        }
    })
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub www_authenticate: String,
    pub retry_after: String,
    pub allow: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn header(response: &axum::response::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Sends one request to `app(state)` with `oneshot` and reads the whole answer.
pub async fn send(state: AppState, request: Request<Body>) -> Answer {
    let response = woo_server::app(state).oneshot(request).await.unwrap();
    let content_type = header(&response, "content-type");
    let www_authenticate = header(&response, "www-authenticate");
    let retry_after = header(&response, "retry-after");
    let allow = header(&response, "allow");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        content_type,
        www_authenticate,
        retry_after,
        allow,
        body,
    }
}

/// A request without body to the read-only app over the fixture index.
pub async fn request(method: &str, uri: &str) -> Answer {
    let state = AppState {
        search: fixture_index().search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .unwrap();
    send(state, request).await
}

pub async fn get(uri: &str) -> Answer {
    request("GET", uri).await
}

/// GET that must answer 200 JSON.
pub async fn get_ok(uri: &str) -> serde_json::Value {
    let answer = get(uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    answer.json()
}

/// The ids of the results of a search answer, in order.
pub fn result_ids(answer: &serde_json::Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["id"].as_str().unwrap().to_string())
        .collect()
}

/// The count of a facet value, 0 when absent.
pub fn facet_count(answer: &serde_json::Value, facet: &str, value: &str) -> u64 {
    answer["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["value"] == value)
        .map_or(0, |entry| entry["count"].as_u64().unwrap())
}

/// A search for `query` with facet filters `(facet, value)`: first page of 10, by relevance.
pub fn search_request(query: &str, filters: &[(&str, &str)]) -> woo_server::SearchRequest {
    let mut by_facet: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (facet, value) in filters {
        by_facet
            .entry(facet.to_string())
            .or_default()
            .push(value.to_string());
    }
    woo_server::SearchRequest {
        query: query.to_string(),
        page: 1,
        size: 10,
        sort: woo_server::search::SortOrder::Relevance,
        filters: by_facet,
        ..woo_server::SearchRequest::default()
    }
}
