//! Quick query benchmark on small data (`cargo bench --bench search`; CI runs it with
//! `-- --test`, each query once): the fixture PDFs' page texts recombined by the scale
//! generator into 3,000 synthetic pages, indexed with `woo index`'s own code, then the query mix
//! of benches/speed/peers.rs through `SearchService::search` (facet counts and snippets included).
//! Every query must find documents before it is measured, so the benchmark cannot time nothing.
//! The side-by-side figures at 10k–1M pages come from benches/speed/peers.rs (see benches/README.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use woo_fixtures::scale::{write_scale_corpus, ScaleOptions, SourceTexts};
use woo_indexer::ingest::{run_index, IndexOptions};
use woo_indexer::pdf::{extract_pdf, PdfLimits};
use woo_server::search::{SearchRequest, SortOrder};
use woo_server::SearchService;

/// Facet filters of a query: (facet, value).
type Filters = &'static [(&'static str, &'static str)];

/// (name, query, filters, sort by date): words the generator's decision letters always hold.
const MIX: &[(&str, &str, Filters, bool)] = &[
    ("single word", "besloten", &[], false),
    ("two words", "documenten openbaar", &[], false),
    ("phrase", "\"wet open overheid\"", &[], false),
    ("prefix", "verzoe*", &[], false),
    ("fuzzy", "besloten~1", &[], false),
    (
        "facet filter",
        "documenten",
        &[("judgement", "openbaar"), ("year", "2024")],
        false,
    ),
    ("date sort", "verzoek", &[], true),
];

fn fixture_page_texts() -> Vec<String> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = Vec::new();
    for entry in walkdir_pdfs(&fixtures) {
        let Ok(bytes) = std::fs::read(&entry) else {
            continue;
        };
        let name = entry.to_string_lossy();
        if let Ok(pdf) = extract_pdf(&name, &bytes, &PdfLimits::default()) {
            texts.extend(pdf.pages.into_iter().map(|page| page.text));
        }
    }
    texts
}

fn walkdir_pdfs(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walkdir_pdfs(&path));
        } else if path.extension().is_some_and(|extension| extension == "pdf") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn bench_queries(criterion: &mut Criterion) {
    let source = SourceTexts::from_pages(fixture_page_texts());
    assert!(
        source.sentence_count() > 50,
        "the fixtures gave too little text"
    );
    let pages_dir = tempfile::tempdir().expect("temporary folder");
    let index_dir = tempfile::tempdir().expect("temporary folder");
    let options = ScaleOptions {
        pages: 3_000,
        seed: 1,
    };
    write_scale_corpus(&source, &options, pages_dir.path()).expect("scale corpus");
    let index_options = IndexOptions::new(
        vec![pages_dir.path().to_path_buf()],
        index_dir.path().to_path_buf(),
    );
    let summary = run_index(&index_options, &|_| {}).expect("index the scale corpus");
    assert_eq!(summary.pages, 3_000);
    let search = SearchService::open(index_dir.path()).expect("open the index");

    let mut group = criterion.benchmark_group("search 3k pages");
    for (name, query, filters, by_date) in MIX {
        let mut by_facet: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (facet, value) in *filters {
            by_facet
                .entry(facet.to_string())
                .or_default()
                .push(value.to_string());
        }
        let request = SearchRequest {
            query: query.to_string(),
            page: 1,
            size: 10,
            sort: if *by_date {
                SortOrder::DateNewestFirst
            } else {
                SortOrder::Relevance
            },
            filters: by_facet,
            ..SearchRequest::default()
        };
        let answer = search.search(&request).expect("search");
        assert!(answer.total > 0, "{name} ({query}) found nothing");
        assert!(!answer.results.is_empty() && !answer.facets.is_empty());
        group.bench_function(*name, |bencher| {
            bencher.iter(|| {
                let answer = search.search(&request).expect("search");
                assert!(answer.total > 0);
                answer
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench_queries
}
criterion_main!(benches);
