use std::path::PathBuf;

use woo_core::Page;
use woo_indexer::decision::analyse_decision;
use woo_indexer::pdf::{extract_pdf, PdfLimits};

use crate::common::{corpus_dir, facet_count, get_ok, result_ids};

const BESLUIT_ID: &str = "VWS-WOO-2024-0117-besluit";

/// The fixture decision letter carries its decision and request dates, decision and articles in
/// the document JSON and in search results.
#[tokio::test]
async fn the_fixture_decision_letter_is_read() {
    let document = get_ok(&format!("/api/documents/{BESLUIT_ID}")).await;
    assert_eq!(document["decision_date"], "2024-03-15", "{document}");
    assert_eq!(document["request_date"], "2024-01-02", "{document}");
    assert_eq!(document["decision"], "deels openbaar", "{document}");
    let articles: Vec<&str> = document["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|value| value.as_str())
        .collect();
    assert!(articles.contains(&"5.1.2e"), "{articles:?}");

    let results = get_ok("/api/search?q=mondkapjes&decision=deels+openbaar").await;
    assert_eq!(result_ids(&results), vec![BESLUIT_ID.to_string()]);
    assert_eq!(results["results"][0]["decision_date"], "2024-03-15");
}

/// Only decision letters get a decision; the decision facet and the decided_from/decided_to
/// filters narrow to them.
#[tokio::test]
async fn decision_facet_and_decision_date_filters() {
    let browse = get_ok("/api/search").await;
    // The mondkapjes decision and the decision letter of the fixture bundle.
    assert_eq!(
        facet_count(&browse, "decision", "deels openbaar"),
        2,
        "{}",
        browse["facets"]["decision"]
    );
    let in_march = get_ok("/api/search?decided_from=2024-03&decided_to=2024-03").await;
    assert_eq!(result_ids(&in_march), vec![BESLUIT_ID.to_string()]);
    let before = get_ok("/api/search?decided_to=2022").await;
    assert_eq!(before["total"], 0);
    let html = crate::common::get("/?q=mondkapjes&decision=deels+openbaar")
        .await
        .text();
    assert!(
        html.contains("besluit deels openbaar van 2024-03-15"),
        "{html}"
    );
}

/// Accuracy counts over one truth table.
#[derive(Debug, Default)]
struct Accuracy {
    letters: usize,
    recognised: usize,
    decision_dates: usize,
    request_dates: usize,
    request_total: usize,
    decisions: usize,
}

/// Measures the decision-letter reader on the letters of a truth table in benches/quality/ (columns:
/// path in the corpus, decision date, request date (`-` none, `?` not verified), decision).
fn measure_decision_letters(corpus: &std::path::Path, truth_file: &str) -> Accuracy {
    let truth_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join("quality")
        .join(truth_file);
    let truth = std::fs::read_to_string(truth_path).unwrap();
    let mut accuracy = Accuracy::default();
    for line in truth
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
    {
        let columns: Vec<&str> = line.split('\t').collect();
        let [path, decision_date, request_date, decision] = columns[..] else {
            panic!("bad truth line {line:?}");
        };
        accuracy.letters += 1;
        let bytes = std::fs::read(corpus.join(path)).unwrap();
        let extracted = extract_pdf(path, &bytes, &PdfLimits::default()).unwrap();
        let pages: Vec<Page> = extracted
            .pages
            .into_iter()
            .map(|page| Page {
                page: page.page,
                text: page.text,
                ..Page::default()
            })
            .collect();
        let title = path
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".pdf")
            .replace('+', " ");
        let Some(facts) = analyse_decision(&title, None, &pages) else {
            eprintln!("not recognised as a decision letter: {path}");
            continue;
        };
        accuracy.recognised += 1;
        if facts.decision_date.as_deref() == Some(decision_date) {
            accuracy.decision_dates += 1;
        } else {
            eprintln!(
                "decision date {:?} != {decision_date}: {path}",
                facts.decision_date
            );
        }
        if request_date != "?" {
            let expected_request = (request_date != "-").then_some(request_date);
            accuracy.request_total += usize::from(expected_request.is_some());
            if facts.request_date.as_deref() == expected_request {
                accuracy.request_dates += usize::from(expected_request.is_some());
            } else {
                eprintln!(
                    "request date {:?} != {request_date}: {path}",
                    facts.request_date
                );
            }
        }
        if facts.decision.as_deref() == Some(decision) {
            accuracy.decisions += 1;
        } else {
            eprintln!("decision {:?} != {decision}: {path}", facts.decision);
        }
    }
    println!(
        "{truth_file}: {} letters; recognised {}/{}; decision date {}/{}; request date {}/{}; decision type {}/{}",
        accuracy.letters,
        accuracy.recognised,
        accuracy.letters,
        accuracy.decision_dates,
        accuracy.letters,
        accuracy.request_dates,
        accuracy.request_total,
        accuracy.decisions,
        accuracy.letters
    );
    accuracy
}

