//! Every format besides PDF (issue 14): the fixture builder's files of each format indexed
//! through `woo extract-worker`, found by words only they hold, with their format, page and
//! snippet; attachments and archive members as documents of their own; the hostile file of
//! each kind reported in its class while the rest is indexed.

use std::path::PathBuf;

use woo_indexer::ingest::{run_index, FileStatus, IndexOptions};
use woo_server::search::{SearchRequest, SearchResponse};
use woo_server::SearchService;

fn search(service: &SearchService, query: &str, filters: &[(&str, &str)]) -> SearchResponse {
    let request = SearchRequest {
        size: 20,
        ..crate::common::search_request(query, filters)
    };
    service.search(&request).unwrap()
}

fn facet_values(answer: &SearchResponse, facet: &str) -> Vec<(String, usize)> {
    answer.facets[facet]
        .iter()
        .map(|count| (count.value.clone(), count.count))
        .collect()
}

/// The format fixtures (with the hostile ones) indexed through `woo extract-worker` into a
/// new index under `root`.
fn index_format_fixtures(root: &std::path::Path) -> (PathBuf, woo_indexer::ingest::IndexSummary) {
    let inputs = root.join("inputs");
    woo_fixtures::formats::write_format_fixtures(&inputs, true).unwrap();
    let index = root.join("index");
    let options = IndexOptions {
        jobs: 2,
        extract_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_woo"))),
        ..IndexOptions::new(vec![inputs.clone()], index.clone())
    };
    let summary = run_index(&options, &|_| {}).unwrap();
    (index, summary)
}

