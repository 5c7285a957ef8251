use std::path::PathBuf;

use woo_indexer::ingest::{run_index, FileStatus, IndexOptions};
use woo_indexer::pdf::PdfLimits;
use woo_server::search::SearchRequest;
use woo_server::SearchService;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!("skipped: ../shared/corpus is not there");
    None
}

/// Every corpus PDF is indexed except the deliberately broken and password-protected ones,
/// and searches over it return the right documents with page-labelled snippets and facets.
#[test]
fn the_whole_corpus_indexes_with_exactly_the_broken_files_reported() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let index = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        index_dir: index.path().to_path_buf(),
        inputs: vec![corpus],
        ocr: None,
        limits: PdfLimits::default(),
        jobs: 2,
        force: false,
    };
    let summary = run_index(&options, &|_| {}).unwrap();
    eprintln!("corpus: {}", summary.line());
    let mut failed: Vec<&str> = summary
        .failures
        .iter()
        .filter(|report| report.status == FileStatus::Failed)
        .map(|report| report.source.as_str())
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        vec![
            "plooi/broken/IAmWrongPDF.pdf",
            "plooi/broken/test_broken.pdf",
            "py-pdf-sample-files/libreoffice-writer-password.pdf",
        ]
    );
    let password = summary
        .failures
        .iter()
        .find(|report| report.source.contains("password"))
        .unwrap();
    assert!(password
        .error
        .as_deref()
        .unwrap_or("")
        .contains("encrypted"));
    assert_eq!(summary.files, 175);
    // 172 PDFs plus 16 entries for inventory rows without a PDF (the minvws-woo-web xlsx lists).
    assert_eq!(summary.documents, 172 + 16);
    assert_eq!(summary.pages, 1984);

    let search = SearchService::open(index.path()).unwrap();
    let run = |query: &str| {
        search
            .search(&SearchRequest {
                query: query.to_string(),
                page: 1,
                size: 10,
                ..SearchRequest::default()
            })
            .unwrap()
    };
    let coronamelder = run("coronamelder");
    assert!(coronamelder.total >= 5);
    for result in coronamelder.results.iter().take(3) {
        assert!(
            result.source.starts_with("coronamelder/"),
            "{}",
            result.source
        );
        assert!(!result.hits.is_empty());
        assert!(result.hits[0]
            .snippet
            .to_lowercase()
            .contains("<mark>coronamelder</mark>"));
    }
    let zonneweide = run("zonneweide jaagweg");
    assert!(zonneweide.total >= 10, "{}", zonneweide.total);
    assert!(zonneweide.results[0].source.starts_with("woofairify/"));
    // The AES-256 file with an empty user password was decrypted and is searchable.
    let python = run("\"programming language\" python");
    assert!(python
        .results
        .iter()
        .any(|r| r.source.starts_with("pzh-pdf-unlock/")));
    // Refusal grounds stamped in the redacted woofairify memos reach the ground facet.
    let browse = run("");
    let grounds = &browse.facets["ground"];
    assert!(
        grounds
            .iter()
            .any(|facet| facet.value == "5.1.2e" && facet.count >= 5),
        "{grounds:?}"
    );
    // The 172 PDFs plus the 16 inventory rows without a PDF.
    assert_eq!(browse.total, 172 + 16);
}
