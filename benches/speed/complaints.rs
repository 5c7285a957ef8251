//! Complaint patterns at scale (`cargo bench --bench complaints`; `-- --test` runs each once):
//! `woo_fixtures::complaints::synthetic_complaint_documents` (300+ bodies, several years,
//! planted patterns) written to an index with the indexer's own sink, then the whole
//! `GET /api/complaints/stats` work for the whole collection and for a narrowed search —
//! matching, every figure with its links, and the JSON — through
//! `woo_server::complaints::complaint_answer`. `WOO_COMPLAINTS_BENCH_COUNT` sets the number
//! of judgements (default 100,000). Before timing, the answer must count every judgement and
//! find the planted well-founded outliers, so the benchmark cannot time nothing.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use woo_indexer::write::IndexSink;
use woo_server::complaints::{complaint_answer, complaint_query_from_pairs, ComplaintQuery};
use woo_server::SearchService;

fn judgement_count() -> usize {
    std::env::var("WOO_COMPLAINTS_BENCH_COUNT")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(100_000)
}

fn query(pairs: &[(&str, &str)]) -> ComplaintQuery {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    complaint_query_from_pairs(&pairs, &[]).expect("a valid complaint query")
}

/// One answer as the handler gives it: the figures and their JSON.
fn answer_bytes(search: &SearchService, query: &ComplaintQuery) -> (usize, Vec<u8>) {
    let answer = complaint_answer(search, query).expect("complaint statistics");
    let json = serde_json::to_vec(&answer).expect("JSON");
    (answer.total, json)
}

/// p50 and p95 of `runs` timed answers, in milliseconds.
fn percentiles(search: &SearchService, query: &ComplaintQuery, runs: usize) -> (f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(answer_bytes(search, query));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[runs / 2], times[runs * 95 / 100])
}

fn build_index(count: usize) -> (tempfile::TempDir, SearchService) {
    let started = Instant::now();
    let documents = woo_fixtures::complaints::synthetic_complaint_documents(count, 16);
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut sink = IndexSink::open(dir.path()).expect("index");
    for document in &documents {
        sink.upsert(document).expect("upsert");
    }
    sink.commit().expect("commit");
    sink.close().expect("close");
    eprintln!(
        "complaints: {count} judgements indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let search = SearchService::open(dir.path()).expect("open the index");
    eprintln!(
        "complaints: document table with facts and themes built in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    (dir, search)
}

fn bench_complaint_patterns(criterion: &mut Criterion) {
    let count = judgement_count();
    let (_dir, search) = build_index(count);
    let whole = query(&[]);
    let answer = complaint_answer(&search, &whole).expect("complaint statistics");
    assert_eq!(answer.total, count, "every judgement is counted");
    let outliers = answer
        .patterns
        .per_body
        .iter()
        .filter(|body| body.compared_to_national == "above")
        .count();
    assert!(outliers > 0, "the planted well-founded bodies are found");
    assert!(!answer.patterns.themes.is_empty(), "themes are found");
    let json = serde_json::to_vec(&answer).expect("JSON");
    eprintln!(
        "complaints: {} bodies, {} above the national share, {} themes, {} rising and {} falling subjects, {} KB of JSON",
        answer.patterns.per_body.len(),
        outliers,
        answer.patterns.themes.len(),
        answer.patterns.subject_trends.rising.len(),
        answer.patterns.subject_trends.falling.len(),
        json.len() / 1024
    );
    let narrowed = query(&[("q", "termijn"), ("year", "2023")]);
    assert!(
        answer_bytes(&search, &narrowed).0 > 0,
        "the narrowed search finds judgements"
    );
    for (name, query) in [
        ("whole collection", &whole),
        ("q=termijn&year=2023", &narrowed),
    ] {
        let (p50, p95) = percentiles(&search, query, 30);
        eprintln!("complaints: {name}: p50 {p50:.1} ms, p95 {p95:.1} ms (30 runs)");
    }
    let mut group = criterion.benchmark_group("complaint_patterns");
    group.sample_size(20);
    group.bench_function("whole collection", |bencher| {
        bencher.iter(|| answer_bytes(&search, &whole))
    });
    group.bench_function("q=termijn&year=2023", |bencher| {
        bencher.iter(|| answer_bytes(&search, &narrowed))
    });
    group.finish();
}

criterion_group!(benches, bench_complaint_patterns);
criterion_main!(benches);
