//! What e-mail threads cost (`cargo bench --bench threads`):
//! - `headers/page`: reading the header blocks of one printed e-mail page that quotes two
//!   earlier messages (`woo_indexer::email_headers::messages_of_page`), the work the indexer
//!   adds per e-mail page (pages that do not open as an e-mail are not read);
//! - `threads/100k`: threading 100,000 e-mails (20,000 conversations of five messages, one in
//!   three fully redacted, on 2,000 subjects) as the server does when it builds its document
//!   table (`woo_core::mail::email_threads`).

use criterion::{criterion_group, criterion_main, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use woo_core::mail::email_threads;
use woo_core::EmailHeaders;

const PAGE: &str = "Van: [GELAKT: 5.1.2e] <[GELAKT]@minszw.nl>\nVerzonden: maandag 13 maart 2023 10:50\nAan: Jan Jansen <j.jansen@minvws.nl>; [GELAKT: 5.1.2e]\nCC: [GELAKT: 5.1.2e]\nOnderwerp: RE: Nota wetsvoorstel proactieve dienstverlening\n\nHa Jan,\nVeel dank voor je reactie! Ik denk dat het cluster inderdaad iets meer betrokken raakt bij dit\nonderwerp. Dat kan grotendeels beperkt blijven tot meelezen.\n\nGroeten,\n[GELAKT: 5.1.2e]\n\n-----Oorspronkelijk bericht-----\nVan: Jan Jansen <j.jansen@minvws.nl>\nVerzonden: vrijdag 10 maart 2023 15:59\nAan: [GELAKT: 5.1.2e] <[GELAKT]@minszw.nl>\nOnderwerp: Nota wetsvoorstel proactieve dienstverlening\n\nBeste collega,\nHierbij de nota. Graag je reactie voor maandag.\n\nOp 9 maart 2023 om 18:05 schreef Petra <petra@minvws.nl>:\n> Kun je de nota sturen?\n";

fn headers_of_a_page(criterion: &mut Criterion) {
    assert_eq!(
        woo_indexer::email_headers::messages_of_page(PAGE, 1).len(),
        3
    );
    criterion.bench_function("headers/page", |bencher| {
        bencher.iter(|| woo_indexer::email_headers::messages_of_page(std::hint::black_box(PAGE), 1))
    });
}

fn threads_of_100k(criterion: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut documents: Vec<(String, Vec<EmailHeaders>)> = Vec::with_capacity(100_000);
    for conversation in 0..20_000u32 {
        let subject = format!("Onderwerp {}", conversation % 2_000);
        let redacted = conversation % 3 == 0;
        let start_day = rng.random_range(0..700);
        for message in 0..5u32 {
            let person = |offset: u32| {
                if redacted {
                    "[GELAKT: 5.1.2e]".to_string()
                } else {
                    format!(
                        "p{}@body{}.nl",
                        conversation * 3 + offset,
                        conversation % 300
                    )
                }
            };
            let day = start_day + message;
            let month = 1 + day / 28 % 12;
            let year = 2023 + day / 336;
            let prefix = if message == 0 { "" } else { "RE: " };
            documents.push((
                format!("doc-{conversation:05}-{message}"),
                vec![EmailHeaders {
                    sender: Some(person(message % 2)),
                    recipients: vec![person(1 - message % 2)],
                    sent: Some(format!(
                        "{year}-{month:02}-{:02}T{:02}:{:02}",
                        1 + day % 28,
                        8 + message,
                        rng.random_range(0..60)
                    )),
                    subject: Some(format!("{prefix}{subject}")),
                    page: 1,
                }],
            ));
        }
    }
    let borrowed: Vec<(&str, &[EmailHeaders])> = documents
        .iter()
        .map(|(id, emails)| (id.as_str(), emails.as_slice()))
        .collect();
    let mut group = criterion.benchmark_group("threads");
    group.sample_size(10);
    group.bench_function("100k", |bencher| {
        bencher.iter(|| email_threads(std::hint::black_box(&borrowed)))
    });
    group.finish();
}

criterion_group!(benches, headers_of_a_page, threads_of_100k);
criterion_main!(benches);
