use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use woo_indexer::ingest::{run_index, IndexOptions};
use woo_server::admin::{AdminConfig, AdminState, Scope, TokenSet};
use woo_server::{AppState, SearchService};

use crate::common::{facet_count, fixtures_dir, result_ids, send, Answer};

const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
const LOAD_ONLY_TOKEN: &str = "test-load-only-token-0123456789";
const MINISTRY: &str = "Ministerie van Volksgezondheid, Welzijn en Sport";
const PRIVACY: &str = r#"{"reason": "correctie privacygevoelige gegevens", "explanation": "naam van een medewerker niet weggelakt"}"#;

/// A private copy of the fixtures indexed into a private index, served with the admin API.
struct AdminFixture {
    _root: tempfile::TempDir,
    inputs: PathBuf,
    index: PathBuf,
    files: PathBuf,
    state: AppState,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn index_options(inputs: &Path, index: &Path) -> IndexOptions {
    IndexOptions {
        jobs: 2,
        extract_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_woo"))),
        ..IndexOptions::new(vec![inputs.to_path_buf()], index.to_path_buf())
    }
}

fn admin_state(index: &Path, files: &Path) -> AppState {
    admin_state_with(index, files, None)
}

/// The admin state, with OCR of uploads when `ocr_cache` is given.
fn admin_state_with_ocr(index: &Path, files: &Path, ocr_cache: PathBuf) -> AppState {
    admin_state_with(index, files, Some(ocr_cache))
}

fn admin_state_with(index: &Path, files: &Path, ocr_cache: Option<PathBuf>) -> AppState {
    let mut tokens = TokenSet::default();
    tokens
        .add("beheerder", &[Scope::Load, Scope::Retract], ADMIN_TOKEN)
        .unwrap();
    tokens
        .add("laden", &[Scope::Load], LOAD_ONLY_TOKEN)
        .unwrap();
    let config = || AdminConfig {
        index_dir: index.to_path_buf(),
        files_dir: files.to_path_buf(),
        tokens: tokens.clone(),
        extract_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_woo"))),
        ocr: ocr_cache.is_some(),
        ocr_cache: ocr_cache.clone(),
    };
    // The writer of the run or server before may still be letting go of the index lock
    // (seen under a loaded test machine): try again for a few seconds.
    let mut admin = AdminState::open(config());
    for _ in 0..100 {
        if admin.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        admin = AdminState::open(config());
    }
    let admin = admin.unwrap();
    AppState {
        search: Arc::new(SearchService::open(index).unwrap()),
        admin: Some(Arc::new(admin)),
        rate_limit: None,
        public_url: None,
    }
}

fn admin_fixture() -> AdminFixture {
    let root = tempfile::tempdir().unwrap();
    let inputs = root.path().join("inputs");
    let index = root.path().join("index");
    let files = root.path().join("index-files");
    copy_tree(&fixtures_dir(), &inputs);
    let summary = run_index(&index_options(&inputs, &index), &|_| {}).unwrap();
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    let state = admin_state(&index, &files);
    AdminFixture {
        _root: root,
        inputs,
        index,
        files,
        state,
    }
}

async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    send(state.clone(), builder.body(Body::from(body)).unwrap()).await
}