/// Decision and request dates and decision types of the corpus decision letters listed in
/// benches/quality/decision_letters*.tsv (verified by reading them); prints the accuracy figures.
#[test]
fn corpus_decision_letters_accuracy() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    for truth_file in ["decision_letters.tsv", "decision_letters_holdout.tsv"] {
        let accuracy = measure_decision_letters(&corpus, truth_file);
        let letters = accuracy.letters;
        assert_eq!(accuracy.recognised, letters, "{truth_file}");
        assert!(
            accuracy.decision_dates * 10 >= letters * 8,
            "{truth_file}: {accuracy:?}"
        );
        assert!(
            accuracy.request_dates * 10 >= accuracy.request_total * 8,
            "{truth_file}: {accuracy:?}"
        );
        assert!(
            accuracy.decisions * 10 >= letters * 7,
            "{truth_file}: {accuracy:?}"
        );
    }
}

/// Indexes `inputs` into a fresh index and opens it for searching.
fn index_folder(inputs: Vec<PathBuf>) -> (tempfile::TempDir, woo_server::SearchService) {
    let index = tempfile::tempdir().unwrap();
    let options = woo_indexer::ingest::IndexOptions {
        jobs: 1,
        ..woo_indexer::ingest::IndexOptions::new(inputs, index.path().to_path_buf())
    };
    let summary = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    let search = woo_server::SearchService::open(index.path()).unwrap();
    (index, search)
}

/// A csv inventory beside its PDFs gives them title, date, judgement and grounds; a row without
/// a PDF is a searchable entry without pages (its page endpoint answers 404).
#[tokio::test]
async fn a_csv_inventory_links_rows_and_keeps_rows_without_a_pdf() {
    let folder = tempfile::tempdir().unwrap();
    let pdf = woo_fixtures::simple_pdf("", &["Van: a\nAan: b\nOnderwerp: levering mondkapjes"]);
    std::fs::write(folder.path().join("0001.pdf"), pdf).unwrap();
    std::fs::write(
        folder.path().join("inventaris.csv"),
        "Nr;Document;Datum;Beoordeling;Weigeringsgrond;Toelichting\n\
         0001;E-mail over levering;02-03-2021;Deels openbaar;5.1.2e;\n\
         0002;Offerte leverancier;04-03-2021;Niet openbaar;5.1.1c, 5.1.2.e;bedrijfsgegevens\n",
    )
    .unwrap();
    let (_index, search) = index_folder(vec![folder.path().to_path_buf()]);
    let table = search.table();
    let linked = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.source == "0001.pdf")
        .unwrap();
    assert_eq!(linked.stored.fields.title, "E-mail over levering");
    assert_eq!(linked.stored.fields.date.as_deref(), Some("2021-03-02"));
    assert_eq!(
        linked.stored.fields.judgement.as_deref(),
        Some("deels openbaar")
    );
    assert!(linked.stored.grounds.contains(&"5.1.2e".to_string()));
    let entry = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.title == "Offerte leverancier")
        .unwrap();
    assert_eq!(entry.stored.page_count, 0);
    assert_eq!(
        entry.stored.fields.document_type.as_deref(),
        Some("inventarisregel")
    );
    assert_eq!(
        entry.stored.fields.judgement.as_deref(),
        Some("niet openbaar")
    );
    assert_eq!(entry.stored.grounds, vec!["5.1.1c", "5.1.2e"]);
    assert_eq!(
        entry.stored.fields.publication_id,
        linked.stored.fields.publication_id
    );
    let request = woo_server::search::SearchRequest {
        query: "offerte bedrijfsgegevens".to_string(),
        page: 1,
        size: 10,
        ..Default::default()
    };
    let found = search.search(&request).unwrap();
    assert_eq!(found.total, 1);
    assert!(found.results[0].hits.is_empty());
    assert!(search.page_text(&entry.stored.fields.id, 1).is_err());
}

