use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use woo_server::SearchService;

use crate::common::fixtures_dir;

/// A pseudo-random delay from the clock (no rand dependency): 0 to `max_ms` milliseconds.
fn random_delay(max_ms: u64) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    Duration::from_millis(u64::from(nanos) % max_ms.max(1))
}

/// Documents per publication id in the committed index (documents without one are skipped).
fn documents_per_publication(search: &SearchService) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for entry in &search.table().entries {
        if let Some(publication) = &entry.stored.fields.publication_id {
            *counts.entry(publication.clone()).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn kill_during_indexing_leaves_an_index_that_opens_without_half_publications() {
    let input = tempfile::tempdir().unwrap();
    copy_fixtures(input.path());
    for iteration in 0..4 {
        let index = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_woo"))
            .args(["index", "--no-ocr", "--index"])
            .arg(index.path())
            .arg(input.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(random_delay(1_500));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if !index.path().join("meta.json").exists() {
            continue; // killed before the index was created: nothing to check
        }
        let search = SearchService::open(index.path())
            .unwrap_or_else(|error| panic!("iteration {iteration}: index does not open: {error}"));
        let counts = documents_per_publication(&search);
        let present = counts.get("VWS-WOO-2024-0117").copied().unwrap_or(0);
        assert!(
            present == 0 || present == 7,
            "iteration {iteration}: publication half-present ({present} of 7 documents)"
        );
        drop(search);
        // The writer lock died with the process: a new run completes.
        let status = Command::new(env!("CARGO_BIN_EXE_woo"))
            .args(["index", "--no-ocr", "--index"])
            .arg(index.path())
            .arg(input.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "iteration {iteration}: re-run failed");
        let search = SearchService::open(index.path()).unwrap();
        assert_eq!(
            documents_per_publication(&search).get("VWS-WOO-2024-0117"),
            Some(&7)
        );
    }
}

fn copy_fixtures(target: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let destination = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &destination);
            } else {
                std::fs::copy(entry.path(), &destination).unwrap();
            }
        }
    }
    copy(&fixtures_dir(), target);
}

/// A small seeded pseudo-random generator (xorshift64*), so a failing run can be repeated
/// with the same `WOO_CRASH_SEED`.
struct Random(u64);

