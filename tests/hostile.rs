use std::collections::HashMap;
use std::path::PathBuf;

use woo_indexer::fixtures::hostile::hostile_pdfs;
use woo_indexer::ingest::{run_index, FileStatus, IndexOptions};
use woo_indexer::pdf::PdfLimits;
use woo_indexer::worker::OutcomeClass;

use crate::common::fixtures_dir;

#[test]
fn hostile_pdfs_beside_good_ones_are_classified_and_the_good_ones_indexed() {
    let input = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    let hostile = hostile_pdfs();
    for file in &hostile {
        std::fs::write(input.path().join(file.name), &file.bytes).unwrap();
    }
    let good = [
        "vws-mondkapjes/besluit.pdf",
        "vws-mondkapjes/documenten/0001.pdf",
        "vws-mondkapjes/documenten/0002.pdf",
        "gemeente-utrecht/jaarverslag-2023.pdf",
    ];
    for (number, path) in good.iter().enumerate() {
        std::fs::copy(
            fixtures_dir().join(path),
            input.path().join(format!("goed-{number}.pdf")),
        )
        .unwrap();
    }
    let options = IndexOptions {
        index_dir: index.path().to_path_buf(),
        inputs: vec![input.path().to_path_buf()],
        ocr: None,
        limits: PdfLimits::default(),
        jobs: 2,
        force: false,
        extract_worker: Some(PathBuf::from(env!("CARGO_BIN_EXE_woo"))),
    };
    let summary = run_index(&options, &|_| {}).expect("the run survives hostile files");
    let by_name: HashMap<String, _> = summary
        .reports
        .iter()
        .map(|report| (report.source.clone(), report.clone()))
        .collect();
    for number in 0..good.len() {
        let report = &by_name[&format!("goed-{number}.pdf")];
        assert_eq!(report.status, FileStatus::Indexed, "{report:?}");
        assert_eq!(report.class, Some(OutcomeClass::Indexed), "{report:?}");
    }
    for file in &hostile {
        let report = by_name
            .get(file.name)
            .unwrap_or_else(|| panic!("{} has no report", file.name));
        let class = report
            .class
            .unwrap_or_else(|| panic!("{} has no class: {report:?}", file.name));
        assert!(
            file.expected.contains(&class),
            "{}: class {class:?} not in {:?}: {report:?}",
            file.name,
            file.expected
        );
        if class != OutcomeClass::Indexed && class != OutcomeClass::NoText {
            assert_eq!(report.status, FileStatus::Failed, "{report:?}");
            assert!(report.error.is_some(), "{report:?}");
        }
    }
}
