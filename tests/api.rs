use axum::http::StatusCode;

use crate::common::{facet_count, fixture_index, fixtures_dir, get, get_ok, request, result_ids};

const MINISTRY: &str = "Ministerie van Volksgezondheid, Welzijn en Sport";

#[tokio::test]
async fn every_fixture_pdf_is_indexed_without_failures() {
    let summary = &fixture_index().summary;
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    assert_eq!(summary.documents, 18, "{}", summary.line());
    let browse = get_ok("/api/search?q=&size=100").await;
    assert_eq!(browse["total"], 18);
}

#[tokio::test]
async fn a_word_search_returns_documents_with_page_labelled_highlighted_snippets() {
    let answer = get_ok("/api/search?q=mondkapjesdeal").await;
    let ids = result_ids(&answer);
    assert!(
        ids.contains(&"VWS-WOO-2024-0117-0002".to_string()),
        "{ids:?}"
    );
    let first = &answer["results"][0];
    for key in [
        "id",
        "title",
        "source",
        "publisher",
        "category",
        "type",
        "date",
        "page_count",
        "hits",
    ] {
        assert!(first.get(key).is_some(), "result lacks {key}: {first}");
    }
    let hits = first["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits[0]["page"].as_u64().unwrap() >= 1);
    let snippet = hits[0]["snippet"].as_str().unwrap().to_lowercase();
    assert!(snippet.contains("<mark>mondkapjesdeal</mark>"), "{snippet}");
    assert!(answer["took_ms"].as_f64().is_some());
}

#[tokio::test]
async fn source_is_relative_to_the_input_folder() {
    let answer = get_ok("/api/documents/VWS-WOO-2024-0117-0001").await;
    assert_eq!(answer["source"], "vws-mondkapjes/documenten/0001.pdf");
    assert_eq!(answer["publisher"], MINISTRY);
    assert_eq!(answer["category"], "2i");
    assert_eq!(answer["category_label"], "Woo-verzoeken en -besluiten");
    assert_eq!(answer["judgement"], "deels openbaar");
    assert_eq!(answer["page_count"], 1);
    assert!(
        answer.get("file_path").is_none(),
        "server paths must not leak"
    );
}

#[tokio::test]
async fn diacritics_and_inflections_match_both_ways() {
    let with = result_ids(&get_ok("/api/search?q=financi%C3%ABle&size=100").await);
    let without = result_ids(&get_ok("/api/search?q=financiele&size=100").await);
    assert!(!with.is_empty());
    assert_eq!(with, without);
    let singular = get_ok("/api/search?q=gemeente&size=100").await;
    let plural = get_ok("/api/search?q=gemeenten&size=100").await;
    let mut singular_ids = result_ids(&singular);
    let mut plural_ids = result_ids(&plural);
    singular_ids.sort();
    plural_ids.sort();
    assert_eq!(singular_ids, plural_ids);
    assert!(plural_ids.contains(&"VWS-WOO-2024-0117-0003".to_string()));
}

#[tokio::test]
async fn identifiers_are_found_as_written_and_rank_first() {
    let answer = get_ok("/api/search?q=2024-0001234").await;
    assert_eq!(result_ids(&answer)[0], "VWS-WOO-2024-0117-besluit");
    let by_id = get_ok("/api/search?q=UTR-JV-2023").await;
    assert_eq!(result_ids(&by_id)[0], "UTR-JV-2023");
    let ground = get_ok("/api/search?q=5.1.2e&size=100").await;
    assert!(result_ids(&ground).contains(&"VWS-WOO-2024-0117-0001".to_string()));
}

#[tokio::test]
async fn phrases_and_boolean_operators_work() {
    let phrase =
        result_ids(&get_ok("/api/search?q=%22financi%C3%ABle+afspraken%22&size=100").await);
    assert!(
        phrase.contains(&"VWS-WOO-2024-0117-0002".to_string()),
        "{phrase:?}"
    );
    let both = get_ok("/api/search?q=mondkapjes+subsidieaanvraag&size=100").await;
    let either = get_ok("/api/search?q=mondkapjes+OR+subsidieaanvraag&size=100").await;
    assert!(either["total"].as_u64() >= both["total"].as_u64());
    let excluded = result_ids(&get_ok("/api/search?q=mondkapjes+-subsidieaanvraag&size=100").await);
    assert!(!excluded.contains(&"VWS-WOO-2024-0117-0004".to_string()));
}

#[tokio::test]
async fn facets_count_documents_and_filters_narrow() {
    let browse = get_ok("/api/search?size=100").await;
    assert_eq!(facet_count(&browse, "publisher", MINISTRY), 6);
    assert_eq!(facet_count(&browse, "publisher", "Gemeente Utrecht"), 1);
    assert_eq!(facet_count(&browse, "category", "2i"), 13);
    assert_eq!(facet_count(&browse, "category", "2g"), 1);
    assert!(facet_count(&browse, "ground", "5.1.2e") >= 3);
    assert_eq!(facet_count(&browse, "judgement", "deels openbaar"), 6);
    assert!(facet_count(&browse, "language", "nl") >= 8);
    assert!(facet_count(&browse, "year", "2021") >= 4);
    for facet in [
        "publisher",
        "category",
        "type",
        "year",
        "language",
        "ground",
        "judgement",
    ] {
        assert!(
            browse["facets"].get(facet).is_some(),
            "facet {facet} missing"
        );
    }

    let filtered = get_ok("/api/search?publisher=Gemeente+Utrecht").await;
    assert_eq!(result_ids(&filtered), vec!["UTR-JV-2023"]);
    // The publisher facet keeps its other values visible (own selection left out).
    assert_eq!(facet_count(&filtered, "publisher", MINISTRY), 6);
    let selected = filtered["facets"]["publisher"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["value"] == "Gemeente Utrecht")
        .unwrap();
    assert_eq!(selected["selected"], true);

    let two_publishers = get_ok(&format!(
        "/api/search?publisher=Gemeente+Utrecht&publisher={}&size=100",
        MINISTRY.replace(' ', "+").replace(',', "%2C")
    ))
    .await;
    assert_eq!(two_publishers["total"], 7);

    // 0004 carries the 5.1.2i stamp; the inventory list names the ground in its table; so do
    // the bundle's inventory page and its e-mail 0103 (page 6).
    let ground = get_ok("/api/search?ground=5.1.2i").await;
    let mut ids = result_ids(&ground);
    ids.sort();
    assert_eq!(
        ids,
        vec![
            "IENW-WOO-2023-0456-p2",
            "IENW-WOO-2023-0456-p6",
            "VWS-WOO-2024-0117-0004",
            "VWS-WOO-2024-0117-inventaris"
        ]
    );
}

#[tokio::test]
async fn date_range_year_filter_and_date_sort() {
    let in_2021 = get_ok("/api/search?from=2021-01-01&to=2021-12-31&size=100").await;
    let year_2021 = get_ok("/api/search?year=2021&size=100").await;
    assert_eq!(result_ids(&in_2021).len(), result_ids(&year_2021).len());
    assert!(in_2021["total"].as_u64().unwrap() >= 4);
    let march = get_ok("/api/search?from=2021-03&to=2021-03&size=100").await;
    // 0001, 0002 and the inventory entry of 0005 (12-03-2021).
    assert_eq!(march["total"], 3, "{:?}", result_ids(&march));

    let newest = get_ok("/api/search?q=mondkapjes&sort=date&size=100").await;
    let dates: Vec<String> = newest["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|result| result["date"].as_str().map(str::to_string))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let oldest = get_ok("/api/search?q=mondkapjes&sort=date_asc&size=100").await;
    assert_eq!(
        result_ids(&oldest).first(),
        result_ids(&newest).last(),
        "oldest first is the reverse order"
    );
}

#[tokio::test]
async fn month_histogram_on_request_and_month_filter() {
    let by_year = get_ok("/api/search?size=100").await;
    assert!(
        by_year["facets"].get("month").is_none(),
        "month only on request"
    );
    let by_month = get_ok("/api/search?size=100&histogram=month").await;
    let months = by_month["facets"]["month"].as_array().unwrap();
    let values: Vec<&str> = months
        .iter()
        .map(|entry| entry["value"].as_str().unwrap())
        .collect();
    let mut newest_first = values.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(values, newest_first, "histogram is in date order");
    assert!(values.iter().all(|month| month.len() == 7), "{values:?}");
    // The months of a year add up to that year's count.
    let year_2021 = facet_count(&by_year, "year", "2021");
    let months_2021: u64 = months
        .iter()
        .filter(|entry| entry["value"].as_str().unwrap().starts_with("2021-"))
        .map(|entry| entry["count"].as_u64().unwrap())
        .sum();
    assert_eq!(months_2021, year_2021);

    let march = get_ok("/api/search?month=2021-03&size=100").await;
    let range = get_ok("/api/search?from=2021-03&to=2021-03&size=100").await;
    assert_eq!(result_ids(&march), result_ids(&range));
    assert_eq!(
        facet_count(&march, "month", "2021-03"),
        march["total"].as_u64().unwrap()
    );

    let bad = get("/api/search?histogram=week").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn facet_lists_are_capped_with_a_count_of_the_rest() {
    let whole = get_ok("/api/search?size=100&facet_size=100").await;
    let types = whole["facets"]["type"].as_array().unwrap();
    assert!(types.len() >= 3, "fixture has several types: {types:?}");
    assert!(whole.get("facet_other").is_none() || whole["facet_other"].get("type").is_none());

    let capped = get_ok("/api/search?size=100&facet_size=1").await;
    let listed = capped["facets"]["type"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], types[0], "the most frequent value is kept");
    let other = &capped["facet_other"]["type"];
    assert_eq!(other["values"].as_u64().unwrap() as usize, types.len() - 1);
    let rest: u64 = types[1..]
        .iter()
        .map(|entry| entry["count"].as_u64().unwrap())
        .sum();
    assert_eq!(other["count"].as_u64().unwrap(), rest);
    // Years are a histogram: never cut.
    assert_eq!(capped["facets"]["year"], whole["facets"]["year"]);

    // A selected value stays listed even when it is not among the most frequent.
    let least = types.last().unwrap()["value"].as_str().unwrap().to_string();
    let selected = get_ok(&format!(
        "/api/search?size=100&facet_size=1&type={}",
        least.replace(' ', "+")
    ))
    .await;
    let listed: Vec<&str> = selected["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["value"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&least.as_str()), "{listed:?}");

    for bad in ["facet_size=0", "facet_size=101", "facet_size=x"] {
        let answer = get(&format!("/api/search?{bad}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// The words inside `<mark>` in the snippets of every result of `query`.
async fn first_marks(query: &str) -> Vec<String> {
    let answer = get_ok(&format!("/api/search?q={query}&size=100")).await;
    let mut marks = Vec::new();
    for result in answer["results"].as_array().unwrap() {
        for hit in result["hits"].as_array().unwrap() {
            let snippet = hit["snippet"].as_str().unwrap();
            for piece in snippet.split("<mark>").skip(1) {
                marks.push(piece.split("</mark>").next().unwrap().to_lowercase());
            }
        }
    }
    marks
}

#[tokio::test]
async fn snippets_mark_phrases_prefixes_fuzzy_words_and_compound_parts() {
    let phrase = first_marks("%22afspraken+mondkapjesdeal%22").await;
    assert!(
        phrase.contains(&"afspraken".to_string()) && phrase.contains(&"mondkapjesdeal".to_string()),
        "{phrase:?}"
    );
    let prefix = first_marks("mondkapjesd*").await;
    assert!(prefix.contains(&"mondkapjesdeal".to_string()), "{prefix:?}");
    let fuzzy = first_marks("mondkapjesdael~2").await;
    assert!(fuzzy.contains(&"mondkapjesdeal".to_string()), "{fuzzy:?}");
    let part = first_marks("subsidie").await;
    assert!(
        part.iter().any(|mark| mark == "subsidieaanvraag"),
        "{part:?}"
    );
}

#[tokio::test]
async fn results_group_per_publication_on_request() {
    let flat = get_ok("/api/search?size=100").await;
    let grouped = get_ok("/api/search?size=100&group=publication").await;
    assert_eq!(
        grouped["total"], flat["total"],
        "total still counts documents"
    );
    assert_eq!(grouped["results"].as_array().unwrap().len(), 0);
    let groups = grouped["groups"].as_array().unwrap();
    assert_eq!(
        grouped["total_groups"].as_u64().unwrap() as usize,
        groups.len()
    );
    let matched: u64 = groups
        .iter()
        .map(|group| group["matched_documents"].as_u64().unwrap())
        .sum();
    assert_eq!(matched, flat["total"].as_u64().unwrap());
    let mondkapjes = groups
        .iter()
        .find(|group| group["publication_id"] == "VWS-WOO-2024-0117")
        .expect("the VWS publication is one group");
    assert!(mondkapjes["matched_documents"].as_u64().unwrap() >= 4);
    let shown = mondkapjes["results"].as_array().unwrap();
    assert_eq!(shown.len(), 3, "three best documents per publication");
    assert!(shown
        .iter()
        .all(|result| result["publication_id"] == "VWS-WOO-2024-0117"));
    assert!(groups.len() < flat["total"].as_u64().unwrap() as usize);

    // Paging counts publications.
    let first = get_ok("/api/search?size=1&group=publication").await;
    let second = get_ok("/api/search?size=1&page=2&group=publication").await;
    assert_eq!(first["groups"].as_array().unwrap().len(), 1);
    assert_ne!(first["groups"][0], second["groups"][0]);

    // With a query: groups carry highlighted hits.
    let query = get_ok("/api/search?q=mondkapjes&group=publication").await;
    let top = &query["groups"][0]["results"][0];
    assert!(top["hits"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>"));

    let bad = get("/api/search?group=dossier").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn browse_mode_lists_newest_first_and_pages() {
    let first = get_ok("/api/search?q=*&size=4").await;
    let second = get_ok("/api/search?q=*&size=4&page=2").await;
    assert_eq!(first["total"], 18);
    assert_eq!(result_ids(&first).len(), 4);
    let first_dates: Vec<&str> = first["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["date"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(first_dates[0], "2024-06-27", "jaarverslag is newest");
    for id in result_ids(&second) {
        assert!(!result_ids(&first).contains(&id));
    }
    let beyond = get_ok("/api/search?q=*&size=10&page=5").await;
    assert_eq!(result_ids(&beyond).len(), 0);
}

#[tokio::test]
async fn documents_without_metadata_take_title_and_date_from_the_pdf() {
    let answer = get_ok("/api/search?q=actieve+openbaarmaking+gemeenten&size=100").await;
    let advice = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["source"] == "losse-stukken/adviesrapport.pdf")
        .expect("advice report found");
    assert_eq!(
        advice["title"],
        "Advies over actieve openbaarmaking door gemeenten"
    );
    assert_eq!(advice["date"], "2023-06-01");
    let id = advice["id"].as_str().unwrap();
    let document = get_ok(&format!("/api/documents/{id}")).await;
    assert_eq!(document["languages"], serde_json::json!(["en", "nl"]));
}

#[tokio::test]
async fn page_text_and_file_download() {
    let page = get_ok("/api/documents/VWS-WOO-2024-0117-besluit/pages/1").await;
    assert_eq!(page["page"], 1);
    assert_eq!(page["text_source"], "text");
    assert!(page["text"].as_str().unwrap().contains("2024-0001234"));

    let file = get("/api/documents/VWS-WOO-2024-0117-besluit/file").await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type, "application/pdf");
    let on_disk = std::fs::read(fixtures_dir().join("vws-mondkapjes/besluit.pdf")).unwrap();
    assert_eq!(file.body, on_disk);
}

#[tokio::test]
async fn refusal_grounds_stamped_on_pages_are_found_and_normalised() {
    // 0002 is Wob-era: its stamps read 10.2.e and 11.1.
    let document = get_ok("/api/documents/VWS-WOO-2024-0117-0002").await;
    let grounds: Vec<&str> = document["grounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ground| ground.as_str().unwrap())
        .collect();
    assert!(grounds.contains(&"5.1.2e"), "{grounds:?}");
    assert!(grounds.contains(&"5.2"), "{grounds:?}");
    assert!(document["ground_stamps"].as_u64().unwrap() >= 1);
    let page = get_ok("/api/documents/VWS-WOO-2024-0117-0001/pages/1").await;
    assert!(page["grounds"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g == "5.1.2e"));
}

#[tokio::test]
async fn scanned_fixture_is_searchable_through_ocr() {
    if !fixture_index().ocr_available {
        eprintln!("skipped: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-nld poppler-utils)");
        return;
    }
    let answer = get_ok("/api/search?q=Amersfoort").await;
    assert_eq!(result_ids(&answer), vec!["AMF-2023-0042"]);
    let page = get_ok("/api/documents/AMF-2023-0042/pages/1").await;
    assert_eq!(page["text_source"], "ocr");
    assert!(page["ocr_confidence"].as_f64().unwrap() > 50.0);
    let by_source = get_ok("/api/search?text_source=ocr").await;
    assert_eq!(result_ids(&by_source), vec!["AMF-2023-0042"]);
}

#[tokio::test]
async fn health_and_openapi() {
    let health = get_ok("/healthz").await;
    assert_eq!(health["status"], "ok");
    let openapi = get_ok("/api/openapi.json").await;
    for path in [
        "/api/search",
        "/api/documents/{id}",
        "/api/documents/{id}/pages/{page}",
        "/api/documents/{id}/file",
        "/api/export",
        "/api/complaints/stats",
        "/api/admin/publications",
        "/api/admin/documents/{id}",
        "/api/admin/publications/{id}",
        "/api/admin/jobs/{id}",
        "/api/admin/bulk",
    ] {
        assert!(
            openapi["paths"][path].is_object(),
            "openapi.json lacks {path}"
        );
    }
}

/// Every bad request of the foundation issue: status, JSON shape and code.
#[tokio::test]
async fn bad_requests_get_4xx_json_errors() {
    let deep = format!("{}a{}", "(".repeat(9), ")".repeat(9));
    let very_deep = "(".repeat(20_000);
    let long = "a".repeat(1001);
    let many_terms: Vec<String> = (0..33).map(|n| format!("w{n}")).collect();
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/search?size=101".into(), 400, "invalid_parameter"),
        ("/api/search?size=0".into(), 400, "invalid_parameter"),
        ("/api/search?size=abc".into(), 400, "invalid_parameter"),
        ("/api/search?page=0".into(), 400, "invalid_parameter"),
        ("/api/search?page=-1".into(), 400, "invalid_parameter"),
        (
            "/api/search?page=1001&size=10".into(),
            400,
            "result_window_too_large",
        ),
        (
            "/api/search?page=1000000000000&size=100".into(),
            400,
            "result_window_too_large",
        ),
        (format!("/api/search?q={long}"), 400, "query_too_long"),
        (format!("/api/search?q={deep}"), 400, "query_too_complex"),
        (format!("/api/search?q={very_deep}"), 400, "query_too_long"),
        (
            format!("/api/search?q={}", many_terms.join("+")),
            400,
            "query_too_complex",
        ),
        ("/api/search?q=title:(a".into(), 400, "query_syntax"),
        ("/api/search?q=%22abc".into(), 400, "query_syntax"),
        ("/api/search?q=/.*/".into(), 400, "unsupported_syntax"),
        ("/api/search?q=jansen~3".into(), 400, "unsupported_syntax"),
        (
            "/api/search?q=interne_notitie:x".into(),
            400,
            "unknown_field",
        ),
        ("/api/search?q=%FF%FE".into(), 400, "invalid_encoding"),
        ("/api/search?q=a&q=b".into(), 400, "invalid_parameter"),
        ("/api/search?facet.xyz=1".into(), 400, "invalid_facet"),
        ("/api/search?colour=red".into(), 400, "invalid_facet"),
        (
            format!("/api/search?ground={}", "x".repeat(300)),
            400,
            "invalid_facet",
        ),
        (
            "/api/search?from=2024-13-45".into(),
            400,
            "invalid_parameter",
        ),
        (
            "/api/search?from=2024-05-01&to=2024-01-01".into(),
            400,
            "invalid_parameter",
        ),
        ("/api/search?sort=random".into(), 400, "invalid_parameter"),
        ("/api/documents/no-such-id".into(), 404, "not_found"),
        ("/api/documents/no-such-id/pages/1".into(), 404, "not_found"),
        ("/api/documents/no-such-id/file".into(), 404, "not_found"),
        (
            "/api/documents/VWS-WOO-2024-0117-0001/pages/2".into(),
            404,
            "not_found",
        ),
        (
            "/api/documents/VWS-WOO-2024-0117-0001/pages/0".into(),
            404,
            "not_found",
        ),
        (
            "/api/documents/VWS-WOO-2024-0117-0001/pages/abc".into(),
            400,
            "invalid_parameter",
        ),
        ("/nope".into(), 404, "not_found"),
        ("/api/nope".into(), 404, "not_found"),
    ];
    for (uri, status, code) in cases {
        let answer = get(&uri).await;
        let shown: String = uri.chars().take(80).collect();
        assert_eq!(answer.status.as_u16(), status, "{shown}: {}", answer.text());
        assert_eq!(answer.content_type, "application/json", "{shown}");
        let body = answer.json();
        assert_eq!(body["error"]["code"], code, "{shown}: {body}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let many_values: Vec<String> = (0..21).map(|n| format!("ground=g{n}")).collect();
    let answer = get(&format!("/api/search?{}", many_values.join("&"))).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["code"], "invalid_facet");

    let wrong_method = request("DELETE", "/api/search").await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["error"]["code"], "method_not_allowed");
    assert_eq!(
        wrong_method.allow, "GET,HEAD,POST",
        "the route's own methods"
    );
    let post = request("POST", "/api/documents/VWS-WOO-2024-0117-0001").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.allow, "GET,HEAD");

    // The server is still healthy afterwards.
    assert_eq!(get_ok("/healthz").await["status"], "ok");
}

/// (value, count) of every listed value of a facet, ignoring the `selected` flags.
fn facet_counts(answer: &serde_json::Value, facet: &str) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = answer["facets"][facet]
        .as_array()
        .map(|values| {
            values
                .iter()
                .filter(|entry| entry["count"].as_u64().unwrap() > 0)
                .map(|entry| {
                    (
                        entry["value"].as_str().unwrap().to_string(),
                        entry["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    counts.sort();
    counts
}

#[tokio::test]
async fn two_selections_with_a_query_count_each_facet_without_its_own_selection() {
    // With two selections the query is narrowed to records passing at least one of them; the
    // counts must still equal those of the same query with only the other selection.
    let ministry = MINISTRY.replace(' ', "+").replace(',', "%2C");
    let both = get_ok(&format!(
        "/api/search?q=de&publisher={ministry}&judgement=deels+openbaar&size=100&facet_size=100"
    ))
    .await;
    let only_judgement =
        get_ok("/api/search?q=de&judgement=deels+openbaar&size=100&facet_size=100").await;
    let only_publisher = get_ok(&format!(
        "/api/search?q=de&publisher={ministry}&size=100&facet_size=100"
    ))
    .await;
    assert!(facet_counts(&only_judgement, "publisher").len() >= 2);
    assert_eq!(
        facet_counts(&both, "publisher"),
        facet_counts(&only_judgement, "publisher")
    );
    assert_eq!(
        facet_counts(&both, "judgement"),
        facet_counts(&only_publisher, "judgement")
    );
    // Results: documents passing both selections, with the scores of the unnarrowed query.
    let mut expected: Vec<(String, f64)> = only_publisher["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["judgement"] == "deels openbaar")
        .map(|result| {
            (
                result["id"].as_str().unwrap().to_string(),
                result["score"].as_f64().unwrap(),
            )
        })
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    let mut found: Vec<(String, f64)> = both["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            (
                result["id"].as_str().unwrap().to_string(),
                result["score"].as_f64().unwrap(),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!found.is_empty());
    assert_eq!(found, expected);
}

/// A document found through its title only (every page carries it) shows one hit: its first
/// page's opening words, unmarked.
#[tokio::test]
async fn a_title_only_match_shows_the_opening_words_of_one_page() {
    let answer = get_ok("/api/search?q=title:jaarverslag").await;
    let result = &answer["results"][0];
    assert_eq!(result["id"], "UTR-JV-2023", "{answer}");
    assert!(result["page_count"].as_u64().unwrap() > 1);
    let hits = result["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["page"], 1);
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(
        !snippet.is_empty() && !snippet.contains("<mark>"),
        "{snippet}"
    );
}
