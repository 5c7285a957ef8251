use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use woo_server::rate_limit::RateLimit;
use woo_server::{AppState, LoadLimits, SearchService};

use crate::common::{fixture_index, get_ok, result_ids, send, Answer};

fn read_only(search: Arc<SearchService>) -> AppState {
    AppState {
        search,
        admin: None,
        rate_limit: None,
        public_url: None,
    }
}

async fn post_search(content_type: &str, body: impl Into<Body>) -> Answer {
    let request = Request::builder()
        .method("POST")
        .uri("/api/search")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap();
    send(read_only(fixture_index().search.clone()), request).await
}

#[tokio::test]
async fn a_json_search_body_answers_as_the_query_string_does() {
    let by_url = get_ok("/api/search?q=besluit&size=3&sort=date&year=2022&year=2023").await;
    let by_body = post_search(
        "application/json; charset=utf-8",
        r#"{"q": "besluit", "size": 3, "sort": "date", "year": ["2022", "2023"]}"#,
    )
    .await;
    assert_eq!(by_body.status, StatusCode::OK, "{}", by_body.text());
    let by_body = by_body.json();
    assert!(by_url["total"].as_u64().unwrap() > 0, "the fixtures match");
    assert_eq!(by_body["total"], by_url["total"]);
    assert_eq!(result_ids(&by_body), result_ids(&by_url));
    assert_eq!(by_body["facets"], by_url["facets"]);
}

#[tokio::test]
async fn bad_json_search_bodies_are_4xx_with_a_json_error() {
    // An unknown name is read as an unknown facet, as in the query string.
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "application/json",
            b"{\"q\": ".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "application/json",
            b"[\"besluit\"]".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "application/json",
            br#"{"size": 0}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "application/json",
            br#"{"q": {"nested": true}}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "application/json",
            br#"{"nope": "x"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_facet",
        ),
        (
            "text/plain",
            br#"{"q": "besluit"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "application/json",
            format!(r#"{{"q": "{}"}}"#, "a".repeat(65 * 1024)).into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
        let answer = post_search(content_type, body).await;
        assert_eq!(
            answer.status,
            status,
            "{content_type} {shown}: {}",
            answer.text()
        );
        assert_eq!(answer.content_type, "application/json");
        assert_eq!(answer.json()["error"]["code"], code, "{shown}");
    }
}

/// A search service over the fixture index with one running place and the given waiting
/// limit and budget.
fn service_with(waiting: usize, budget: Duration) -> Arc<SearchService> {
    let limits = LoadLimits {
        searches_at_once: 1,
        waiting,
        budget,
    };
    Arc::new(
        SearchService::open(fixture_index().dir())
            .unwrap()
            .with_load_limits(limits),
    )
}

async fn search_with(search: &Arc<SearchService>) -> Answer {
    let request = Request::builder()
        .uri("/api/search?q=besluit")
        .body(Body::empty())
        .unwrap();
    send(read_only(search.clone()), request).await
}

/// A 503 with `code` and `Retry-After: 1`.
fn assert_unavailable(answer: &Answer, code: &str) {
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.text()
    );
    assert_eq!(answer.json()["error"]["code"], code);
    assert_eq!(answer.retry_after, "1");
}

#[tokio::test]
async fn a_search_beyond_the_waiting_limit_is_shed_with_503_at_once() {
    let search = service_with(0, Duration::from_secs(5));
    let place = search.start_search().unwrap();
    let started = Instant::now();
    assert_unavailable(&search_with(&search).await, "overloaded");
    let request = Request::builder()
        .uri("/?q=besluit")
        .body(Body::empty())
        .unwrap();
    let page = send(read_only(search.clone()), request).await;
    assert_eq!(
        page.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "the page says so too"
    );
    assert!(page.content_type.starts_with("text/html"));
    assert_eq!(page.retry_after, "1");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "shed at once, not after waiting"
    );
    drop(place);
    let answer = search_with(&search).await;
    assert_eq!(answer.status, StatusCode::OK, "the place is free again");
}

#[tokio::test]
async fn a_search_that_waits_past_its_budget_is_503_search_timeout() {
    let budget = Duration::from_millis(200);
    let search = service_with(4, budget);
    let place = search.start_search().unwrap();
    let started = Instant::now();
    assert_unavailable(&search_with(&search).await, "search_timeout");
    assert!(started.elapsed() >= budget, "it waited for its budget");
    drop(place);
    assert_eq!(search_with(&search).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_waiting_search_runs_when_a_place_comes_free() {
    let search = service_with(4, Duration::from_secs(10));
    let place = search.start_search().unwrap();
    let waiting = {
        let search = search.clone();
        tokio::spawn(async move { search_with(&search).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!waiting.is_finished(), "the search waits for the place");
    drop(place);
    let answer = waiting.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
}

async fn from_address(state: &AppState, uri: &str, address: &str) -> Answer {
    let peer: SocketAddr = address.parse().unwrap();
    let mut request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    send(state.clone(), request).await
}

#[tokio::test]
async fn a_client_over_its_rate_is_429_with_retry_after_and_others_are_served() {
    let state = AppState {
        search: fixture_index().search.clone(),
        admin: None,
        // 2 a second, bursts of 4.
        rate_limit: RateLimit::new(2, None).map(Arc::new),
        public_url: None,
    };
    let client = "192.0.2.10:5000";
    for attempt in 1..=4 {
        let answer = from_address(&state, "/api/search?q=besluit", client).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "request {attempt} of the burst"
        );
    }
    let refused = from_address(&state, "/api/search?q=besluit", client).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["error"]["code"], "rate_limited");
    assert_eq!(refused.retry_after, "1");
    // A browser gets the search page, with its query kept and the message.
    let page = from_address(&state, "/?q=mondkapjes", client).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert_eq!(page.retry_after, "1");
    let html = page.text();
    assert!(html.contains("value=\"mondkapjes\""), "{html}");
    assert!(html.contains("too many requests"), "{html}");
    let health = from_address(&state, "/healthz", client).await;
    assert_eq!(
        health.status,
        StatusCode::OK,
        "health checks are not limited"
    );
    let other = from_address(&state, "/api/search?q=besluit", "192.0.2.11:5000").await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another address has its own allowance"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let later = from_address(&state, "/api/search?q=besluit", client).await;
    assert_eq!(
        later.status,
        StatusCode::OK,
        "after the wait the client is served again"
    );
}
