use std::path::Path;
use std::process::Command;

use crate::common::fixtures_dir;

fn woo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_woo"))
}

/// `woo index --no-ocr --report` of `folder` into `index`, which must succeed; the report.
fn index_with_report(folder: &Path, index: &Path) -> serde_json::Value {
    let report = index.with_file_name("report.json");
    let output = woo()
        .args(["index", "--no-ocr", "--index"])
        .arg(index)
        .arg("--report")
        .arg(&report)
        .arg(folder)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap()
}

/// A folder with one good PDF, one non-PDF named .pdf and one truncated PDF.
fn batch_with_broken_files(dir: &Path) {
    std::fs::copy(
        fixtures_dir().join("vws-mondkapjes/documenten/0001.pdf"),
        dir.join("goed.pdf"),
    )
    .unwrap();
    std::fs::write(
        dir.join("geen-pdf.pdf"),
        b"PK\x03\x04 this is a zip, not a pdf",
    )
    .unwrap();
    let whole =
        std::fs::read(fixtures_dir().join("gemeente-utrecht/jaarverslag-2023.pdf")).unwrap();
    std::fs::write(dir.join("afgebroken.pdf"), &whole[..whole.len() / 3]).unwrap();
}

#[test]
fn index_reports_broken_files_indexes_the_rest_and_exits_non_zero() {
    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    batch_with_broken_files(input.path());
    let output = woo()
        .args(["index", "--no-ocr", "--index"])
        .arg(index.path())
        .arg(input.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stderr.contains("geen-pdf.pdf"), "{stderr}");
    assert!(stderr.contains("not a PDF"), "{stderr}");
    assert!(stdout.contains("3 files"), "{stdout}");
    // The good file is searchable even though others failed. The truncated one may be
    // recovered (lopdf rebuilds what it can) or reported: either way nothing is lost.
    let search = woo_server::SearchService::open(index.path()).unwrap();
    let table = search.table();
    assert!(table
        .entries
        .iter()
        .any(|entry| entry.stored.fields.source == "goed.pdf"));
    assert!(!table
        .entries
        .iter()
        .any(|entry| entry.stored.fields.source == "geen-pdf.pdf"));
}