/// The WooFAIRify dossier comes out as one publication: its inventory CSV gives the memos their
/// judgement and grounds, and its two decision letters are read.
#[test]
fn the_woofairify_dossier_comes_out_with_decisions_and_inventory() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let (_index, search) = index_folder(vec![corpus.join("woofairify")]);
    let table = search.table();
    let memo = table
        .entries
        .iter()
        .find(|entry| {
            entry
                .stored
                .fields
                .source
                .ends_with("4. Memo BO verslag gesprek 20210907.pdf")
        })
        .unwrap();
    assert_eq!(
        memo.stored.fields.judgement.as_deref(),
        Some("deels openbaar")
    );
    assert!(
        memo.stored.grounds.contains(&"5.1.2e".to_string()),
        "{:?}",
        memo.stored.grounds
    );
    assert_eq!(memo.stored.fields.date.as_deref(), Some("2021-07-20"));
    let publications: std::collections::BTreeSet<_> = table
        .entries
        .iter()
        .filter_map(|entry| entry.stored.fields.publication_id.clone())
        .collect();
    assert_eq!(publications.len(), 1, "{publications:?}");
    // Every file is in it: 14 memos, 2 decisions, 2 inventory lists (PDF tables).
    assert_eq!(table.entries.len(), 18);
    assert!(table
        .entries
        .iter()
        .all(|entry| entry.stored.fields.publication_id.is_some()));
    // The csv links 7 memos, the two PDF inventories the other 7 (by number and title).
    let judged = table
        .entries
        .iter()
        .filter(|entry| entry.stored.fields.judgement.as_deref() == Some("deels openbaar"))
        .count();
    assert_eq!(judged, 14);
    let decisions: Vec<_> = table
        .entries
        .iter()
        .filter(|entry| entry.stored.fields.decision.is_some())
        .map(|entry| {
            (
                entry.stored.fields.decision_date.clone(),
                entry.stored.fields.decision.clone(),
            )
        })
        .collect();
    println!(
        "woofairify: {} documents, decisions {decisions:?}",
        table.entries.len()
    );
    assert_eq!(decisions.len(), 2, "{decisions:?}");
    assert!(decisions.contains(&(
        Some("2021-12-23".to_string()),
        Some("deels openbaar".to_string())
    )));
}

/// The hand-written complaint records (30 judgements of 3 bodies) index as category 2l with
/// outcome and subject facets, and `GET /api/complaints/stats` counts them by group.
#[tokio::test]
async fn complaint_records_index_and_count_by_group() {
    use tower::ServiceExt;
    let records = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/klachten");
    let (_index, search) = index_folder(vec![records]);
    let request = woo_server::search::SearchRequest {
        query: "woo-verzoek termijn".to_string(),
        page: 1,
        size: 10,
        filters: [("outcome".to_string(), vec!["gegrond".to_string()])].into(),
        ..Default::default()
    };
    let found = search.search(&request).unwrap();
    assert!(found.total >= 1, "{}", found.total);
    let browse = search
        .search(&woo_server::search::SearchRequest {
            page: 1,
            size: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(browse.total, 30);
    let category = &browse.facets["category"];
    assert_eq!(category[0].value, "2l");
    assert_eq!(category[0].count, 30);
    let outcome_count = |value: &str| {
        browse.facets["outcome"]
            .iter()
            .find(|facet| facet.value == value)
            .map_or(0, |facet| facet.count)
    };
    assert_eq!(outcome_count("gegrond"), 10);
    assert_eq!(outcome_count("niet-ontvankelijk"), 5);

    let state = woo_server::AppState {
        search: std::sync::Arc::new(search),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let call = |uri: &str| {
        let app = woo_server::app(state.clone());
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            )
        }
    };
    let (status, stats) = call("/api/complaints/stats?group=publisher,outcome").await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["total"], 30);
    let utrecht_gegrond = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| {
            group["key"]["publisher"] == "Gemeente Utrecht" && group["key"]["outcome"] == "gegrond"
        })
        .unwrap();
    assert_eq!(utrecht_gegrond["count"], 5);
    let (status, by_year) = call("/api/complaints/stats?group=year").await;
    assert_eq!(status, 200);
    assert_eq!(by_year["groups"].as_array().unwrap().len(), 3);
    let (status, error) = call("/api/complaints/stats?group=colour").await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "invalid_parameter");
    // Without `group` the patterns come without groups; an empty `group` is still refused.
    let (status, patterns) = call("/api/complaints/stats").await;
    assert_eq!(status, 200);
    assert_eq!(patterns["total"], 30);
    let (status, _) = call("/api/complaints/stats?group=").await;
    assert_eq!(status, 400);
}

