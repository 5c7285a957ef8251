//! Security headers, pages without inline script or style, sandboxed PDFs, absolute URLs
//! from `--public-url`, protocol edges (timeouts on a real socket) and the OpenAPI
//! description against the code.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;
use woo_server::{AppState, ConnectionLimits};

use crate::common::fixture_index;

const DOCUMENT: &str = "VWS-WOO-2024-0117-besluit";

/// The read-only app over the fixtures.
fn read_only_state() -> AppState {
    AppState {
        search: fixture_index().search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    }
}

/// One request to `app` with `oneshot`: status, headers and body.
async fn send_to(state: AppState, request: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let response = woo_server::app(state).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn get_with_headers(uri: &str) -> (StatusCode, HeaderMap, String) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    send_to(read_only_state(), request).await
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn every_route_and_error_carries_the_security_and_cache_headers() {
    let uris = [
        "/".to_string(),
        "/?q=mondkapjes".to_string(),
        format!("/documents/{DOCUMENT}"),
        "/api/search?q=mondkapjes".to_string(),
        format!("/api/documents/{DOCUMENT}"),
        format!("/api/documents/{DOCUMENT}/pages/1"),
        format!("/api/documents/{DOCUMENT}/file"),
        "/api/export?format=csv".to_string(),
        "/api/complaints/stats?group=outcome".to_string(),
        "/api/openapi.json".to_string(),
        "/static/style.css".to_string(),
        "/feed".to_string(),
        "/healthz".to_string(),
        "/no/such/route".to_string(),
        "/api/search?size=0".to_string(),
    ];
    for uri in &uris {
        let (status, headers, _) = get_with_headers(uri).await;
        let policy = header(&headers, "content-security-policy");
        assert!(!policy.is_empty(), "{uri} ({status}): no CSP");
        assert!(!policy.contains("unsafe-inline"), "{uri}: {policy}");
        assert!(policy.contains("frame-ancestors"), "{uri}: {policy}");
        assert_eq!(
            header(&headers, "x-content-type-options"),
            "nosniff",
            "{uri}"
        );
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer", "{uri}");
        assert!(
            !header(&headers, "cache-control").is_empty(),
            "{uri}: no Cache-Control"
        );
    }
    let (_, page_headers, _) = get_with_headers("/").await;
    let page_policy = header(&page_headers, "content-security-policy");
    assert!(page_policy.contains("frame-src 'self'"), "{page_policy}");
    assert!(
        page_policy.contains("frame-ancestors 'none'"),
        "{page_policy}"
    );
    assert!(page_policy.contains("default-src 'none'"), "{page_policy}");
    assert_eq!(header(&page_headers, "cache-control"), "no-store");
    let (_, openapi_headers, _) = get_with_headers("/api/openapi.json").await;
    assert_eq!(
        header(&openapi_headers, "cache-control"),
        "public, max-age=3600"
    );
}

#[tokio::test]
async fn the_pages_have_no_inline_script_style_or_event_handler() {
    let pages = [
        "/".to_string(),
        "/?q=mondkapjes&lang=en".to_string(),
        format!("/documents/{DOCUMENT}?q=mondkapjes"),
        "/documents/no-such-document".to_string(),
        "/?q=%22unclosed".to_string(),
    ];
    for uri in &pages {
        let (_, _, body) = get_with_headers(uri).await;
        assert!(body.starts_with("<!doctype html>"), "{uri}: {body}");
        assert!(!body.contains("<script"), "{uri}: inline script");
        assert!(!body.contains("<style"), "{uri}: inline style element");
        assert!(!body.contains(" style="), "{uri}: inline style attribute");
        assert_eq!(
            first_event_handler_attribute(&body),
            None,
            "{uri}: inline event handler"
        );
        assert!(
            body.contains("<link rel=\"stylesheet\" href=\"/static/style.css\">"),
            "{uri}"
        );
    }
    let (status, headers, css) = get_with_headers("/static/style.css").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-type"), "text/css; charset=utf-8");
    assert!(
        css.contains(".grow{flex:1}") && css.contains("mark{"),
        "{css}"
    );
}

/// The first ` on…=` attribute (an inline event handler such as `onclick=`) in `html`.
fn first_event_handler_attribute(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(position) = rest.find(" on") {
        let after = &rest[position + 3..];
        let name_length = after
            .chars()
            .take_while(|character| character.is_ascii_lowercase())
            .count();
        if name_length > 0 && after[name_length..].starts_with('=') {
            return Some(after[..name_length + 1].to_string());
        }
        rest = after;
    }
    None
}

#[tokio::test]
async fn pdfs_are_served_inline_but_sandboxed_in_an_opaque_origin() {
    let (status, headers, _) = get_with_headers(&format!("/api/documents/{DOCUMENT}/file")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert!(
        header(&headers, "content-disposition").starts_with("inline; filename="),
        "{headers:?}"
    );
    let policy = header(&headers, "content-security-policy");
    assert!(policy.starts_with("sandbox;"), "{policy}");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    let (_, _, page) = get_with_headers(&format!("/documents/{DOCUMENT}")).await;
    assert!(
        page.contains(&format!(
            "<iframe src=\"/api/documents/{DOCUMENT}/file#page=1\""
        )),
        "{page}"
    );
}

/// `uri` with a `Host` header an attacker chose, to `app` with the given public URL.
async fn get_with_forged_host(uri: &str, public_url: Option<&str>) -> String {
    let state = AppState {
        public_url: public_url.map(str::to_string),
        ..read_only_state()
    };
    let request = Request::builder()
        .uri(uri)
        .header("host", "evil.example")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send_to(state, request).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

#[tokio::test]
async fn absolute_urls_come_from_the_public_url_never_from_the_host_header() {
    let public = Some("https://woo.example.nl/zoeken");
    let json = get_with_forged_host("/api/export?format=json&q=mondkapjes", public).await;
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first_url = rows[0]["url"].as_str().unwrap();
    assert!(
        first_url.starts_with("https://woo.example.nl/zoeken/documents/"),
        "{first_url}"
    );
    let csv = get_with_forged_host("/api/export?format=csv&q=mondkapjes", public).await;
    assert!(
        csv.contains(",https://woo.example.nl/zoeken/documents/"),
        "{csv}"
    );
    let feed = get_with_forged_host("/feed?q=mondkapjes", public).await;
    assert!(
        feed.contains("href=\"https://woo.example.nl/zoeken/feed?q=mondkapjes\""),
        "{feed}"
    );
    assert!(
        feed.contains("href=\"https://woo.example.nl/zoeken/api/documents/"),
        "{feed}"
    );
    for body in [&json, &csv, &feed] {
        assert!(!body.contains("evil.example"), "{body}");
    }

    let relative_json = get_with_forged_host("/api/export?format=json&q=mondkapjes", None).await;
    let relative_rows: serde_json::Value = serde_json::from_str(&relative_json).unwrap();
    let relative_url = relative_rows[0]["url"].as_str().unwrap();
    assert!(relative_url.starts_with("/documents/"), "{relative_url}");
    let relative_feed = get_with_forged_host("/feed?q=mondkapjes", None).await;
    assert!(
        relative_feed
            .contains("rel=\"self\" type=\"application/atom+xml\" href=\"/feed?q=mondkapjes\""),
        "{relative_feed}"
    );
    assert!(!relative_json.contains("evil.example") && !relative_feed.contains("evil.example"));
}

#[tokio::test]
async fn paths_that_are_not_utf8_answer_invalid_encoding_on_every_route() {
    for uri in [
        "/api/documents/%FF%FE",
        "/api/documents/%FF%FE/pages/1",
        "/api/documents/%C3%28/file",
        "/api/no-such-route/%FF",
        "/api/admin/jobs/%FF",
    ] {
        let (status, headers, body) = get_with_headers(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(
            header(&headers, "content-type"),
            "application/json",
            "{uri}"
        );
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"]["code"], "invalid_encoding", "{uri}: {body}");
        assert_eq!(error["error"]["param"], "path", "{uri}: {body}");
    }
    let (status, headers, page) = get_with_headers("/documents/%FF%FE?lang=en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(page.contains("not valid UTF-8"), "{page}");
    let (fine, _, _) = get_with_headers("/api/documents/%C3%A9t%C3%A9").await;
    assert_eq!(
        fine,
        StatusCode::NOT_FOUND,
        "valid UTF-8 reaches the handler"
    );
}

/// Small limits, so the socket tests wait about a second for each timeout.
fn small_limits(max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: Duration::from_millis(700),
        body_read_timeout: Duration::from_millis(700),
        body_deadline: Duration::from_secs(5),
        max_connections,
    }
}

/// The real server (`serve_with_limits`) on `127.0.0.1:0`; dropping the sender stops it.
async fn start_server(
    limits: ConnectionLimits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    tokio::spawn(woo_server::serve_with_limits(
        listener,
        read_only_state(),
        limits,
        shutdown,
    ));
    (address, stop)
}

/// Reads until the server closes the connection (or resets it), at most `limit`; `None`
/// when it was still open then. Returns what was read.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&received).into_owned()),
            Ok(Ok(count)) => received.extend_from_slice(&buffer[..count]),
        }
    }
}

/// Generous: a timeout of 0.7 s must have closed the connection well before this.
const CLOSED_WITHIN: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_connection_that_sends_part_of_its_header_is_closed_after_the_header_timeout() {
    let (address, _stop) = start_server(small_limits(16)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut stream, CLOSED_WITHIN).await;
    assert!(answer.is_some(), "still open after {CLOSED_WITHIN:?}");
    assert!(
        !answer.unwrap().contains("200 OK"),
        "no answer to a half header"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "closed only by the timeout"
    );

    let mut silent = TcpStream::connect(address).await.unwrap();
    assert!(
        read_until_closed(&mut silent, CLOSED_WITHIN)
            .await
            .is_some(),
        "a connection that sends nothing is closed too"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_its_answer() {
    let (address, _stop) = start_server(small_limits(16)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, CLOSED_WITHIN)
        .await
        .expect("the idle keep-alive connection is closed");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.contains("\"status\":\"ok\""), "{answer}");
    assert!(answer.contains("content-security-policy:"), "{answer}");
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_times_out_with_408_and_the_connection_closes() {
    let (address, _stop) = start_server(small_limits(16)).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(
            b"POST /api/search HTTP/1.1\r\nHost: woo\r\nContent-Type: application/json\r\n\
Content-Length: 100\r\n\r\n{\"q\": \"mondkap",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, CLOSED_WITHIN)
        .await
        .expect("closed after the body timeout");
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout"),
        "{answer}"
    );
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");

    // A GET that announces a body and never sends it is not kept waiting either.
    let mut get = TcpStream::connect(address).await.unwrap();
    get.write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\nContent-Length: 50\r\n\r\nab")
        .await
        .unwrap();
    assert!(read_until_closed(&mut get, CLOSED_WITHIN).await.is_some());
}

#[tokio::test]
async fn open_connections_are_capped_and_a_waiting_client_is_served_when_one_closes() {
    let (address, _stop) = start_server(small_limits(1)).await;
    let mut holder = TcpStream::connect(address).await.unwrap();
    // The holder's request is answered: it has the one place.
    holder
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    holder.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let mut waiting = TcpStream::connect(address).await.unwrap();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut early = [0u8; 1];
    let answered_early =
        tokio::time::timeout(Duration::from_millis(200), waiting.read(&mut early)).await;
    assert!(
        answered_early.is_err(),
        "a second connection is not served while the first holds the only place"
    );
    drop(holder);
    let answer = read_until_closed(&mut waiting, CLOSED_WITHIN)
        .await
        .expect("served and closed once the first connection went");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
}

#[tokio::test]
async fn the_server_stops_when_its_shutdown_future_ends() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(woo_server::serve_with_limits(
        listener,
        read_only_state(),
        small_limits(16),
        async move {
            let _ = stopped.await;
        },
    ));
    let mut idle = TcpStream::connect(address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: woo\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).await.unwrap();
    stop.send(()).unwrap();
    let finished = tokio::time::timeout(CLOSED_WITHIN, server).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "serve_with_limits returns after shutdown: {finished:?}"
    );
    assert!(
        TcpStream::connect(address).await.is_err(),
        "no longer listening"
    );
}