#[test]
fn a_second_run_skips_unchanged_files_and_keeps_one_copy() {
    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures_dir().join("vws-mondkapjes/documenten/0001.pdf"),
        input.path().join("a.pdf"),
    )
    .unwrap();
    for run in 0..2 {
        let output = woo()
            .args(["index", "--no-ocr"])
            .env("WOO_INDEX", index.path())
            .arg(input.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        if run == 1 {
            assert!(stdout.contains("0 documents indexed"), "{stdout}");
            assert!(stdout.contains("1 unchanged"), "{stdout}");
        }
    }
    // Changing the metadata re-indexes the file, still as one document.
    std::fs::write(
        input.path().join("a.pdf.json"),
        r#"{"title": "Nieuwe titel"}"#,
    )
    .unwrap();
    let output = woo()
        .args(["index", "--no-ocr", "--index"])
        .arg(index.path())
        .arg(input.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 documents indexed"));
    let search = woo_server::SearchService::open(index.path()).unwrap();
    let table = search.table();
    assert_eq!(table.entries.len(), 1);
    assert_eq!(table.entries[0].stored.fields.title, "Nieuwe titel");
}

#[test]
fn extract_prints_pages_separated_by_form_feeds_and_json() {
    let file = fixtures_dir().join("vws-mondkapjes/besluit.pdf");
    let output = woo().arg("extract").arg(&file).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.matches('\x0c').count(), 3);
    assert!(text.contains("2024-0001234"));

    let output = woo()
        .args(["extract", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let pages: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(pages.as_array().unwrap().len(), 3);
    assert_eq!(pages[0]["page"], 1);
    assert_eq!(pages[0]["source"], "text");
}

#[test]
fn extract_of_a_missing_file_fails_with_its_name() {
    let output = woo()
        .args(["extract", "/no/such/file.pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/no/such/file.pdf"));
}

#[test]
fn a_failed_redaction_is_not_indexed_and_is_reported() {
    let (leak, clean) = woo_fixtures::hostile::redaction_pair();
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("lek.pdf"), &leak).unwrap();
    std::fs::write(folder.path().join("goed.pdf"), &clean).unwrap();
    let index = tempfile::tempdir().unwrap();
    let report = index_with_report(folder.path(), &index.path().join("index"));
    let reports = report["reports"].as_array().unwrap();
    let of = |name: &str| {
        reports
            .iter()
            .find(|entry| entry["source"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        of("lek.pdf")["redaction_leaks"],
        serde_json::json!([{"page": 1, "words": 5}])
    );
    assert!(of("goed.pdf").get("redaction_leaks").is_none());
    // The covered words are nowhere to be found; the visible line and the stamp are.
    let search = woo_server::SearchService::open(&index.path().join("index")).unwrap();
    let run = |query: &str| {
        search
            .search(&woo_server::SearchRequest {
                query: query.to_string(),
                page: 1,
                size: 10,
                ..woo_server::SearchRequest::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(run("Pietersen"), 0);
    assert_eq!(run("0687654321"), 0);
    assert_eq!(run("windturbines"), 2);
    // `woo check-redactions` names the leaking file and fails; the clean one passes.
    let check = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_woo"))
            .arg("check-redactions")
            .arg(folder.path().join(file))
            .output()
            .unwrap()
    };
    let leaking = check("lek.pdf");
    assert_eq!(leaking.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&leaking.stdout);
    assert!(
        printed.contains("page 1: 5 words under a redaction box"),
        "{printed}"
    );
    assert!(
        !printed.contains("Pietersen"),
        "the words themselves are not printed"
    );
    assert_eq!(check("goed.pdf").status.code(), Some(0));
    // The file that still holds the words is not served; the admin API lists it.
    drop(search);
    let leaking_id = of("lek.pdf")["document_id"].as_str().unwrap().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(withheld_and_listed(
        &index.path().join("index"),
        &leaking_id,
    ));
}

async fn withheld_and_listed(index: &std::path::Path, leaking_id: &str) {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    let mut tokens = woo_server::admin::TokenSet::default();
    tokens
        .add(
            "privacy",
            &[woo_server::admin::Scope::Retract],
            "redaction-test-token-0123456789",
        )
        .unwrap();
    let files = index.with_file_name("files");
    let admin = woo_server::admin::AdminState::open(woo_server::admin::AdminConfig {
        index_dir: index.to_path_buf(),
        files_dir: files,
        tokens,
        extract_worker: None,
        ocr: false,
        ocr_cache: None,
    })
    .unwrap();
    let state = woo_server::AppState {
        search: std::sync::Arc::new(woo_server::SearchService::open(index).unwrap()),
        admin: Some(std::sync::Arc::new(admin)),
        rate_limit: None,
        public_url: None,
    };
    let file = crate::common::send(
        state.clone(),
        Request::builder()
            .uri(format!("/api/documents/{leaking_id}/file"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(file.status, StatusCode::FORBIDDEN, "{}", file.text());
    assert_eq!(file.json()["error"]["code"], "withheld");
    let page = crate::common::send(
        state.clone(),
        Request::builder()
            .uri(format!("/documents/{leaking_id}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        !page.text().contains("<iframe"),
        "no viewer for a withheld file"
    );
    assert!(!page.text().contains("Pietersen"));
    let listed = crate::common::send(
        state,
        Request::builder()
            .uri("/api/admin/redaction-leaks")
            .header("authorization", "Bearer redaction-test-token-0123456789")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    let documents = listed.json()["documents"].as_array().unwrap().clone();
    assert_eq!(documents.len(), 1, "{documents:?}");
    assert_eq!(documents[0]["id"], leaking_id);
    assert_eq!(documents[0]["covered_words"], 5);
}

#[test]
fn redaction_cases_are_scored_for_precision_and_recall() {
    // The judged set of the fixture builder (woo_fixtures::hostile::redaction_cases): words
    // really hidden against words the detector says are covered, per case.
    let mut found_hidden = 0u32;
    let mut flagged = 0u32;
    let mut hidden = 0u32;
    let mut missed = Vec::new();
    for case in woo_fixtures::hostile::redaction_cases() {
        let extracted = woo_indexer::readers::read_file(
            "case.pdf",
            &case.pdf,
            &woo_indexer::pdf::PdfLimits::default(),
        )
        .unwrap();
        let covered = extracted.pages[0].covered_words;
        assert!(
            extracted.pages[0].text.contains("windturbines"),
            "{}: the visible line stays",
            case.name
        );
        hidden += case.hidden_words;
        flagged += covered;
        found_hidden += covered.min(case.hidden_words);
        if covered != case.hidden_words {
            missed.push(format!("{}: {covered} of {}", case.name, case.hidden_words));
        }
    }
    let precision = f64::from(found_hidden) / f64::from(flagged.max(1));
    let recall = f64::from(found_hidden) / f64::from(hidden.max(1));
    eprintln!(
        "redaction cases: precision {precision:.2}, recall {recall:.2} ({found_hidden} of {hidden} hidden words, {flagged} flagged); off: {missed:?}"
    );
    // A flagged word that is visible would be a word we hide from search for nothing.
    assert_eq!(precision, 1.0, "{missed:?}");
    // Boxes drawn as paths are not caught yet (see README, "Failed redactions").
    assert!(recall >= 0.75, "{missed:?}");
}

#[test]
fn complaint_records_with_personal_data_are_refused_one_by_one() {
    let folder = tempfile::tempdir().unwrap();
    let records = [
        r#"{"id": "K-1", "publisher": "Gemeente Testdorp", "date_judged": "2024-03-01", "outcome": "gegrond", "subject": "bejegening", "summary": "Klager werd onheus bejegend aan de balie."}"#,
        r#"{"id": "K-2", "publisher": "Gemeente Testdorp", "date_judged": "2024-03-02", "outcome": "ongegrond", "subject": "parkeren", "summary": "Klager (BSN 111222333) vond de parkeerboete onterecht."}"#,
        r#"{"id": "K-3", "publisher": "Gemeente Testdorp", "date_judged": "2024-03-03", "outcome": "deels gegrond", "subject": "afval", "text": "Reactie gestuurd aan klager via p.devries@example.nl over de containers."}"#,
    ];
    std::fs::write(
        folder.path().join("testdorp.klachten.jsonl"),
        records.join("\n"),
    )
    .unwrap();
    let index = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_woo"))
        .args(["index", "--no-ocr", "--index"])
        .arg(index.path())
        .arg(folder.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("\"K-2\" holds personal data (BSN)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"K-3\" holds personal data (e-mailadres)"),
        "{stderr}"
    );
    let search = woo_server::SearchService::open(index.path()).unwrap();
    let ids: Vec<String> = search
        .table()
        .entries
        .iter()
        .map(|entry| entry.stored.fields.id.clone())
        .collect();
    assert_eq!(
        ids,
        vec!["K-1".to_string()],
        "only the record without personal data"
    );
}

#[test]
fn personal_data_in_a_complaint_judgement_letter_is_reported() {
    let folder = tempfile::tempdir().unwrap();
    let letter = woo_fixtures::simple_pdf(
        "Klachtoordeel",
        &[
            "Beslissing op uw klacht\nUw klacht over de bejegening is gegrond.",
            "Reacties kunt u sturen aan m.jansen@example.nl of bellen met 06-12345678.",
        ],
    );
    std::fs::write(folder.path().join("oordeel.pdf"), letter).unwrap();
    std::fs::write(
        folder.path().join("oordeel.pdf.json"),
        r#"{"id": "KO-1", "category": "2l", "title": "Klachtoordeel bejegening"}"#,
    )
    .unwrap();
    // The same letter without metadata is read as a complaint judgement by its text, and
    // checked the same way.
    let unlabelled = woo_fixtures::simple_pdf(
        "",
        &[
            "Gemeente Ede\nDatum: 3 april 2024\nOnderwerp: Beslissing op uw klacht over parkeren\nU klaagt over de wachttijd. Wij vinden uw klacht ongegrond.",
            "Uw adres is Dorpsstraat 12, 6711 AB Ede.",
        ],
    );
    std::fs::write(folder.path().join("zonder-metadata.pdf"), unlabelled).unwrap();
    let index = tempfile::tempdir().unwrap();
    let report = index_with_report(folder.path(), &index.path().join("index"));
    let personal_data_of = |name: &str| {
        report["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|file| file["source"] == name)
            .map(|file| file["personal_data"].clone())
            .unwrap_or_default()
    };
    assert_eq!(
        personal_data_of("oordeel.pdf"),
        serde_json::json!([{"page": 2, "kinds": ["e-mailadres", "telefoonnummer"]}])
    );
    assert_eq!(
        personal_data_of("zonder-metadata.pdf"),
        serde_json::json!([{"page": 2, "kinds": ["adres"]}])
    );
}
