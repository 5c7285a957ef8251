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

#[tokio::test]
async fn search_page_offers_more_facet_values_and_a_month_histogram() {
    let capped = get("/?facet_size=1").await.text();
    assert!(
        capped.contains("nog "),
        "capped facet says how many values are left"
    );
    assert!(
        capped.contains("facet_size=100"),
        "a link lists more values"
    );
    assert!(
        capped.contains("histogram=month"),
        "link to the month histogram"
    );
    let by_month = get("/?histogram=month").await.text();
    assert!(by_month.contains("Maand"), "month facet title");
    assert!(by_month.contains("month=2021-03"), "month values filter");
}
