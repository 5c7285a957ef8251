//! What near-duplicate detection costs (`cargo bench --bench near_duplicates`):
//! - `signature/page`: the MinHash signature of one page of about 330 words, the work the
//!   indexer adds per page (`woo_core::similarity::text_signature`);
//! - `clusters/100k`: clustering 100,000 document signatures (LSH bands, pairs, union-find),
//!   the work the server adds when it builds its document table, on documents of which one in
//!   ten has a near-duplicate (a differently redacted copy).

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use woo_core::similarity::{duplicate_clusters, text_signature};

const WORDS: &[&str] = &[
    "de",
    "het",
    "een",
    "minister",
    "gemeente",
    "besluit",
    "verzoek",
    "documenten",
    "openbaar",
    "informatie",
    "overleg",
    "provincie",
    "vergunning",
    "stikstof",
    "mondkapjes",
    "levering",
    "offerte",
    "leverancier",
    "planning",
    "afspraak",
    "bijlage",
    "directie",
    "beleid",
    "advies",
    "rapport",
    "kosten",
    "begroting",
    "contract",
    "termijn",
    "bezwaar",
    "zienswijze",
    "burgers",
    "ministerie",
    "wethouder",
    "raad",
    "commissie",
    "vergadering",
    "nota",
    "memo",
    "brief",
];

/// A page of `words` random words with a few numbers (distinct from every other page).
fn random_page(rng: &mut ChaCha8Rng, words: usize) -> String {
    let mut page = String::new();
    for index in 0..words {
        if index % 25 == 24 {
            page.push_str(&rng.random_range(0..100_000).to_string());
        } else {
            page.push_str(WORDS[rng.random_range(0..WORDS.len())]);
        }
        page.push(' ');
    }
    page
}

fn signature_of_a_page(criterion: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let page = random_page(&mut rng, 330);
    criterion.bench_function("signature/page", |bencher| {
        bencher.iter(|| text_signature(std::hint::black_box(&page)))
    });
}

fn clusters_of_100k(criterion: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut documents: Vec<(String, Vec<u32>)> = Vec::with_capacity(100_000);
    while documents.len() < 100_000 {
        let page = random_page(&mut rng, 120);
        let number = documents.len();
        documents.push((format!("doc-{number:06}"), text_signature(&page)));
        if number.is_multiple_of(10) {
            let words: Vec<&str> = page.split(' ').collect();
            let redacted: Vec<&str> = words
                .iter()
                .enumerate()
                .map(|(index, word)| if index % 20 == 3 { "5.1.2e" } else { word })
                .collect();
            documents.push((
                format!("doc-{:06}", number + 1),
                text_signature(&redacted.join(" ")),
            ));
        }
    }
    let borrowed: Vec<(&str, &[u32])> = documents
        .iter()
        .map(|(id, signature)| (id.as_str(), signature.as_slice()))
        .collect();
    let mut group = criterion.benchmark_group("clusters");
    group.sample_size(10);
    group.bench_function("100k", |bencher| {
        bencher.iter(|| duplicate_clusters(std::hint::black_box(&borrowed)))
    });
    group.finish();
}

criterion_group!(benches, signature_of_a_page, clusters_of_100k);
criterion_main!(benches);