/// A DiWoo sitemap given to `woo index` as a file: the entry with a local PDF indexes that PDF
/// with the sitemap's metadata; entries with a web address are searchable entries without
/// pages; TOOI organisation and category ids come out as labels and letter codes.
#[tokio::test]
async fn diwoo_sitemaps_index_and_search_with_publisher_and_category_facets() {
    use tower::ServiceExt;
    let folder = crate::common::fixtures_dir().join("diwoo");
    let (_index, search) = index_folder(vec![
        folder.join("sitemap-0.9.8.xml"),
        folder.join("sitemap-0.9.4.xml"),
    ]);
    let state = woo_server::AppState {
        search: std::sync::Arc::new(search),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let call = |uri: &str| {
        let app = woo_server::app(state.clone());
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        async move {
            let response = app.oneshot(request).await.unwrap();
            assert_eq!(response.status(), axum::http::StatusCode::OK);
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };
    let browse = call("/api/search").await;
    assert_eq!(browse["total"], 3, "{browse}");
    assert_eq!(facet_count(&browse, "publisher", "Gemeente Amsterdam"), 2);
    assert_eq!(facet_count(&browse, "publisher", "Provincie Gelderland"), 1);
    assert_eq!(facet_count(&browse, "category", "2i"), 1);
    assert_eq!(facet_count(&browse, "category", "2f"), 1);
    assert_eq!(facet_count(&browse, "category", "2j"), 1);
    let category_labels: Vec<&str> = browse["facets"]["category"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|facet| facet["label"].as_str())
        .collect();
    assert!(
        category_labels.contains(&"convenanten"),
        "{category_labels:?}"
    );

    // The local PDF: its pages are searched, its metadata comes from the sitemap.
    let found = call("/api/search?q=bewonersvergunningen+OR+stadsdeel&category=2i").await;
    assert_eq!(
        result_ids(&found),
        vec!["AMS-WOO-2024-0123-besluit".to_string()]
    );
    let result = &found["results"][0];
    assert_eq!(result["publisher"], "Gemeente Amsterdam");
    assert_eq!(result["category_label"], "Woo-verzoeken en -besluiten");
    assert_eq!(result["date"], "2024-04-30");
    assert_eq!(result["page_count"], 1);
    assert_eq!(result["publication_id"], "AMS-WOO-2024-0123");
    let document = call("/api/documents/AMS-WOO-2024-0123-besluit").await;
    assert_eq!(
        document["title"],
        "Besluit op Woo-verzoek over parkeervergunningen"
    );
    assert_eq!(
        document["type"], "beslissing op wob-/woo-verzoek",
        "{document}"
    );
    assert_eq!(document["decision_date"], "2024-04-30", "{document}");

    // The web-address entries: metadata only, found by their descriptions and keywords.
    let scooters = call("/api/search?q=deelscooters&publisher=Gemeente+Amsterdam").await;
    assert_eq!(result_ids(&scooters), vec!["AMS-CONV-2023-017".to_string()]);
    assert_eq!(scooters["results"][0]["page_count"], 0);
    assert_eq!(scooters["results"][0]["date"], "2023-11-14");
    let bikes = call("/api/search?q=fietspaden").await;
    assert_eq!(result_ids(&bikes), vec!["PG-OND-2022-08".to_string()]);
    assert_eq!(bikes["results"][0]["publisher"], "Provincie Gelderland");
    assert_eq!(bikes["results"][0]["category"], "2j");
}

/// The fixture bundle (decision letter, inventory page, three stamped e-mails in one PDF) is
/// split into its documents: each a document of the bundle's publication with its page range
/// in the original file; the stamped e-mails get their inventory row's title, date,
/// judgement and grounds, and the PDF link of a part opens the original file at its page.
#[tokio::test]
async fn a_bundle_is_split_into_its_documents() {
    let folder = crate::common::fixtures_dir().join("bundel");
    let (_index, search) = index_folder(vec![folder]);
    let table = search.table();
    let mut parts: Vec<(String, Option<u32>, u32, String)> = table
        .entries
        .iter()
        .map(|entry| {
            (
                entry.stored.fields.source.clone(),
                entry.stored.fields.first_page,
                entry.stored.page_count,
                entry.stored.fields.title.clone(),
            )
        })
        .collect();
    parts.sort();
    println!("{parts:#?}");
    let sources: Vec<&str> = parts.iter().map(|part| part.0.as_str()).collect();
    assert_eq!(
        sources,
        vec![
            "besluit-en-documenten.pdf#pages=1-1",
            "besluit-en-documenten.pdf#pages=2-2",
            "besluit-en-documenten.pdf#pages=3-3",
            "besluit-en-documenten.pdf#pages=4-5",
            "besluit-en-documenten.pdf#pages=6-6",
        ]
    );
    for entry in &table.entries {
        assert_eq!(
            entry.stored.fields.publication_id.as_deref(),
            Some("IENW-WOO-2023-0456")
        );
        assert_eq!(
            entry.stored.fields.publisher.as_deref(),
            Some("Ministerie van Infrastructuur en Waterstaat")
        );
    }
    let letter = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.first_page == Some(1))
        .unwrap();
    assert_eq!(letter.stored.fields.id, "IENW-WOO-2023-0456");
    assert_eq!(letter.stored.fields.title, "Besluit op uw Woo-verzoek A12");
    assert_eq!(
        letter.stored.fields.decision.as_deref(),
        Some("deels openbaar")
    );
    let mail = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.first_page == Some(4))
        .unwrap();
    assert_eq!(
        mail.stored.fields.title,
        "E-mail over omleiding vrachtverkeer"
    );
    assert_eq!(mail.stored.fields.date.as_deref(), Some("2023-02-20"));
    assert_eq!(
        mail.stored.fields.judgement.as_deref(),
        Some("deels openbaar")
    );
    assert_eq!(mail.stored.page_count, 2);
    assert!(mail.stored.grounds.contains(&"5.1.2e".to_string()));

    // The second page of that e-mail is page 5 of the file.
    let state = woo_server::AppState {
        search: std::sync::Arc::new(search),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let answer = crate::common::send(
        state,
        axum::http::Request::get(format!(
            "/documents/{}?page=2",
            woo_server::html::url_encode(&mail.stored.fields.id)
        ))
        .body(axum::body::Body::empty())
        .unwrap(),
    )
    .await;
    let html = answer.text();
    assert!(html.contains("/file#page=5"), "{html}");
    assert!(html.contains("bebording"), "{html}");
}

/// A changed bundle split into fewer parts: the parts the file no longer gives are deleted
/// (none stays searchable), and the summary says how many.
#[tokio::test]
async fn a_changed_bundle_leaves_no_stale_parts() {
    let folder = tempfile::tempdir().unwrap();
    for name in [
        "besluit-en-documenten.pdf",
        "besluit-en-documenten.pdf.json",
    ] {
        std::fs::copy(
            crate::common::fixtures_dir().join("bundel").join(name),
            folder.path().join(name),
        )
        .unwrap();
    }
    let index = tempfile::tempdir().unwrap();
    let options = woo_indexer::ingest::IndexOptions {
        jobs: 1,
        ..woo_indexer::ingest::IndexOptions::new(
            vec![folder.path().to_path_buf()],
            index.path().to_path_buf(),
        )
    };
    let first = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
    assert_eq!(first.documents, 5);
    assert_eq!(first.removed, 0);
    let search = woo_server::SearchService::open(index.path()).unwrap();
    let request = |query: &str| woo_server::SearchRequest {
        query: query.to_string(),
        page: 1,
        size: 10,
        ..woo_server::SearchRequest::default()
    };
    assert!(search.search(&request("bebording")).unwrap().total > 0);

    // The publication now holds the decision letter alone.
    let letter = woo_fixtures::simple_pdf(
        "",
        &["Besluit op uw Woo-verzoek A12\nWij maken de documenten later openbaar."],
    );
    std::fs::write(folder.path().join("besluit-en-documenten.pdf"), letter).unwrap();
    let second = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
    assert_eq!(second.documents, 1, "{:?}", second.failures);
    assert_eq!(second.removed, 4, "{}", second.line());
    assert!(
        second.line().contains("4 stale removed"),
        "{}",
        second.line()
    );
    search.reload().unwrap();
    let sources: Vec<String> = search
        .table()
        .entries
        .iter()
        .map(|entry| entry.stored.fields.source.clone())
        .collect();
    assert_eq!(sources, vec!["besluit-en-documenten.pdf"]);
    assert_eq!(search.search(&request("bebording")).unwrap().total, 0);
    assert_eq!(search.search(&request("later openbaar")).unwrap().total, 1);

    // Unchanged now: nothing written, nothing removed.
    let third = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
    assert_eq!((third.documents, third.removed, third.unchanged), (0, 0, 1));
}
