use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use woo_fixtures::hostile::{hostile_pdfs, HostilePdf};
use woo_indexer::ingest::{run_index, FileStatus, IndexOptions};
use woo_indexer::worker::{extract_in_worker, OutcomeClass};

fn worker() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_woo"))
}

/// Classes that put a document into the index.
fn is_indexed_class(class: OutcomeClass) -> bool {
    matches!(
        class,
        OutcomeClass::Indexed | OutcomeClass::IndexedTruncated | OutcomeClass::NoText
    )
}

/// Every hostile file through `woo extract-worker` (limits on): (name -> class).
fn classify_all(files: &[HostilePdf]) -> HashMap<&'static str, OutcomeClass> {
    let mut classes = HashMap::new();
    for file in files {
        let started = Instant::now();
        let answer = extract_in_worker(&worker(), file.name, &file.bytes);
        let elapsed = started.elapsed();
        assert!(
            elapsed < Duration::from_secs(60),
            "{}: {:.1} s in the worker",
            file.name,
            elapsed.as_secs_f64()
        );
        classes.insert(file.name, answer.class);
    }
    classes
}

fn valid_pdfs(count: usize) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|number| {
            (
                format!("goed-{number:03}.pdf"),
                woo_fixtures::simple_pdf(
                    &format!("Goed document {number}"),
                    &[&format!(
                        "Besluit {number} op het Woo-verzoek over mondkapjes"
                    )],
                ),
            )
        })
        .collect()
}

#[test]
fn hostile_corpus_reaches_its_expected_classes_and_a_load_indexes_exactly_the_good_files() {
    // RELIABILITY.md §5.1: every file of the hostile corpus in its expected class (twice
    // through the worker, then once more through a load beside 100 valid files: the same
    // class each time), the load survives, indexes the valid files and reports the bad ones.
    let hostile = hostile_pdfs();
    assert_eq!(hostile.len(), 49, "the §5.1 table's variants");
    let first = classify_all(&hostile);
    let mut wrong = Vec::new();
    for file in &hostile {
        if !file.expected.contains(&first[file.name]) {
            wrong.push(format!(
                "{}: {:?} not in {:?}",
                file.name, first[file.name], file.expected
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} files outside their class:\n{}",
        wrong.len(),
        hostile.len(),
        wrong.join("\n")
    );
    let second = classify_all(&hostile);
    assert_eq!(first, second, "classes differ between two runs");

    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    for file in &hostile {
        std::fs::write(input.path().join(file.name), &file.bytes).unwrap();
    }
    let valid = valid_pdfs(100);
    for (name, bytes) in &valid {
        std::fs::write(input.path().join(name), bytes).unwrap();
    }
    let summary = run_index(&index_options(input.path(), index.path()), &|_| {})
        .expect("the load survives the hostile files");
    let by_name: HashMap<String, _> = summary
        .reports
        .iter()
        .map(|report| (report.source.clone(), report.clone()))
        .collect();
    for (name, _) in &valid {
        let report = &by_name[name];
        assert_eq!(report.status, FileStatus::Indexed, "{report:?}");
        assert_eq!(report.class, Some(OutcomeClass::Indexed), "{report:?}");
    }
    let mut indexed_hostile = 0;
    for file in &hostile {
        let report = by_name
            .get(file.name)
            .unwrap_or_else(|| panic!("{} has no report", file.name));
        let class = report
            .class
            .unwrap_or_else(|| panic!("{} has no class: {report:?}", file.name));
        assert_eq!(
            class, first[file.name],
            "{}: class changed in the load",
            file.name
        );
        if is_indexed_class(class) {
            assert_eq!(report.status, FileStatus::Indexed, "{report:?}");
            indexed_hostile += 1;
        } else {
            assert_eq!(report.status, FileStatus::Failed, "{report:?}");
            let reason = report.error.as_deref().unwrap_or_default();
            assert!(
                reason.contains(file.name),
                "reason names the file: {report:?}"
            );
        }
    }
    assert_eq!(summary.documents, valid.len() + indexed_hostile);
    assert_eq!(
        summary.failures.len(),
        hostile.len() - indexed_hostile,
        "every refused file is reported"
    );
    let mut names: Vec<&&str> = first.keys().collect();
    names.sort();
    for name in names {
        eprintln!("  {name}: {:?}", first[*name]);
    }
    let tally = |wanted: OutcomeClass| first.values().filter(|class| **class == wanted).count();
    eprintln!(
        "hostile corpus: {} files, {} in their expected class; indexed {}, indexed_truncated {}, no_text {}, malformed {}, encrypted {}, resource_limit {}, unsupported_type {}, panicked {}, timeout {}",
        hostile.len(),
        hostile.len() - wrong.len(),
        tally(OutcomeClass::Indexed),
        tally(OutcomeClass::IndexedTruncated),
        tally(OutcomeClass::NoText),
        tally(OutcomeClass::Malformed),
        tally(OutcomeClass::Encrypted),
        tally(OutcomeClass::ResourceLimit),
        tally(OutcomeClass::UnsupportedType),
        tally(OutcomeClass::Panicked),
        tally(OutcomeClass::Timeout),
    );
}

fn index_options(input: &Path, index: &Path) -> IndexOptions {
    IndexOptions {
        jobs: 2,
        extract_worker: Some(worker()),
        ..IndexOptions::new(vec![input.to_path_buf()], index.to_path_buf())
    }
}