/// The OpenAPI description the server serves.
fn description() -> serde_json::Value {
    serde_json::from_str(woo_server::app::OPENAPI_JSON).expect("openapi.json is JSON")
}

/// The paths given as string literals to `.route(` in a source file.
fn route_literals(source: &str) -> Vec<String> {
    let mut routes = Vec::new();
    let mut rest = source;
    while let Some(position) = rest.find(".route(") {
        rest = rest[position + ".route(".len()..].trim_start();
        if let Some(literal) = rest.strip_prefix('"') {
            if let Some(end) = literal.find('"') {
                routes.push(literal[..end].to_string());
            }
        }
    }
    routes
}

/// The HTML pages: routes of `app` that are not the JSON API (the style sheet is routed by a
/// constant, `html::STYLE_SHEET_PATH`, not a literal, and is not part of the API either).
const NOT_IN_THE_DESCRIPTION: &[&str] = &[
    "/",
    "/documents/{id}",
    "/documents/{id}/compare/{other}",
    "/threads/{id}",
];

#[tokio::test]
async fn every_route_of_app_is_described_and_every_described_operation_is_routed() {
    let description = description();
    let paths = description["paths"].as_object().unwrap();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("server/src");
    let mut routes = Vec::new();
    for file in ["app.rs", "admin/mod.rs"] {
        let source = std::fs::read_to_string(root.join(file)).unwrap();
        routes.extend(route_literals(&source));
    }
    assert!(routes.len() >= 15, "found the routes: {routes:?}");
    for route in &routes {
        if NOT_IN_THE_DESCRIPTION.contains(&route.as_str()) {
            continue;
        }
        assert!(
            paths.contains_key(route),
            "route {route} is not in openapi.json"
        );
    }
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            let uri = path.replace("{id}", "no-such-id").replace("{page}", "1");
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .body(Body::empty())
                .unwrap();
            let (status, _, body) = send_to(read_only_state(), request).await;
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is described but not routed"
            );
            assert!(
                !body.contains("no such route"),
                "{method} {path} is described but not routed: {body}"
            );
        }
    }
}