async fn search(state: &AppState, query: &str) -> serde_json::Value {
    let answer = call(
        state,
        "GET",
        &format!("/api/search?{query}"),
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.json()
}

fn error_code(answer: &Answer) -> String {
    answer.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A zip of `(name, bytes)` entries.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const UPLOAD_ID: &str = "TEST-UPLOAD-2025-01";

fn upload_zip() -> Vec<u8> {
    let publication = serde_json::json!({
        "id": UPLOAD_ID,
        "title": "Woo-besluit testupload",
        "publisher": "Gemeente Teststad",
        "category": "2i",
        "date": "2025-01-10",
        "documents": [
            {"file": "besluit.pdf", "id": "TEST-UPLOAD-besluit", "title": "Besluit testupload"},
            {"file": "documenten/bijlage.pdf", "id": "TEST-UPLOAD-bijlage", "title": "Bijlage testupload"}
        ]
    });
    let pdf = |path: &str| std::fs::read(fixtures_dir().join(path)).unwrap();
    zip_of(&[
        (
            "publication.json",
            serde_json::to_vec_pretty(&publication).unwrap(),
        ),
        ("besluit.pdf", pdf("vws-mondkapjes/besluit.pdf")),
        (
            "documenten/bijlage.pdf",
            pdf("vws-mondkapjes/documenten/0001.pdf"),
        ),
    ])
}

/// Uploads and waits for the job; returns the finished job.
async fn upload_and_wait(state: &AppState, zip: Vec<u8>) -> serde_json::Value {
    let answer = call(
        state,
        "POST",
        "/api/admin/publications",
        Some(LOAD_ONLY_TOKEN),
        zip,
    )
    .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.text());
    let status_url = answer.json()["status_url"].as_str().unwrap().to_string();
    for _ in 0..600 {
        let job = call(state, "GET", &status_url, Some(LOAD_ONLY_TOKEN), Vec::new()).await;
        assert_eq!(job.status, StatusCode::OK, "{}", job.text());
        let job = job.json();
        if job["state"] == "done" || job["state"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("upload job did not finish");
}

/// Waits until no writer holds the index (the background purge after a retraction holds the
/// admin state, and so the writer, until its merge is done).
async fn wait_for_writer_release(index: &Path) {
    for _ in 0..200 {
        if woo_indexer::write::IndexSink::open(index).is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the index writer was not released");
}

/// Drops the fixture's server state and waits until its index writer is let go; the folder
/// (kept alive), the index and the files directory, for a server started anew.
async fn stop_server(fixture: AdminFixture) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let AdminFixture {
        _root,
        index,
        files,
        state,
        ..
    } = fixture;
    drop(state);
    wait_for_writer_release(&index).await;
    (_root, index, files)
}

#[tokio::test]
async fn admin_routes_need_a_token_with_the_right_scope_and_search_stays_public() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let uri = "/api/admin/documents/VWS-WOO-2024-0117-0002";
    let missing = call(state, "DELETE", uri, None, PRIVACY.into()).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&missing), "unauthenticated");
    assert_eq!(missing.www_authenticate, "Bearer");
    let wrong = call(
        state,
        "DELETE",
        uri,
        Some("not-the-token-at-all-0000"),
        PRIVACY.into(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body, missing.body,
        "missing and wrong token answer alike"
    );
    let no_scope = call(state, "DELETE", uri, Some(LOAD_ONLY_TOKEN), PRIVACY.into()).await;
    assert_eq!(no_scope.status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&no_scope), "forbidden");
    let upload_without_token =
        call(state, "POST", "/api/admin/publications", None, upload_zip()).await;
    assert_eq!(upload_without_token.status, StatusCode::UNAUTHORIZED);
    // Nothing was retracted by the refused calls; search needs no token.
    let answer = search(state, "q=mondkapjesdeal").await;
    assert!(result_ids(&answer).contains(&"VWS-WOO-2024-0117-0002".to_string()));
    // A read-only server (no admin state) refuses admin routes too.
    let read_only = AppState {
        search: state.search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let answer = call(&read_only, "DELETE", uri, Some(ADMIN_TOKEN), PRIVACY.into()).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_retraction_needs_a_listed_reason() {
    let fixture = admin_fixture();
    let uri = "/api/admin/documents/VWS-WOO-2024-0117-0002";
    for body in [
        r#"{"reason": "zomaar"}"#,
        r#"{"explanation": "geen reden"}"#,
        "geen json",
    ] {
        let answer = call(
            &fixture.state,
            "DELETE",
            uri,
            Some(ADMIN_TOKEN),
            body.into(),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.text()
        );
        assert_eq!(error_code(&answer), "invalid_body");
    }
    let unknown = call(
        &fixture.state,
        "DELETE",
        "/api/admin/documents/bestaat-niet",
        Some(ADMIN_TOKEN),
        PRIVACY.into(),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_retracted_document_is_gone_at_once_and_stays_gone_after_reopening_and_reindexing() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let id = "VWS-WOO-2024-0117-0002";
    let before = search(state, "q=mondkapjesdeal").await;
    assert!(result_ids(&before).contains(&id.to_string()));
    let browse_before = search(state, "q=&size=100").await;
    let total_before = browse_before["total"].as_u64().unwrap();
    let ministry_before = facet_count(&browse_before, "publisher", MINISTRY);

    let answer = call(
        state,
        "DELETE",
        &format!("/api/admin/documents/{id}"),
        Some(ADMIN_TOKEN),
        PRIVACY.into(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["retracted"]["id"], id);
    assert_eq!(json["retracted"]["actor"], "beheerder");
    assert_eq!(json["documents"], serde_json::json!([id]));

    // Immediately, without sleeping.
    let after = search(state, "q=mondkapjesdeal").await;
    assert!(!result_ids(&after).contains(&id.to_string()));
    assert!(!after.to_string().contains(id));
    let browse_after = search(state, "q=&size=100").await;
    assert_eq!(browse_after["total"].as_u64().unwrap(), total_before - 1);
    assert_eq!(
        facet_count(&browse_after, "publisher", MINISTRY),
        ministry_before - 1
    );
    for uri in [
        format!("/api/documents/{id}"),
        format!("/api/documents/{id}/pages/1"),
        format!("/api/documents/{id}/file"),
    ] {
        let gone = call(state, "GET", &uri, None, Vec::new()).await;
        assert_eq!(gone.status, StatusCode::GONE, "{uri}: {}", gone.text());
        assert_eq!(error_code(&gone), "retracted");
        let message = gone.json()["error"]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            message.contains("correctie privacygevoelige gegevens"),
            "{message}"
        );
    }

    // Re-running the indexer over the same folder does not bring it back (the server's
    // writer is released first: one writer per index).
    let index = fixture.index.clone();
    let inputs = fixture.inputs.clone();
    drop(fixture.state);
    wait_for_writer_release(&index).await;
    let mut options = index_options(&inputs, &index);
    options.force = true;
    let summary = run_index(&options, &|_| {}).unwrap();
    assert_eq!(summary.retracted, 1, "{}", summary.line());
    assert!(summary.line().contains("1 retracted"), "{}", summary.line());
    let reopened = AppState {
        search: Arc::new(SearchService::open(&index).unwrap()),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let again = search(&reopened, "q=mondkapjesdeal").await;
    assert!(!result_ids(&again).contains(&id.to_string()));
    let gone = call(
        &reopened,
        "GET",
        &format!("/api/documents/{id}"),
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(gone.status, StatusCode::GONE);

    // Re-publishing on purpose brings it back.
    let mut sink = woo_indexer::write::IndexSink::open(&index).unwrap();
    let control = woo_indexer::ingest::RunControl {
        republish: vec![id.to_string()],
        ..Default::default()
    };
    let summary =
        woo_indexer::ingest::run_index_in(&mut sink, &options, &control, &|_| {}).unwrap();
    assert_eq!(summary.retracted, 0, "{}", summary.line());
    drop(sink);
    let republished = SearchService::open(&index).unwrap();
    assert!(republished.document(id).is_some());
}

#[tokio::test]
async fn retracting_a_publication_removes_all_its_documents() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let answer = call(
        state,
        "DELETE",
        "/api/admin/publications/VWS-WOO-2024-0117",
        Some(ADMIN_TOKEN),
        r#"{"reason": "procedurele fout"}"#.into(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    // Its 6 PDFs and the entry for row 0005 of its inventory table (no PDF).
    assert_eq!(answer.json()["documents"].as_array().unwrap().len(), 7);
    let browse = search(state, "q=&size=100").await;
    assert_eq!(facet_count(&browse, "publisher", MINISTRY), 0);
    assert!(!browse.to_string().contains("VWS-WOO-2024-0117"));
    let search_answer = search(state, "q=mondkapjes").await;
    assert_eq!(search_answer["total"], 0, "{search_answer}");
    // The background merge + garbage collection leaves no deleted record in any segment.
    let mut deleted_left = u32::MAX;
    for _ in 0..200 {
        let metas = state.search.index().searchable_segment_metas().unwrap();
        deleted_left = metas.iter().map(|meta| meta.num_deleted_docs()).sum();
        if deleted_left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        deleted_left, 0,
        "deleted records still on disk after the purge"
    );
}

#[tokio::test]
async fn uploading_a_publication_twice_leaves_one_copy_and_a_retracted_one_is_refused() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let total_before = search(state, "q=&size=100").await["total"]
        .as_u64()
        .unwrap();
    let job = upload_and_wait(state, upload_zip()).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["documents"], 2, "{job}");
    assert_eq!(job["files"], 2, "{job}");
    let after_first = search(state, "q=&size=100").await;
    assert_eq!(after_first["total"].as_u64().unwrap(), total_before + 2);
    let job = upload_and_wait(state, upload_zip()).await;
    assert_eq!(job["state"], "done", "{job}");
    let after_second = search(state, "q=&size=100").await;
    assert_eq!(after_second["total"].as_u64().unwrap(), total_before + 2);
    assert_eq!(
        facet_count(&after_second, "publisher", "Gemeente Teststad"),
        2
    );
    let document = call(
        state,
        "GET",
        "/api/documents/TEST-UPLOAD-besluit/file",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(document.status, StatusCode::OK);
    assert!(document.body.starts_with(b"%PDF"));
    let stored = fixture.files.join(UPLOAD_ID).join("besluit.pdf");
    assert!(stored.is_file());

    let retraction = call(
        state,
        "DELETE",
        &format!("/api/admin/publications/{UPLOAD_ID}"),
        Some(ADMIN_TOKEN),
        r#"{"reason": "anders", "explanation": "dubbel gepubliceerd"}"#.into(),
    )
    .await;
    assert_eq!(retraction.status, StatusCode::OK, "{}", retraction.text());
    assert!(!stored.exists(), "the stored copy is deleted");
    let file = call(
        state,
        "GET",
        "/api/documents/TEST-UPLOAD-besluit/file",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(file.status, StatusCode::GONE, "{}", file.text());
    let again = call(
        state,
        "POST",
        "/api/admin/publications",
        Some(LOAD_ONLY_TOKEN),
        upload_zip(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    assert_eq!(error_code(&again), "retracted");
    let browse = search(state, "q=&size=100").await;
    assert_eq!(browse["total"].as_u64().unwrap(), total_before);
}

#[tokio::test]
async fn hostile_archives_are_rejected() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let publication = br#"{"id": "TEST-HOSTILE", "documents": []}"#.to_vec();
    let pdf = std::fs::read(fixtures_dir().join("vws-mondkapjes/besluit.pdf")).unwrap();
    let many: Vec<(String, Vec<u8>)> = (0..10_001)
        .map(|number| (format!("d/{number}.pdf"), b"%PDF-1.4\n".to_vec()))
        .collect();
    let mut many_entries: Vec<(&str, Vec<u8>)> = many
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.clone()))
        .collect();
    many_entries.push(("publication.json", publication.clone()));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "path traversal",
            zip_of(&[
                ("publication.json", publication.clone()),
                ("../ontsnapt.pdf", pdf.clone()),
            ]),
        ),
        (
            "absolute name",
            zip_of(&[
                ("publication.json", publication.clone()),
                ("/tmp/absoluut.pdf", pdf.clone()),
            ]),
        ),
        (
            "non-PDF named .pdf",
            zip_of(&[
                ("publication.json", publication.clone()),
                ("nep.pdf", b"PK\x03\x04 not a pdf".to_vec()),
            ]),
        ),
        (
            "other file type",
            zip_of(&[
                ("publication.json", publication.clone()),
                ("script.sh", b"rm -rf /".to_vec()),
            ]),
        ),
        ("no publication.json", zip_of(&[("a.pdf", pdf.clone())])),
        ("too many entries", zip_of(&many_entries)),
        ("not a zip", b"this is not a zip archive".to_vec()),
    ];
    for (case, body) in cases {
        let answer = call(
            state,
            "POST",
            "/api/admin/publications",
            Some(ADMIN_TOKEN),
            body,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {}",
            answer.text()
        );
        assert_eq!(error_code(&answer), "archive_rejected", "{case}");
    }
    assert!(!fixture.files.join("..").join("ontsnapt.pdf").exists());
    assert!(!fixture.files.join("TEST-HOSTILE").exists());
}

const BULK_ID: &str = "TEST-BULK-2025-07";

/// Puts two fixture PDFs into the files directory's `inbox/` and returns a bulk record line.
fn bulk_record(files: &Path, extra: &str) -> String {
    let inbox = files.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(
        fixtures_dir().join("vws-mondkapjes/besluit.pdf"),
        inbox.join("besluit.pdf"),
    )
    .unwrap();
    std::fs::copy(
        fixtures_dir().join("vws-mondkapjes/documenten/0002.pdf"),
        inbox.join("bijlage.pdf"),
    )
    .unwrap();
    let mut record = serde_json::json!({
        "id": BULK_ID,
        "title": "Woo-besluit bulkbestand",
        "publisher": "Provincie Bulkland",
        "category": "2i",
        "date": "2025-07-01",
        "documents": [
            {"file": "inbox/besluit.pdf", "id": "TEST-BULK-besluit", "title": "Besluit bulk"},
            {"file": "inbox/bijlage.pdf", "id": "TEST-BULK-bijlage", "title": "Bijlage bulk"}
        ]
    });
    if !extra.is_empty() {
        let extra: serde_json::Value = serde_json::from_str(extra).unwrap();
        for (key, value) in extra.as_object().unwrap() {
            record[key] = value.clone();
        }
    }
    record.to_string()
}

async fn bulk(state: &AppState, token: &str, body: String) -> Answer {
    call(
        state,
        "POST",
        "/api/admin/bulk",
        Some(token),
        body.into_bytes(),
    )
    .await
}

#[tokio::test]
async fn bulk_records_are_indexed_once_answered_per_record_and_retractions_honoured() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let total_before = search(state, "q=&size=100").await["total"]
        .as_u64()
        .unwrap();
    let good = bulk_record(&fixture.files, "");
    let body = format!(
        "{good}\n\nnot json\n{}\n{}\n",
        r#"{"id": "TEST-BULK-X", "documents": [{"file": "../../etc/passwd.pdf"}]}"#,
        r#"{"id": "TEST-BULK-Y", "documents": [{"file": "inbox/ontbreekt.pdf"}], "unknown": 1}"#,
    );
    let answer = bulk(state, LOAD_ONLY_TOKEN, body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), 4, "{json}");
    assert_eq!(records[0]["status"], 200, "{json}");
    assert_eq!(records[0]["id"], BULK_ID);
    assert_eq!(records[0]["documents"], 2, "{json}");
    assert_eq!(records[1]["line"], 3);
    assert_eq!(records[1]["status"], 400);
    assert_eq!(records[1]["error"]["code"], "invalid_body");
    assert_eq!(records[2]["status"], 400, "path traversal: {json}");
    assert_eq!(records[3]["status"], 400, "unknown field: {json}");
    assert_eq!(json["indexed"], 1);
    assert_eq!(json["failed"], 3);
    // Searchable as soon as the answer arrived.
    let after = search(state, "q=&size=100").await;
    assert_eq!(after["total"].as_u64().unwrap(), total_before + 2);
    assert_eq!(facet_count(&after, "publisher", "Provincie Bulkland"), 2);

    // The same record again replaces the publication: still two documents.
    let answer = bulk(state, LOAD_ONLY_TOKEN, bulk_record(&fixture.files, "")).await;
    assert_eq!(
        answer.json()["records"][0]["status"],
        200,
        "{}",
        answer.text()
    );
    let after = search(state, "q=&size=100").await;
    assert_eq!(after["total"].as_u64().unwrap(), total_before + 2);

    // A file that does not exist: 404 for that record, nothing written.
    let missing = r#"{"id": "TEST-BULK-Z", "documents": [{"file": "inbox/ontbreekt.pdf"}]}"#;
    let answer = bulk(state, LOAD_ONLY_TOKEN, missing.to_string()).await;
    assert_eq!(
        answer.json()["records"][0]["status"],
        404,
        "{}",
        answer.text()
    );
    assert_eq!(answer.json()["records"][0]["error"]["code"], "not_found");

    // Retract the publication: a bulk record of it is refused with 409 until republished.
    let retraction = call(
        state,
        "DELETE",
        &format!("/api/admin/publications/{BULK_ID}"),
        Some(ADMIN_TOKEN),
        r#"{"reason": "procedurele fout"}"#.into(),
    )
    .await;
    assert_eq!(retraction.status, StatusCode::OK, "{}", retraction.text());
    let answer = bulk(state, LOAD_ONLY_TOKEN, bulk_record(&fixture.files, "")).await;
    let record = &answer.json()["records"][0];
    assert_eq!(record["status"], 409, "{}", answer.text());
    assert_eq!(record["error"]["code"], "retracted");
    let after = search(state, "q=&size=100").await;
    assert_eq!(after["total"].as_u64().unwrap(), total_before);
    let answer = bulk(
        state,
        LOAD_ONLY_TOKEN,
        bulk_record(&fixture.files, r#"{"republish": true}"#),
    )
    .await;
    assert_eq!(
        answer.json()["records"][0]["status"],
        200,
        "{}",
        answer.text()
    );
    let after = search(state, "q=&size=100").await;
    assert_eq!(after["total"].as_u64().unwrap(), total_before + 2);
}

#[tokio::test]
async fn bulk_requests_are_bounded_and_need_the_load_scope() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let record = bulk_record(&fixture.files, "");
    let answer = call(
        state,
        "POST",
        "/api/admin/bulk",
        None,
        record.clone().into(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    // Too many records: the whole request is refused before anything is written.
    let many = vec![record.as_str(); woo_server::bulk::MAX_BULK_RECORDS + 1].join("\n");
    let answer = bulk(state, LOAD_ONLY_TOKEN, many).await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.text()
    );
    assert_eq!(error_code(&answer), "payload_too_large");
    // A body over the limit.
    let huge = "x".repeat(woo_server::bulk::MAX_BULK_BODY_BYTES + 1);
    let answer = bulk(state, LOAD_ONLY_TOKEN, huge).await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.text()
    );
    // One line over the line limit: that record 413, the next one still indexed.
    let long_line = format!(
        r#"{{"id": "TEST-BULK-LONG", "title": "{}", "documents": []}}"#,
        "a".repeat(woo_server::bulk::MAX_BULK_LINE_BYTES)
    );
    let answer = bulk(state, LOAD_ONLY_TOKEN, format!("{long_line}\n{record}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["records"][0]["status"], 413, "{json}");
    assert_eq!(json["records"][1]["status"], 200, "{json}");
    // An empty body.
    let answer = bulk(state, LOAD_ONLY_TOKEN, "\n\n".to_string()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&answer), "invalid_body");
}

#[tokio::test]
async fn a_bulk_record_may_name_the_files_of_an_earlier_upload_job() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let job = upload_and_wait(state, upload_zip()).await;
    assert_eq!(job["state"], "done", "{job}");
    let job_id = job["id"].as_u64().unwrap();
    // Re-describe the uploaded publication: one document only, with a new title.
    let record = serde_json::json!({
        "id": UPLOAD_ID,
        "job": job_id,
        "publisher": "Gemeente Teststad",
        "documents": [{"file": "besluit.pdf", "id": "TEST-UPLOAD-besluit", "title": "Besluit herzien"}]
    });
    let answer = bulk(state, LOAD_ONLY_TOKEN, record.to_string()).await;
    let result = &answer.json()["records"][0];
    assert_eq!(result["status"], 200, "{}", answer.text());
    assert_eq!(result["documents"], 1);
    let after = search(state, "q=&size=100").await;
    assert_eq!(
        facet_count(&after, "publisher", "Gemeente Teststad"),
        1,
        "the old bijlage is gone"
    );
    let unknown_job =
        serde_json::json!({"id": "X-1", "job": 999_999, "documents": [{"file": "a.pdf"}]});
    let answer = bulk(state, LOAD_ONLY_TOKEN, unknown_job.to_string()).await;
    assert_eq!(
        answer.json()["records"][0]["status"],
        404,
        "{}",
        answer.text()
    );
}

