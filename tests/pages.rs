use std::process::Command;

use woo_server::search::SearchRequest;
use woo_server::SearchService;

fn woo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_woo"))
}

/// Two good records and one with a misspelt field, in one text-page file.
const RECORDS: &str = r#"{"id": "BZK-2023-7-0001", "title": "E-mail over de levering van mondkapjes", "publication_id": "BZK-2023-7", "publication_title": "Woo-besluit mondkapjes", "publisher": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "category": "2i", "type": "e-mail", "date": "2023-05-17", "judgement": "deels openbaar", "grounds": ["10.2.e"], "pages": ["Geachte heer, de levering van de mondkapjes is vertraagd door de leverancier.", "De leverancier vraagt om een nieuwe betaling. 5.1.2e"]}
{"id": "UTR-2021-3-0002", "title": "Nota over de parkeervergunning", "publisher": "Gemeente Utrecht", "category": "2a", "type": "nota", "date": "2021-02-01", "judgement": "openbaar", "pages": ["De gemeenteraad besluit over de parkeervergunning in de binnenstad."]}
{"id": "X-1", "judgment": "openbaar", "pages": ["tekst"]}
"#;

fn request(query: &str, filters: &[(&str, &str)]) -> SearchRequest {
    crate::common::search_request(query, filters)
}

#[test]
fn text_page_files_are_indexed_without_pdfs_and_searchable_per_page() {
    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("batch.pages.jsonl"), RECORDS).unwrap();
    let run = || {
        woo()
            .args(["index", "--no-ocr", "--index"])
            .arg(index.path())
            .arg(input.path())
            .output()
            .unwrap()
    };
    let output = run();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The misspelt record is reported with its file and line; the others are indexed.
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3 files: 2 documents indexed (3 pages"),
        "{stdout}"
    );
    assert!(
        stderr.contains("batch.pages.jsonl") && stderr.contains("line 3"),
        "{stderr}"
    );
    assert!(stderr.contains("judgment"), "{stderr}");

    let search = SearchService::open(index.path()).unwrap();
    let answer = search.search(&request("betaling", &[])).unwrap();
    assert_eq!(answer.total, 1);
    let result = &answer.results[0];
    assert_eq!(result.id, "BZK-2023-7-0001");
    assert_eq!(result.grounds, vec!["5.1.2e"]);
    assert_eq!(result.hits.len(), 1);
    assert_eq!(result.hits[0].page, 2);
    assert!(result.hits[0].snippet.contains("<mark>betaling</mark>"));

    let filtered = search
        .search(&request("", &[("publisher", "Gemeente Utrecht")]))
        .unwrap();
    assert_eq!(filtered.total, 1);
    assert_eq!(filtered.results[0].id, "UTR-2021-3-0002");
    assert_eq!(filtered.results[0].date.as_deref(), Some("2021-02-01"));
    let page = search.page_text("UTR-2021-3-0002", 1).unwrap();
    assert!(page.text.contains("parkeervergunning"));
    assert_eq!(page.text_source, "text");

    // A second run over the same file changes nothing.
    let again = run();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains("0 documents indexed") && stdout.contains("2 unchanged"),
        "{stdout}"
    );
}
