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
        if let Some(publication) = &entry.stored.publication_id {
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
