use axum::http::StatusCode;

use crate::common::get;

#[tokio::test]
async fn search_page_shows_results_facets_and_page_links() {
    let answer = get("/?q=mondkapjesdeal").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/html"));
    let page = answer.text();
    assert!(page.contains("<mark>"), "highlighted snippet");
    assert!(page.contains("/file#page="), "link to the PDF at the page");
    assert!(page.contains("Organisatie"), "publisher facet title");
    assert!(
        page.contains("publisher=Ministerie"),
        "facet value links filter"
    );
    assert!(
        page.contains("value=\"mondkapjesdeal\""),
        "query kept in the box"
    );
    assert!(
        page.len() < 50 * 1024,
        "page is small: {} bytes",
        page.len()
    );
    assert!(!page.contains("<script"), "no scripts needed");
}

#[tokio::test]
async fn search_page_in_english_and_with_a_bad_query() {
    let english = get("/?q=gemeenten&lang=en").await.text();
    assert!(english.contains("Publisher"));
    let bad = get("/?q=%22unclosed").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("role=\"alert\""));
}