/// A zip of a publication: `publication.json` with `documents`, plus the PDFs named.
fn publication_zip(id: &str, documents: serde_json::Value, pdfs: &[(&str, &str)]) -> Vec<u8> {
    let publication = serde_json::json!({
        "id": id,
        "title": format!("Publicatie {id}"),
        "publisher": "Gemeente Teststad",
        "documents": documents,
    });
    let mut entries = vec![(
        "publication.json",
        serde_json::to_vec_pretty(&publication).unwrap(),
    )];
    for (name, fixture) in pdfs {
        entries.push((name, std::fs::read(fixtures_dir().join(fixture)).unwrap()));
    }
    zip_of(&entries)
}

/// The publication id a document has in the index.
async fn publication_of(state: &AppState, id: &str) -> Option<String> {
    let answer = call(
        state,
        "GET",
        &format!("/api/documents/{id}"),
        None,
        Vec::new(),
    )
    .await;
    if answer.status != StatusCode::OK {
        return None;
    }
    answer.json()["publication_id"].as_str().map(str::to_string)
}

#[tokio::test]
async fn an_upload_may_not_overwrite_another_publications_document() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let foreign_id = "VWS-WOO-2024-0117-0002";
    let owner = publication_of(state, foreign_id).await;
    assert_eq!(owner.as_deref(), Some("VWS-WOO-2024-0117"));
    let zip = || {
        publication_zip(
            "TEST-OWN-1",
            serde_json::json!([{"file": "a.pdf", "id": foreign_id, "title": "Overgenomen"}]),
            &[("a.pdf", "vws-mondkapjes/besluit.pdf")],
        )
    };
    let refused = call(
        state,
        "POST",
        "/api/admin/publications",
        Some(LOAD_ONLY_TOKEN),
        zip(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(error_code(&refused), "id_conflict");
    assert!(
        refused.text().contains("VWS-WOO-2024-0117"),
        "{}",
        refused.text()
    );
    // Taking over on purpose needs the retract scope too.
    let uri = "/api/admin/publications?take_over=true";
    let no_scope = call(state, "POST", uri, Some(LOAD_ONLY_TOKEN), zip()).await;
    assert_eq!(
        no_scope.status,
        StatusCode::FORBIDDEN,
        "{}",
        no_scope.text()
    );
    let bad_query = call(
        state,
        "POST",
        "/api/admin/publications?takeover=1",
        Some(ADMIN_TOKEN),
        zip(),
    )
    .await;
    assert_eq!(
        bad_query.status,
        StatusCode::BAD_REQUEST,
        "{}",
        bad_query.text()
    );
    assert_eq!(
        publication_of(state, foreign_id).await,
        owner,
        "nothing moved"
    );
    let taken = call(state, "POST", uri, Some(ADMIN_TOKEN), zip()).await;
    assert_eq!(taken.status, StatusCode::ACCEPTED, "{}", taken.text());
    let status_url = taken.json()["status_url"].as_str().unwrap().to_string();
    for _ in 0..600 {
        let job = call(state, "GET", &status_url, Some(ADMIN_TOKEN), Vec::new()).await;
        if job.json()["state"] == "done" {
            break;
        }
        assert_ne!(job.json()["state"], "failed", "{}", job.text());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        publication_of(state, foreign_id).await.as_deref(),
        Some("TEST-OWN-1")
    );
}

#[tokio::test]
async fn unlisted_files_of_two_uploads_get_ids_of_their_own_publication() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let mut ids = Vec::new();
    for publication_id in ["TEST-OWN-A", "TEST-OWN-B"] {
        let zip = publication_zip(
            publication_id,
            serde_json::json!([]),
            &[("bijlage.pdf", "vws-mondkapjes/besluit.pdf")],
        );
        let job = upload_and_wait(state, zip).await;
        assert_eq!(job["state"], "done", "{job}");
        assert_eq!(job["documents"], 1, "{job}");
        let id = job["reports"][0]["document_id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            id.starts_with(&publication_id.to_lowercase()),
            "the default id {id:?} is derived from the publication"
        );
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(
        publication_of(state, &ids[0]).await.as_deref(),
        Some("TEST-OWN-A"),
        "the second upload did not overwrite the first"
    );
    assert_eq!(
        publication_of(state, &ids[1]).await.as_deref(),
        Some("TEST-OWN-B")
    );
    // The same upload again replaces its own document (no conflict with itself, no copy).
    let zip = publication_zip(
        "TEST-OWN-A",
        serde_json::json!([]),
        &[("bijlage.pdf", "vws-mondkapjes/besluit.pdf")],
    );
    let job = upload_and_wait(state, zip).await;
    assert_eq!(job["state"], "done", "{job}");
    let answer = search(state, "q=&publisher=Gemeente+Teststad").await;
    assert_eq!(answer["total"], 2, "{answer}");
}

#[tokio::test]
async fn a_file_named_in_publication_json_but_not_in_the_archive_is_a_failed_file() {
    let fixture = admin_fixture();
    let zip = publication_zip(
        "TEST-OWN-MISSING",
        serde_json::json!([
            {"file": "er.pdf", "id": "TEST-OWN-MISSING-1"},
            {"file": "ontbreekt.pdf", "id": "TEST-OWN-MISSING-2"}
        ]),
        &[("er.pdf", "vws-mondkapjes/besluit.pdf")],
    );
    let job = upload_and_wait(&fixture.state, zip).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["documents"], 1, "{job}");
    assert_eq!(job["failures"], 1, "{job}");
    let failed: Vec<&serde_json::Value> = job["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|report| report["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{job}");
    assert_eq!(failed[0]["document_id"], "TEST-OWN-MISSING-2");
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .contains("not in the archive"));
}