impl Random {
    fn new(seed: u64) -> Random {
        Random(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(default)
}

/// Every record (document record and page records) of a document id in the committed index:
/// (document records, page records).
fn records_of(search: &SearchService, doc_id: &str) -> (usize, usize) {
    let index = search.index();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let fields = woo_core::schema::Fields::from_schema(&index.schema()).unwrap();
    let query = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(fields.doc_id, doc_id),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let count = searcher.search(&query, &tantivy::collector::Count).unwrap();
    let documents = search
        .table()
        .entries
        .iter()
        .filter(|entry| entry.stored.fields.id == doc_id)
        .count();
    (documents, count - documents)
}

#[test]
fn a_publication_of_more_than_500_documents_is_committed_as_a_unit() {
    // 620 documents in one publication.json beside 620 loose PDFs: the indexer commits every
    // 500 documents, but only between publications. After every 40th file (a moment at which
    // a kill could land) the committed index holds the whole publication or none of it.
    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let publication = input.path().join("groot");
    std::fs::create_dir_all(&publication).unwrap();
    let loose = input.path().join("los");
    std::fs::create_dir_all(&loose).unwrap();
    let count = 620;
    let mut documents = Vec::new();
    for number in 0..count {
        let name = format!("{number:04}.pdf");
        let pdf =
            woo_fixtures::simple_pdf("", &[&format!("Document {number} van het grote besluit")]);
        std::fs::write(publication.join(&name), &pdf).unwrap();
        std::fs::write(loose.join(&name), &pdf).unwrap();
        documents.push(serde_json::json!({"file": name, "id": format!("GROOT-{number:04}")}));
    }
    let manifest =
        serde_json::json!({"id": "GROOT-2025-1", "title": "Groot besluit", "documents": documents});
    std::fs::write(publication.join("publication.json"), manifest.to_string()).unwrap();
    let options = woo_indexer::ingest::IndexOptions {
        jobs: 2,
        ..woo_indexer::ingest::IndexOptions::new(
            vec![input.path().to_path_buf()],
            index.path().to_path_buf(),
        )
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let checks = std::sync::atomic::AtomicUsize::new(0);
    let index_dir = index.path().to_path_buf();
    let summary = woo_indexer::ingest::run_index(&options, &|event| {
        if !matches!(event, woo_indexer::ingest::Progress::FileDone(_)) {
            return;
        }
        let files = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if !files.is_multiple_of(40) || !index_dir.join("meta.json").exists() {
            return;
        }
        let search = SearchService::open(&index_dir).unwrap();
        let present = documents_per_publication(&search)
            .get("GROOT-2025-1")
            .copied()
            .unwrap_or(0);
        assert!(
            present == 0 || present == count,
            "after {files} files the committed index holds {present} of {count} documents"
        );
        checks.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    })
    .unwrap();
    assert_eq!(summary.documents, 2 * count, "{:?}", summary.failures);
    assert!(checks.load(std::sync::atomic::Ordering::SeqCst) >= 20);
    let search = SearchService::open(index.path()).unwrap();
    assert_eq!(
        documents_per_publication(&search).get("GROOT-2025-1"),
        Some(&count)
    );
}

const CRASH_TOKEN: &str = "crash-test-admin-token-0123456789";

/// One HTTP/1.1 request over a fresh connection with a JSON body; (status, body).
fn http(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    http_with(port, method, path, "application/json", body.as_bytes())
}

/// One HTTP/1.1 request over a fresh connection; (status, body).
fn http_with(
    port: u16,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {CRASH_TOKEN}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Err(std::io::Error::other("incomplete answer"));
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    if !head.to_lowercase().contains("content-length") && !body.ends_with('}') {
        return Err(std::io::Error::other("cut-off answer"));
    }
    Ok((status, body.to_string()))
}

/// What the client was told (acknowledged) and what it sent.
#[derive(Default)]
struct Ledger {
    /// Every publication sent: id -> its document ids (acknowledged or not).
    sent: HashMap<String, Vec<String>>,
    /// Publications answered 200 (their records committed).
    acknowledged: Vec<String>,
    /// Publications whose retraction was answered 200.
    retracted: Vec<String>,
    /// Publications whose retraction was sent (answered or not: a kill may land after the
    /// server committed it and before the answer arrived).
    retraction_sent: Vec<String>,
}

const FILES_IN_INBOX: usize = 12;
const DOCUMENTS_PER_PUBLICATION: usize = 3;

fn publication_record(
    publication_id: &str,
    first_file: usize,
    republish: bool,
) -> (String, Vec<String>) {
    let mut documents = Vec::new();
    let mut ids = Vec::new();
    for number in 0..DOCUMENTS_PER_PUBLICATION {
        let id = format!("{publication_id}-{number}");
        let file = (first_file + number) % FILES_IN_INBOX;
        documents.push(serde_json::json!({
            "file": format!("inbox/{file:02}.pdf"),
            "id": id,
            "title": format!("Document {number} van {publication_id}"),
        }));
        ids.push(id);
    }
    let mut record = serde_json::json!({
        "id": publication_id,
        "title": format!("Publicatie {publication_id}"),
        "publisher": "Ministerie van Crashtesten",
        "documents": documents,
    });
    if republish {
        record["republish"] = serde_json::Value::Bool(true);
    }
    (record.to_string(), ids)
}

/// Streams batches of publications (and retractions of acknowledged ones) until the server
/// stops answering; logs every acknowledgement in `ledger` before sending the next batch.
fn stream_publications(port: u16, iteration: u64, ledger: &std::sync::Mutex<Ledger>, seed: u64) {
    let mut random = Random::new(seed);
    for batch in 0.. {
        let mut body = String::new();
        let mut batch_ids = Vec::new();
        for record_number in 0..3 {
            let publication_id = format!("CRASH-{iteration}-{batch}-{record_number}");
            let (line, ids) = publication_record(
                &publication_id,
                random.below(FILES_IN_INBOX as u64) as usize,
                false,
            );
            ledger
                .lock()
                .unwrap()
                .sent
                .insert(publication_id.clone(), ids);
            body.push_str(&line);
            body.push('\n');
            batch_ids.push(publication_id);
        }
        let Ok((status, answer)) = http(port, "POST", "/api/admin/bulk", &body) else {
            return;
        };
        assert_eq!(status, 200, "bulk answer: {answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        for record in answer["records"].as_array().unwrap() {
            assert_eq!(record["status"], 200, "{record}");
            let id = record["id"].as_str().unwrap().to_string();
            ledger.lock().unwrap().acknowledged.push(id);
        }
        if batch % 2 == 1 {
            // Retract one acknowledged publication that is not retracted yet.
            let candidate = {
                let ledger = ledger.lock().unwrap();
                ledger
                    .acknowledged
                    .iter()
                    .rev()
                    .find(|id| !ledger.retraction_sent.contains(id))
                    .cloned()
            };
            if let Some(id) = candidate {
                ledger.lock().unwrap().retraction_sent.push(id.clone());
                let Ok((status, answer)) = http(
                    port,
                    "DELETE",
                    &format!("/api/admin/publications/{id}"),
                    r#"{"reason": "correctie privacygevoelige gegevens"}"#,
                ) else {
                    return;
                };
                assert_eq!(status, 200, "retraction answer: {answer}");
                ledger.lock().unwrap().retracted.push(id);
            }
        }
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn start_server(
    index: &std::path::Path,
    files: &std::path::Path,
    pause_in_commit: Option<u64>,
) -> (std::process::Child, u16) {
    for _attempt in 0..5 {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_woo"));
        command
            .args(["serve", "--index"])
            .arg(index)
            .arg("--files")
            .arg(files)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .env("WOO_ADMIN_TOKEN", CRASH_TOKEN)
            .env_remove(woo_indexer::test_hooks::PAUSE_IN_COMMIT_ENV)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(milliseconds) = pause_in_commit {
            command.env(
                woo_indexer::test_hooks::PAUSE_IN_COMMIT_ENV,
                milliseconds.to_string(),
            );
        }
        let mut child = command.spawn().unwrap();
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if let Ok((200, _)) = http(port, "GET", "/healthz", "") {
                return (child, port);
            }
            if let Ok(Some(_)) = child.try_wait() {
                break; // port taken, or the index did not open: try again
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("woo serve did not start");
}

/// The checks after a kill (RELIABILITY.md §5.3): the index opens quickly with valid
/// checksums, every acknowledged publication is present exactly once, none is half-present,
/// no acknowledged retraction is undone.
fn check_after_kill(index: &std::path::Path, ledger: &Ledger, iteration: u64) {
    let opening = std::time::Instant::now();
    let search = SearchService::open(index)
        .unwrap_or_else(|error| panic!("iteration {iteration}: the index does not open: {error}"));
    assert!(
        opening.elapsed() < Duration::from_secs(5),
        "iteration {iteration}: slow open"
    );
    let corrupt = search.index().validate_checksum().unwrap();
    assert!(
        corrupt.is_empty(),
        "iteration {iteration}: corrupt files {corrupt:?}"
    );
    let per_publication = documents_per_publication(&search);
    for (publication_id, document_ids) in &ledger.sent {
        let present = per_publication.get(publication_id).copied().unwrap_or(0);
        let retracted = ledger.retracted.contains(publication_id);
        let acknowledged = ledger.acknowledged.contains(publication_id);
        if retracted {
            assert_eq!(
                present, 0,
                "iteration {iteration}: retraction of {publication_id} undone"
            );
            continue;
        }
        assert!(
            present == 0 || present == document_ids.len(),
            "iteration {iteration}: {publication_id} half-present ({present} of {})",
            document_ids.len()
        );
        // An unanswered retraction may or may not have happened.
        let maybe_retracted = ledger.retraction_sent.contains(publication_id);
        if acknowledged && !maybe_retracted {
            assert_eq!(
                present,
                document_ids.len(),
                "iteration {iteration}: acknowledged {publication_id} missing"
            );
        }
        if present > 0 {
            for document_id in document_ids {
                let (documents, pages) = records_of(&search, document_id);
                assert_eq!(
                    (documents, pages),
                    (1, 1),
                    "iteration {iteration}: {document_id} not exactly once"
                );
            }
            let entry = search
                .table()
                .entries
                .iter()
                .find(|entry| &entry.stored.fields.id == document_ids.first().unwrap())
                .map(|entry| entry.stored.fields.title.clone());
            assert_eq!(
                entry.as_deref(),
                Some(format!("Document 0 van {publication_id}").as_str()),
                "iteration {iteration}: stored fields of {publication_id}"
            );
        }
    }
}

#[test]
fn kill_during_bulk_loads_loses_no_acknowledged_publication_and_undoes_no_retraction() {
    // RELIABILITY.md §5.3, CI-sized: 25 kills by default; WOO_CRASH_ITERATIONS=200 for the
    // long run, WOO_CRASH_SEED to repeat one.
    let iterations = env_number("WOO_CRASH_ITERATIONS", 25);
    let seed = env_number("WOO_CRASH_SEED", 6);
    let mut random = Random::new(seed);
    let root = tempfile::tempdir().unwrap();
    let index = root.path().join("index");
    let files = root.path().join("files");
    let inbox = files.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for number in 0..FILES_IN_INBOX {
        let pdf =
            woo_fixtures::simple_pdf("", &[&format!("Crashtest pagina {number} over mondkapjes")]);
        std::fs::write(inbox.join(format!("{number:02}.pdf")), pdf).unwrap();
    }
    // `woo serve` opens an existing index: create an empty one.
    drop(woo_indexer::write::IndexSink::open(&index).unwrap());
    let ledger = std::sync::Mutex::new(Ledger::default());
    let mut acknowledged_before = 0;
    for iteration in 0..iterations {
        // About 30% of the kills are aimed inside commit: every commit pauses first.
        let pause = (random.below(10) < 3).then_some(150);
        let (mut child, port) = start_server(&index, &files, pause);
        let client_seed = random.next();
        let kill_after = Duration::from_millis(200 + random.below(2_300));
        std::thread::scope(|scope| {
            let client = scope.spawn(|| stream_publications(port, iteration, &ledger, client_seed));
            std::thread::sleep(kill_after);
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
            client.join().unwrap();
        });
        let ledger = ledger.lock().unwrap();
        check_after_kill(&index, &ledger, iteration);
        acknowledged_before = acknowledged_before.max(ledger.acknowledged.len());
    }
    // Replaying every retracted publication is refused (409), none comes back.
    let (mut child, port) = start_server(&index, &files, None);
    let ledger = ledger.into_inner().unwrap();
    let mut body = String::new();
    for id in &ledger.retracted {
        body.push_str(&publication_record(id, 0, false).0);
        body.push('\n');
    }
    if !body.is_empty() {
        let (status, answer) = http(port, "POST", "/api/admin/bulk", &body).unwrap();
        assert_eq!(status, 200, "{answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        for record in answer["records"].as_array().unwrap() {
            assert_eq!(record["status"], 409, "{record}");
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    check_after_kill(&index, &ledger, iterations);
    assert!(
        acknowledged_before >= iterations as usize / 2,
        "too few acknowledgements ({acknowledged_before}) to mean anything"
    );
    eprintln!(
        "crash test: {iterations} kills, {} publications sent, {} acknowledged, {} retracted",
        ledger.sent.len(),
        ledger.acknowledged.len(),
        ledger.retracted.len()
    );
}

/// A zip of one publication with `documents` PDFs (one page each), none listed by id: their
/// ids are derived from the publication.
fn upload_zip(publication_id: &str, documents: usize) -> Vec<u8> {
    use std::io::Write;
    let publication = serde_json::json!({
        "id": publication_id,
        "title": format!("Upload {publication_id}"),
        "publisher": "Ministerie van Crashtesten",
        "documents": [],
    });
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("publication.json", options).unwrap();
    writer
        .write_all(publication.to_string().as_bytes())
        .unwrap();
    for number in 0..documents {
        let text = format!("Upload {publication_id} pagina {number} over beschermingsmiddelen");
        writer
            .start_file(format!("document-{number}.pdf"), options)
            .unwrap();
        writer
            .write_all(&woo_fixtures::simple_pdf("", &[&text]))
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The job's state as `GET /api/admin/jobs/{id}` answers it, or `None` when it does not.
fn job_state(port: u16, job_id: u64) -> Option<String> {
    let (status, answer) = http(port, "GET", &format!("/api/admin/jobs/{job_id}"), "").ok()?;
    if status != 200 {
        return None;
    }
    let job: serde_json::Value = serde_json::from_str(&answer).ok()?;
    job["state"].as_str().map(str::to_string)
}

#[test]
fn kill_after_an_upload_was_accepted_loses_no_upload() {
    // Issue 19: every upload answered 202 is indexed after a kill -9 and a restart, and its
    // job answers at the same URL. CI-sized: 20 kills; WOO_UPLOAD_CRASH_ITERATIONS for more.
    let iterations = env_number("WOO_UPLOAD_CRASH_ITERATIONS", 20);
    let mut random = Random::new(env_number("WOO_CRASH_SEED", 19));
    let root = tempfile::tempdir().unwrap();
    let index = root.path().join("index");
    let files = root.path().join("files");
    drop(woo_indexer::write::IndexSink::open(&index).unwrap());
    const DOCUMENTS: usize = 3;
    let mut accepted: Vec<(String, u64)> = Vec::new();
    let mut unfinished_at_kill = 0;
    for iteration in 0..iterations {
        // Every commit pauses, so most kills land while the job (or a resumed one) runs.
        let pause = 100 + random.below(300);
        let (mut child, port) = start_server(&index, &files, Some(pause));
        let publication_id = format!("UPLOAD-CRASH-{iteration}");
        let zip = upload_zip(&publication_id, DOCUMENTS);
        let (status, answer) = http_with(
            port,
            "POST",
            "/api/admin/publications",
            "application/zip",
            &zip,
        )
        .unwrap();
        assert_eq!(status, 202, "iteration {iteration}: {answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        let job_id = answer["job"].as_u64().unwrap();
        accepted.push((publication_id.clone(), job_id));
        std::thread::sleep(Duration::from_millis(random.below(400)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let search = SearchService::open(&index).unwrap();
        if !documents_per_publication(&search).contains_key(&publication_id) {
            unfinished_at_kill += 1;
        }
    }
    // A last start without pauses: every accepted job ends, at its old URL.
    let (mut child, port) = start_server(&index, &files, None);
    let started = std::time::Instant::now();
    for (publication_id, job_id) in &accepted {
        loop {
            let state = job_state(port, *job_id);
            if state.as_deref() == Some("done") {
                break;
            }
            assert_ne!(
                state.as_deref(),
                Some("failed"),
                "job {job_id} of {publication_id}"
            );
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "job {job_id} of {publication_id} did not end after the restart: {state:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let search = SearchService::open(&index).unwrap();
    let per_publication = documents_per_publication(&search);
    for (publication_id, _) in &accepted {
        assert_eq!(
            per_publication.get(publication_id).copied(),
            Some(DOCUMENTS),
            "accepted upload {publication_id} lost or duplicated"
        );
    }
    assert!(
        unfinished_at_kill >= iterations as usize / 4,
        "only {unfinished_at_kill} of {iterations} kills landed before the job ended: the test means little"
    );
    eprintln!(
        "upload crash test: {iterations} kills after a 202, {unfinished_at_kill} before the job ended, all {} uploads indexed after restart",
        accepted.len()
    );
}
