use axum::http::StatusCode;

use crate::common::{get, get_ok, result_ids};

const MINISTRY: &str = "Ministerie van Volksgezondheid, Welzijn en Sport";

/// Splits a CSV export into rows of cells (RFC 4180 quoting, CRLF line ends).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match (quoted, character) {
            (true, '"') if characters.peek() == Some(&'"') => {
                characters.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, other) => cell.push(other),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, other) => cell.push(other),
        }
    }
    rows
}

#[tokio::test]
async fn csv_export_has_a_header_and_every_hit_in_result_order() {
    let search = get_ok("/api/search?q=mondkapjes&size=2").await;
    let total = search["total"].as_u64().unwrap() as usize;
    assert!(total > 2, "more hits than one page: {total}");
    let all_ids = result_ids(&get_ok("/api/search?q=mondkapjes&size=100").await);

    let answer = get("/api/export?format=csv&q=mondkapjes").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert!(answer.content_type.starts_with("text/csv"));
    let rows = parse_csv(&answer.text());
    assert_eq!(
        rows[0],
        vec![
            "id",
            "title",
            "publisher",
            "category",
            "type",
            "date",
            "judgement",
            "grounds",
            "page_count",
            "source",
            "url"
        ]
    );
    let exported_ids: Vec<String> = rows[1..].iter().map(|row| row[0].clone()).collect();
    assert_eq!(exported_ids, all_ids, "all hits, not one page, in order");
    let ministry_row = rows
        .iter()
        .find(|row| row[0] == "VWS-WOO-2024-0117-0001")
        .expect("document 0001 exported");
    assert_eq!(ministry_row.len(), 11);
    assert_eq!(ministry_row[2], MINISTRY, "comma inside a quoted cell");
    assert!(ministry_row[7].contains("5.1.2e"), "{ministry_row:?}");
    assert!(
        ministry_row[10].ends_with("/documents/VWS-WOO-2024-0117-0001"),
        "{ministry_row:?}"
    );
}

#[tokio::test]
async fn json_export_is_an_array_and_says_its_bounds_in_headers() {
    let state = woo_server::AppState {
        search: crate::common::fixture_index().search.clone(),
        admin: None,
        rate_limit: None,
        public_url: Some("https://woo.example.nl".to_string()),
    };
    let response = tower::ServiceExt::oneshot(
        woo_server::app(state),
        axum::http::Request::builder()
            .uri("/api/export?format=json&publisher=Gemeente+Utrecht")
            .header("host", "woo.example:3000")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["x-export-limit"], "10000");
    assert_eq!(headers["x-total-count"], "1");
    assert_eq!(headers["x-export-truncated"], "false");
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let exported: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let documents = exported.as_array().expect("a JSON array");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["id"], "UTR-JV-2023");
    assert_eq!(documents[0]["category"], "2g");
    assert_eq!(
        documents[0]["url"], "https://woo.example.nl/documents/UTR-JV-2023",
        "the configured public URL, not the Host header"
    );

    let browse = get("/api/export?format=json").await;
    let everything = browse.json();
    assert_eq!(
        everything.as_array().unwrap().len(),
        18,
        "browse exports all"
    );
    let empty = get("/api/export?format=json&q=onvindbaarwoord")
        .await
        .json();
    assert_eq!(empty, serde_json::json!([]));
}

#[tokio::test]
async fn export_errors_keep_the_json_error_shape() {
    let unknown = get("/api/export?format=xlsx&q=mondkapjes").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json()["error"]["code"], "invalid_parameter");
    assert_eq!(unknown.json()["error"]["param"], "format");
    let twice = get("/api/export?format=csv&format=json").await;
    assert_eq!(twice.json()["error"]["code"], "invalid_parameter");
    let bad_query = get("/api/export?format=csv&q=%22unclosed").await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_query.json()["error"]["code"], "query_syntax");
    let bad_facet = get("/api/export?format=csv&colour=red").await;
    assert_eq!(bad_facet.json()["error"]["code"], "invalid_facet");
    let openapi = get_ok("/api/openapi.json").await;
    assert!(
        openapi["paths"]["/api/export"].is_object(),
        "export documented"
    );
}