#[tokio::test]
async fn a_retracted_documents_pdf_is_not_written_back_to_disk() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let zip = || {
        publication_zip(
            "TEST-OWN-RETRACT",
            serde_json::json!([
                {"file": "blijft.pdf", "id": "TEST-OWN-RETRACT-1"},
                {"file": "weg.pdf", "id": "TEST-OWN-RETRACT-2"}
            ]),
            &[
                ("blijft.pdf", "vws-mondkapjes/besluit.pdf"),
                ("weg.pdf", "vws-mondkapjes/documenten/0001.pdf"),
            ],
        )
    };
    let job = upload_and_wait(state, zip()).await;
    assert_eq!(job["documents"], 2, "{job}");
    let stored = fixture.files.join("TEST-OWN-RETRACT").join("weg.pdf");
    assert!(stored.is_file());
    let retracted = call(
        state,
        "DELETE",
        "/api/admin/documents/TEST-OWN-RETRACT-2",
        Some(ADMIN_TOKEN),
        PRIVACY.into(),
    )
    .await;
    assert_eq!(retracted.status, StatusCode::OK, "{}", retracted.text());
    assert!(!stored.exists(), "the retraction deleted the stored file");
    // The same upload again: the kept document is indexed, the retracted one's PDF stays off
    // the disk.
    let job = upload_and_wait(state, zip()).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["documents"], 1, "{job}");
    assert!(
        !stored.exists(),
        "the retracted document's PDF was written back"
    );
    assert!(fixture.files.join("TEST-OWN-RETRACT/blijft.pdf").is_file());
    let gone = call(
        state,
        "GET",
        "/api/documents/TEST-OWN-RETRACT-2",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(gone.status, StatusCode::GONE);
}

