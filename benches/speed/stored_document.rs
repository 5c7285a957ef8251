//! What one field list costs at table build (`cargo bench --bench stored_document`): the server
//! decodes every document record's `meta` JSON into a `StoredDocument` when it builds its
//! document table (at start and at every reload). Since issue 20 that type flattens the shared
//! `DocumentFields` (`#[serde(flatten)]`), which serde decodes through an intermediate buffer.
//! This bench decodes the same JSON into `StoredDocument` and into `FlatStoredDocument`, a
//! bench-local copy with every field written out (the shape before issue 20), side by side.

use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;
use woo_core::{DocumentFields, StoredDocument};

/// `StoredDocument` with the fields of `DocumentFields` written inline (no flatten).
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FlatStoredDocument {
    id: String,
    title: String,
    source: String,
    file_path: String,
    content_hash: String,
    #[serde(default)]
    publication_id: Option<String>,
    #[serde(default)]
    publication_title: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    document_type: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    judgement: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    decision_date: Option<String>,
    #[serde(default)]
    request_date: Option<String>,
    #[serde(default)]
    decision: Option<String>,
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    received_date: Option<String>,
    #[serde(default)]
    first_page: Option<u32>,
    #[serde(default)]
    grounds: Vec<String>,
    #[serde(default)]
    ground_stamps: u32,
    page_count: u32,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    text_sources: Vec<String>,
    #[serde(default)]
    pages_without_text: u32,
    #[serde(default)]
    ocr_pages: u32,
}

/// A typical document record of a ministry publication.
fn typical_stored_document() -> StoredDocument {
    StoredDocument {
        fields: DocumentFields {
            id: "minvws-wob-2021-0042-document-0017".to_string(),
            title: "E-mail over de inkoop van beschermingsmiddelen".to_string(),
            source: "minvws/wob-2021-0042/0017.pdf".to_string(),
            file_path: "/srv/woo/minvws/wob-2021-0042/0017.pdf".to_string(),
            content_hash: "9f2c4e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e"
                .to_string(),
            publication_id: Some("minvws-wob-2021-0042".to_string()),
            publication_title: Some("Wob-besluit over mondkapjes".to_string()),
            publisher: Some("Ministerie van Volksgezondheid, Welzijn en Sport".to_string()),
            category: Some("c_3baef532".to_string()),
            document_type: Some("e-mail".to_string()),
            date: Some("2020-04-12".to_string()),
            judgement: Some("deels openbaar".to_string()),
            references: vec!["0016".to_string(), "0018".to_string()],
            ..DocumentFields::default()
        },
        grounds: vec!["5.1.2e".to_string(), "5.2".to_string()],
        ground_stamps: 14,
        page_count: 6,
        languages: vec!["nl".to_string()],
        text_sources: vec!["text".to_string()],
        pages_without_text: 0,
        ocr_pages: 0,
    }
}

fn decode(criterion: &mut Criterion) {
    let json = serde_json::to_string(&typical_stored_document()).expect("serialises");
    // Both shapes must read the same record, so the comparison is of like with like.
    let flattened: StoredDocument = serde_json::from_str(&json).expect("flattened decodes");
    let flat: FlatStoredDocument = serde_json::from_str(&json).expect("flat decodes");
    assert_eq!(flattened.fields.id, flat.id);
    assert_eq!(flattened.grounds, flat.grounds);
    let mut group = criterion.benchmark_group("decode one document record");
    group.bench_function("StoredDocument (flattened DocumentFields)", |bencher| {
        bencher.iter(|| serde_json::from_str::<StoredDocument>(std::hint::black_box(&json)))
    });
    group.bench_function("FlatStoredDocument (fields inline)", |bencher| {
        bencher.iter(|| serde_json::from_str::<FlatStoredDocument>(std::hint::black_box(&json)))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