#[tokio::test]
async fn feed_is_atom_with_the_newest_matching_documents() {
    let answer = get("/feed?q=mondkapjes&ground=5.1.2e").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert!(answer.content_type.starts_with("application/atom+xml"));
    let feed = answer.text();
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    for element in ["<title>", "<id>tag:woo-search,2024:feed?", "<updated>"] {
        assert!(feed.contains(element), "feed lacks {element}: {feed}");
    }
    let expected = result_ids(&get_ok("/api/search?q=mondkapjes&ground=5.1.2e&sort=date").await);
    assert!(!expected.is_empty());
    let entry_ids: Vec<String> = feed
        .split("<entry>")
        .skip(1)
        .map(|entry| {
            let start = entry.find("<id>").unwrap() + 4;
            let end = entry.find("</id>").unwrap();
            entry[start..end].to_string()
        })
        .collect();
    let expected_entry_ids: Vec<String> = expected
        .iter()
        .map(|id| {
            format!(
                "tag:woo-search,2024:document/{}",
                woo_server::html::url_encode(id)
            )
        })
        .collect();
    assert_eq!(entry_ids, expected_entry_ids, "newest first");
    for entry in feed.split("<entry>").skip(1) {
        for element in [
            "<title>",
            "<updated>",
            "<link rel=\"alternate\"",
            "<summary>",
        ] {
            assert!(entry.contains(element), "entry lacks {element}: {entry}");
        }
    }
    assert!(feed.contains("<updated>2021-"), "document dates as updated");
    // Well-formed enough: every opened entry is closed, nothing unescaped.
    assert_eq!(
        feed.matches("<entry>").count(),
        feed.matches("</entry>").count()
    );
    assert!(!feed.contains("& "));
    let bad = get("/feed?q=%22unclosed").await;
    assert_eq!(bad.json()["error"]["code"], "query_syntax");
}

#[tokio::test]
async fn document_page_highlights_the_page_text_and_navigates_pages() {
    let answer = get("/documents/VWS-WOO-2024-0117-0002?q=mondkapjesdeal&page=1").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert!(answer.content_type.starts_with("text/html"));
    let page = answer.text();
    assert!(page.contains("<html lang=\"nl\""));
    assert!(
        page.contains("<mark>mondkapjesdeal</mark>"),
        "highlighted page text"
    );
    assert!(page.contains("Pagina 1 van 2"));
    assert!(
        page.contains("href=\"/documents/VWS-WOO-2024-0117-0002?q=mondkapjesdeal&amp;page=2#viewer\" rel=\"next\""),
        "next page link keeps the query"
    );
    assert!(!page.contains("rel=\"prev\""), "no previous page on page 1");
    assert!(page.contains("/api/documents/VWS-WOO-2024-0117-0002/file#page=1"));
    assert!(page.contains("<iframe"), "the PDF beside the text");
    assert!(page.contains(MINISTRY));
    assert!(page.contains("reeds openbaar"));
    assert!(page.contains("Weigeringsgronden per pagina"));

    let second = get("/documents/VWS-WOO-2024-0117-0002?q=mondkapjesdeal&page=2&lang=en")
        .await
        .text();
    assert!(second.contains("<html lang=\"en\""));
    assert!(second.contains("Page 2 of 2"));
    assert!(second.contains("rel=\"prev\""));
    assert!(second.contains("lang=en"), "language kept in links");
    assert!(second.contains("Open the PDF at this page"));
}

#[tokio::test]
async fn document_page_errors_are_html_pages() {
    let unknown = get("/documents/no-such-document").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.content_type.starts_with("text/html"));
    let beyond = get("/documents/VWS-WOO-2024-0117-0002?page=9").await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND);
    let bad_page = get("/documents/VWS-WOO-2024-0117-0002?page=two").await;
    assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
    let bad_query = get("/documents/VWS-WOO-2024-0117-0002?q=%22unclosed").await;
    assert_eq!(bad_query.status, StatusCode::OK, "text still shown");
    assert!(bad_query.text().contains("role=\"alert\""));
}

#[tokio::test]
async fn search_page_groups_per_publication_and_links_snippets_to_the_document_page() {
    let page = get("/?q=mondkapjes&lang=en").await.text();
    assert!(page.contains("<html lang=\"en\""));
    assert!(
        page.contains("class=\"skip\" href=\"#content\""),
        "skip link"
    );
    assert!(page
        .contains("<section class=\"publication\"><h3>Woo-besluit over de inkoop van mondkapjes"));
    assert!(
        page.contains("href=\"/documents/VWS-WOO-2024-0117-"),
        "document page links"
    );
    assert!(page.contains("&amp;lang=en"), "lang kept in links");
    assert!(page.contains("/api/export?format=csv&amp;q=mondkapjes"));
    assert!(page.contains("/feed?q=mondkapjes"));
    assert!(page.contains("Text obtained by"), "text_source facet");
    assert!(page.contains("<label for=\"from\">"), "date range labelled");
    assert!(page.len() < 50 * 1024, "{} bytes", page.len());

    let filtered = get("/?q=mondkapjes&ground=5.1.2e").await.text();
    assert!(
        filtered.contains("aria-current=\"true\">✓ 5.1.2e"),
        "{filtered}"
    );
    assert!(filtered.contains("Alle filters wissen"));
    let dated = get("/?q=mondkapjes&from=2021-03-01&to=2021-03-31&sort=date")
        .await
        .text();
    assert!(dated.contains("value=\"2021-03-01\""));
    assert!(dated.contains("<option value=\"date\" selected>"));
}