#[tokio::test]
async fn bulk_ids_must_be_safe_and_may_not_take_another_publications_document() {
    let fixture = admin_fixture();
    let state = &fixture.state;
    let unsafe_id = bulk_record(
        &fixture.files,
        r#"{"documents": [{"file": "inbox/besluit.pdf", "id": "../../x"}]}"#,
    );
    let foreign = bulk_record(
        &fixture.files,
        r#"{"documents": [{"file": "inbox/besluit.pdf", "id": "VWS-WOO-2024-0117-0002"}]}"#,
    );
    let taking_over = bulk_record(
        &fixture.files,
        r#"{"take_over": true, "documents": [{"file": "inbox/besluit.pdf", "id": "VWS-WOO-2024-0117-0002"}]}"#,
    );
    let body = format!("{unsafe_id}\n{foreign}\n{taking_over}\n");
    let answer = bulk(state, LOAD_ONLY_TOKEN, body).await;
    let json = answer.json();
    let records = json["records"].as_array().unwrap();
    assert_eq!(records[0]["status"], 400, "{json}");
    assert!(records[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("../../x"));
    assert_eq!(records[1]["status"], 409, "{json}");
    assert_eq!(records[1]["error"]["code"], "id_conflict", "{json}");
    assert_eq!(
        records[2]["status"], 403,
        "take_over needs the retract scope: {json}"
    );
    assert_eq!(
        publication_of(state, "VWS-WOO-2024-0117-0002")
            .await
            .as_deref(),
        Some("VWS-WOO-2024-0117")
    );
    // Two records of one request naming the same new id: the second is refused.
    let first = r#"{"id": "TEST-BULK-SAME-1", "documents": [{"file": "inbox/besluit.pdf", "id": "TEST-BULK-SAME-DOC"}]}"#;
    let second = r#"{"id": "TEST-BULK-SAME-2", "documents": [{"file": "inbox/bijlage.pdf", "id": "TEST-BULK-SAME-DOC"}]}"#;
    let answer = bulk(state, LOAD_ONLY_TOKEN, format!("{first}\n{second}\n")).await;
    let json = answer.json();
    assert_eq!(json["records"][0]["status"], 200, "{json}");
    assert_eq!(json["records"][1]["status"], 409, "{json}");
    assert_eq!(
        publication_of(state, "TEST-BULK-SAME-DOC").await.as_deref(),
        Some("TEST-BULK-SAME-1")
    );
}

#[tokio::test]
async fn upload_jobs_answer_at_their_url_after_a_restart() {
    let fixture = admin_fixture();
    let job = upload_and_wait(&fixture.state, upload_zip()).await;
    assert_eq!(job["state"], "done", "{job}");
    let job_id = job["id"].as_u64().unwrap();
    // A new server on the same index: the writer of the old one is let go first.
    let (_root, index, files) = stop_server(fixture).await;
    let restarted = admin_state(&index, &files);
    let answer = call(
        &restarted,
        "GET",
        &format!("/api/admin/jobs/{job_id}"),
        Some(LOAD_ONLY_TOKEN),
        Vec::new(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["state"], "done");
    assert_eq!(answer.json()["reports"], job["reports"]);
    // New jobs get new ids.
    let next = upload_and_wait(&restarted, upload_zip()).await;
    assert!(next["id"].as_u64().unwrap() > job_id, "{next}");
}

#[tokio::test]
async fn uploads_are_ocred_like_woo_index() {
    let fixture = admin_fixture();
    let Some(_engine) = woo_indexer::ocr::OcrEngine::detect(None) else {
        eprintln!("skipped: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-nld poppler-utils)");
        return;
    };
    let (_root, index, files) = stop_server(fixture).await;
    let state = admin_state_with_ocr(&index, &files, _root.path().join("ocr-cache"));
    let zip = publication_zip(
        "TEST-OCR-UPLOAD",
        serde_json::json!([{"file": "scan.pdf", "id": "TEST-OCR-UPLOAD-1"}]),
        &[("scan.pdf", "gescand/brief-gescand.pdf")],
    );
    let job = upload_and_wait(&state, zip).await;
    assert_eq!(job["state"], "done", "{job}");
    assert!(
        job["reports"][0]["ocr_pages"].as_u64().unwrap() >= 1,
        "{job}"
    );
    let page = call(
        &state,
        "GET",
        "/api/documents/TEST-OCR-UPLOAD-1/pages/1",
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(page.json()["text_source"], "ocr", "{}", page.text());
}

#[tokio::test]
async fn an_upload_may_hold_documents_of_every_format() {
    let fixture = admin_fixture();
    let docx = woo_fixtures::formats::docx(
        "Advies getijdencentrale",
        &["Advies over de getijdencentrale in de Brouwersdam."],
    );
    let message = woo_fixtures::formats::eml(
        "Rijkswaterstaat <info@rws.nl>",
        "Minister <minister@minienw.nl>",
        "Getijdencentrale planning",
        "Mon, 3 Jun 2024 10:00:00 +0200",
        "De getijdencentrale wordt later gebouwd.",
        &[],
    );
    let publication = serde_json::json!({
        "id": "TEST-FORMATS-1",
        "title": "Publicatie met andere vormen",
        "documents": [{"file": "advies.docx", "id": "TEST-FORMATS-advies"}],
    });
    let zip = zip_of(&[
        (
            "publication.json",
            serde_json::to_vec(&publication).unwrap(),
        ),
        ("advies.docx", docx),
        ("bericht.eml", message),
        ("advies.docx.json", br#"{"type": "advies"}"#.to_vec()),
    ]);
    let job = upload_and_wait(&fixture.state, zip).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["documents"], 2, "{job}");
    let answer = search(&fixture.state, "q=getijdencentrale").await;
    assert_eq!(answer["total"], 2, "{answer}");
    assert_eq!(facet_count(&answer, "file_format", "docx"), 1);
    assert_eq!(facet_count(&answer, "file_format", "e-mail"), 1);
    assert_eq!(
        publication_of(&fixture.state, "TEST-FORMATS-advies")
            .await
            .as_deref(),
        Some("TEST-FORMATS-1")
    );
    // An executable is still no document.
    let refused = call(
        &fixture.state,
        "POST",
        "/api/admin/publications",
        Some(LOAD_ONLY_TOKEN),
        zip_of(&[
            (
                "publication.json",
                serde_json::to_vec(&publication).unwrap(),
            ),
            ("setup.exe", b"MZ".to_vec()),
        ]),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
}