#[test]
fn every_described_answer_of_200_has_a_schema_and_documents_say_410() {
    let description = description();
    for (path, operations) in description["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let success = responses
                .iter()
                .find(|(status, _)| status.starts_with('2'))
                .unwrap_or_else(|| panic!("{method} {path}: no 2xx answer"));
            let content = success.1["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}: 2xx without content"));
            for (media_type, body) in content {
                assert!(
                    body.get("schema").is_some(),
                    "{method} {path}: {media_type} answer without schema"
                );
            }
            if path.starts_with("/api/documents/") {
                assert!(responses.contains_key("410"), "{method} {path}: no 410");
            }
        }
    }
}

#[test]
fn the_description_carries_the_limits_and_names_of_the_code() {
    use woo_server::search::{
        COMPLAINT_GROUP_KEYS, FACET_NAMES, MAX_FACET_SIZE, MAX_FACET_VALUES, MAX_FACET_VALUE_BYTES,
        MAX_PAGE_SIZE, MAX_RESULT_WINDOW,
    };
    let description = description();
    let parameters = &description["components"]["parameters"];
    let schemas = &description["components"]["schemas"];
    let facet_enum: Vec<&str> = schemas["SearchResponse"]["properties"]["facets"]["propertyNames"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    assert_eq!(facet_enum, FACET_NAMES, "the facets of FACETS, in order");
    let post_body = &description["paths"]["/api/search"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(post_body["additionalProperties"], false);
    for facet in FACET_NAMES {
        let parameter = &parameters[*facet];
        assert_eq!(parameter["in"], "query", "facet {facet} is a parameter");
        assert_eq!(parameter["schema"]["maxItems"], MAX_FACET_VALUES);
        assert_eq!(
            parameter["schema"]["items"]["maxLength"],
            MAX_FACET_VALUE_BYTES
        );
        assert!(
            post_body["properties"].get(*facet).is_some(),
            "POST takes {facet}"
        );
    }
    assert_eq!(parameters["size"]["schema"]["maximum"], MAX_PAGE_SIZE);
    assert_eq!(parameters["page"]["schema"]["maximum"], MAX_RESULT_WINDOW);
    assert_eq!(
        parameters["facet_size"]["schema"]["maximum"],
        MAX_FACET_SIZE
    );
    assert_eq!(
        parameters["q"]["schema"]["maxLength"],
        woo_server::query::MAX_QUERY_BYTES
    );
    let group_pattern = description["paths"]["/api/complaints/stats"]["get"]["parameters"][0]
        ["schema"]["pattern"]
        .as_str()
        .unwrap();
    for key in COMPLAINT_GROUP_KEYS {
        assert!(
            group_pattern.contains(key),
            "group key {key} in {group_pattern}"
        );
    }
    let search_parameters: Vec<String> = description["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reference| {
            let name = reference["$ref"].as_str().unwrap();
            name.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    let post_names: Vec<&String> = post_body["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(post_names.len(), search_parameters.len());
    for name in &search_parameters {
        assert!(post_names.contains(&name), "POST takes {name}");
    }
}

#[tokio::test]
async fn every_described_search_parameter_is_accepted_and_no_other() {
    let description = description();
    let parameters = description["components"]["parameters"].as_object().unwrap();
    for (name, parameter) in parameters {
        if name == "lang" {
            continue;
        }
        // A number for the integer parameters; an empty value (no bound, no selection)
        // for the others.
        let value = if parameter["schema"]["type"] == "integer" {
            "1"
        } else {
            ""
        };
        let (status, _, body) = get_with_headers(&format!("/api/search?{name}={value}")).await;
        assert_eq!(status, StatusCode::OK, "{name}={value} is refused: {body}");
        let json = format!("{{\"{name}\": \"{value}\"}}");
        let request = Request::builder()
            .method("POST")
            .uri("/api/search")
            .header("content-type", "application/json")
            .body(Body::from(json))
            .unwrap();
        let (post_status, _, post_body) = send_to(read_only_state(), request).await;
        let accepted =
            post_status == StatusCode::OK || post_body.contains("must be a positive whole number");
        assert!(accepted, "POST {name}: {post_body}");
    }
    let (status, _, body) = get_with_headers("/api/search?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let request = Request::builder()
        .method("POST")
        .uri("/api/search")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"q": 5}"#))
        .unwrap();
    let (number_status, _, number_body) = send_to(read_only_state(), request).await;
    assert_eq!(
        number_status,
        StatusCode::BAD_REQUEST,
        "a number for q: {number_body}"
    );
    assert!(number_body.contains("q must be a string"), "{number_body}");
}

#[test]
fn woo_serve_refuses_a_public_url_that_is_not_an_http_address() {
    let index = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_woo"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--public-url",
            "woo.example.nl",
        ])
        .arg("--index")
        .arg(index.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("bad --public-url") && stderr.contains("http:// or https://"),
        "{stderr}"
    );
    let zero = std::process::Command::new(env!("CARGO_BIN_EXE_woo"))
        .args(["serve", "--header-read-timeout", "0"])
        .arg("--index")
        .arg(index.path())
        .output()
        .unwrap();
    assert!(!zero.status.success(), "a timeout of 0 s is refused");
}

#[tokio::test]
async fn complaint_group_keys_are_single_comma_separated_with_spaces_allowed() {
    for (uri, expected) in [
        (
            "/api/complaints/stats?group=publisher,outcome",
            StatusCode::OK,
        ),
        (
            "/api/complaints/stats?group=%20publisher%20,%20outcome",
            StatusCode::OK,
        ),
        (
            "/api/complaints/stats?group=publisher,",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/complaints/stats?group=publisher,,outcome",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/complaints/stats?group=", StatusCode::BAD_REQUEST),
        (
            "/api/complaints/stats?group=%09publisher",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, _, body) = get_with_headers(uri).await;
        assert_eq!(status, expected, "{uri}: {body}");
    }
}