#[tokio::test]
async fn a_document_of_another_format_shows_its_page_text_and_offers_its_file_for_download() {
    let root = tempfile::tempdir().unwrap();
    let (index, _) = index_format_fixtures(root.path());
    let search = std::sync::Arc::new(SearchService::open(&index).unwrap());
    let docx = search.search(&SearchRequest {
        query: "zeekabelaansluiting".to_string(),
        page: 1,
        size: 1,
        ..SearchRequest::default()
    });
    let id = docx.unwrap().results[0].id.clone();
    let state = woo_server::AppState {
        search,
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let page = crate::common::send(
        state.clone(),
        axum::http::Request::builder()
            .uri(format!("/documents/{id}?page=2"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    let html = page.text();
    assert!(html.contains("zeekabelaansluiting"), "{html}");
    assert!(!html.contains("<iframe"), "no PDF viewer for a docx");
    assert!(html.contains("id=\"open-file\""), "{html}");
    let file = crate::common::send(
        state,
        axum::http::Request::builder()
            .uri(format!("/api/documents/{id}/file"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(file.status, axum::http::StatusCode::OK);
    assert_eq!(file.content_type, "application/octet-stream");
    assert!(file.body.starts_with(b"PK"), "the docx itself");
}

#[test]
fn every_format_is_indexed_found_by_its_own_words_and_hostile_files_get_their_class() {
    let root = tempfile::tempdir().unwrap();
    let (index, summary) = index_format_fixtures(root.path());
    let line = summary.line();
    // Counted with the hostile files (diep.xml, leeg.eml, afgebroken.docx, bom.docx...).
    for counted in [
        "3 docx", "3 xml", "4 e-mail", "2 zip", "1 html", "1 csv", "1 image",
    ] {
        assert!(line.contains(counted), "{counted} in {line}");
    }
    // The hostile files: each in its class, the run goes on.
    let expected = woo_fixtures::formats::hostile_format_fixtures();
    for (fixture, class) in &expected {
        let report = summary
            .reports
            .iter()
            .find(|report| report.source == fixture.name)
            .unwrap_or_else(|| panic!("no report for {}", fixture.name));
        assert_eq!(
            report.status,
            FileStatus::Failed,
            "{}: {report:?}",
            fixture.name
        );
        let got = serde_json::to_value(report.class).unwrap();
        assert_eq!(got, *class, "{}: {report:?}", fixture.name);
    }
    assert_eq!(
        summary.failures.len(),
        expected.len(),
        "{:?}",
        summary.failures
    );

    let service = SearchService::open(&index).unwrap();
    // (query, source of the one document holding it, its format, the page the word is on)
    let cases = [
        ("zeekabelaansluiting", "windpark.docx", "docx", 2),
        ("dijkversterking", "kamerstuk.odt", "odt", 2),
        (
            "isolatiesubsidieregeling",
            "subsidies.xlsx",
            "spreadsheet",
            2,
        ),
        ("fietsparkeergarage", "parkeren.ods", "spreadsheet", 1),
        ("bruggenonderhoud", "begroting.csv", "csv", 1),
        ("grondwatermeetnetten", "notitie.md", "text", 1),
        ("fijnstofconcentratie", "luchtkwaliteit.html", "html", 1),
        ("mondkapjesleverancier", "bericht.eml", "e-mail", 1),
        ("vaccinatieschema", "overleg.msg", "e-mail", 1),
        ("prikstraten", "overleg.msg#planning.txt", "text", 1),
        (
            "beschermingsmiddelen",
            "bericht.eml#contractvoorwaarden.docx",
            "docx",
            1,
        ),
        (
            "bodemsaneringslocaties",
            "woo-verzoek.zip#verzoek/brief.txt",
            "text",
            1,
        ),
        (
            "fietsenstallingsexploitatie",
            "woo-verzoek.zip#verzoek/agenda.eml",
            "e-mail",
            1,
        ),
        ("dakkapel", "gemeenteblad.xml", "xml", 1),
        ("huurcontractgegevens", "uitspraak.xml", "xml", 1),
    ];
    for (query, source, format, page) in cases {
        let answer = search(&service, query, &[]);
        let sources: Vec<&str> = answer.results.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(sources, vec![source], "{query}");
        let result = &answer.results[0];
        assert_eq!(result.hits[0].page, page, "{query}: page");
        assert!(
            result.hits[0].snippet.to_lowercase().contains("<mark>"),
            "{query}: {}",
            result.hits[0].snippet
        );
        assert_eq!(
            facet_values(&answer, "file_format"),
            vec![(format.to_string(), 1)],
            "{query}"
        );
    }
    // What scripts and styles hold is not text.
    assert_eq!(search(&service, "scriptgeheim", &[]).total, 0);
    // Titles from the files' own metadata; the ruling by its ECLI, court and summary.
    let docx = search(&service, "zeekabelaansluiting", &[]);
    assert_eq!(docx.results[0].title, "Advies windmolenpark Hollandse Kust");
    let ruling = search(&service, "\"ECLI:NL:RBDHA:2024:1234\"", &[]);
    assert_eq!(ruling.results.len(), 1, "ECLI lookup");
    assert_eq!(ruling.results[0].date.as_deref(), Some("2024-02-20"));
    assert_eq!(
        facet_values(&ruling, "court"),
        vec![("Rechtbank Den Haag".to_string(), 1)]
    );
    let by_court = search(&service, "", &[("court", "Rechtbank Den Haag")]);
    assert_eq!(by_court.total, 1);
    let gemeenteblad = search(&service, "dakkapel", &[]);
    assert_eq!(
        gemeenteblad.results[0].title,
        "Verleende omgevingsvergunning dakkapel Lindenlaan 3"
    );
    assert_eq!(
        gemeenteblad.results[0].document_type.as_deref(),
        Some("Gemeenteblad")
    );
    // Browse by format: every e-mail (the .eml, the .msg and the one in the archive).
    let mails = search(&service, "", &[("file_format", "e-mail")]);
    assert_eq!(mails.total, 3);
    // The attachment points at its message and the message at its attachment.
    let table = service.table();
    let message = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.source == "bericht.eml")
        .unwrap();
    let attachment = table
        .entries
        .iter()
        .find(|entry| entry.stored.fields.source == "bericht.eml#contractvoorwaarden.docx")
        .unwrap();
    assert!(attachment
        .stored
        .fields
        .references
        .contains(&message.stored.fields.id));
    assert!(message
        .stored
        .fields
        .references
        .contains(&attachment.stored.fields.id));
    assert_eq!(
        message.stored.fields.title,
        "Mondkapjesleverancier stand van zaken"
    );
}

#[test]
fn a_scan_delivered_as_an_image_is_read_by_ocr() {
    let cache = tempfile::tempdir().unwrap();
    let Some(engine) = woo_indexer::ocr::OcrEngine::detect(Some(cache.path().to_path_buf())) else {
        eprintln!("skipped: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-nld poppler-utils)");
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let inputs = root.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let png = woo_fixtures::scanned_png(
        "Gemeente Zwolle\nBesluit over de bouwvergunning\nvan de Sassenpoort.",
    )
    .unwrap();
    std::fs::write(inputs.join("scan.png"), png).unwrap();
    std::fs::write(inputs.join("geen-plaatje.jpg"), b"%PDF-1.4 niet echt").unwrap();
    let index = root.path().join("index");
    let options = IndexOptions {
        ocr: Some(engine),
        extract_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_woo"))),
        ..IndexOptions::new(vec![inputs], index.clone())
    };
    let summary = run_index(&options, &|_| {}).unwrap();
    assert_eq!(summary.ocr_pages, 1, "{}", summary.line());
    let refused = summary
        .reports
        .iter()
        .find(|report| report.source == "geen-plaatje.jpg")
        .unwrap();
    assert_eq!(
        serde_json::to_value(refused.class).unwrap(),
        "unsupported_type"
    );
    let service = SearchService::open(&index).unwrap();
    let answer = search(&service, "Sassenpoort", &[]);
    assert_eq!(answer.results.len(), 1, "the scan found by OCR");
    assert_eq!(answer.results[0].source, "scan.png");
    assert_eq!(
        facet_values(&answer, "file_format"),
        vec![("image".to_string(), 1)]
    );
    assert_eq!(
        facet_values(&answer, "text_source"),
        vec![("ocr".to_string(), 1)]
    );
}
