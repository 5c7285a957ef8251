use woo_indexer::ingest::{run_index, FileStatus, IndexOptions};
use woo_indexer::pdf::PdfLimits;
use woo_server::search::SearchRequest;
use woo_server::SearchService;

use crate::common::corpus_dir;

/// Every corpus PDF is indexed except the deliberately broken and password-protected ones,
/// and searches over it return the right documents with page-labelled snippets and facets.
#[test]
fn the_whole_corpus_indexes_with_exactly_the_broken_files_reported() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let index = tempfile::tempdir().unwrap();
    let options = IndexOptions {
        jobs: 2,
        ..IndexOptions::new(vec![corpus], index.path().to_path_buf())
    };
    let summary = run_index(&options, &|_| {}).unwrap();
    eprintln!("corpus: {}", summary.line());
    let mut failed: Vec<&str> = summary
        .failures
        .iter()
        .filter(|report| report.status == FileStatus::Failed)
        .map(|report| report.source.as_str())
        .collect();
    failed.sort();
    assert_eq!(
        failed,
        vec![
            "plooi/broken/IAmWrongPDF.pdf",
            "plooi/broken/test_broken.pdf",
            "py-pdf-sample-files/libreoffice-writer-password.pdf",
        ]
    );
    let password = summary
        .failures
        .iter()
        .find(|report| report.source.contains("password"))
        .unwrap();
    assert!(password
        .error
        .as_deref()
        .unwrap_or("")
        .contains("encrypted"));
    // 175 PDFs and 19 files of other formats (issue 14): 10 official-publication, regulation
    // and ruling XML files, 3 text files, 2 csv files that are not inventories, 2 odt, 1 docx,
    // and the woo-organizer dossier JSON (60 e-mails and 8 chats, each a document).
    assert_eq!(summary.files, 194, "{}", summary.line());
    for counted in [
        "175 pdf", "10 xml", "3 text", "2 csv", "2 odt", "1 docx", "1 json",
    ] {
        assert!(
            summary.line().contains(counted),
            "{counted}: {}",
            summary.line()
        );
    }
    // 172 PDFs, of which 22 bundles split into 141 parts, plus entries for inventory rows
    // without a PDF: 16 from the minvws-woo-web xlsx lists, 1,189 from tables in 34 PDFs
    // (benches/README.md, "Bundles and inventory tables in PDFs"); plus the 19 other files and
    // the dossier's 68 e-mails and chats.
    assert_eq!(summary.documents, 172 - 22 + 141 + 16 + 1189 + 19 + 68);
    // 1,984 PDF pages and 174 pages of the other formats.
    assert_eq!(summary.pages, 1984 + 174);

    let search = SearchService::open(index.path()).unwrap();
    let run = |query: &str| {
        search
            .search(&SearchRequest {
                query: query.to_string(),
                page: 1,
                size: 10,
                ..SearchRequest::default()
            })
            .unwrap()
    };
    let coronamelder = run("coronamelder");
    assert!(coronamelder.total >= 5);
    for result in coronamelder.results.iter().take(3) {
        assert!(
            result.source.starts_with("coronamelder/"),
            "{}",
            result.source
        );
        assert!(!result.hits.is_empty());
        assert!(result.hits[0]
            .snippet
            .to_lowercase()
            .contains("<mark>coronamelder</mark>"));
    }
    let zonneweide = run("zonneweide jaagweg");
    assert!(zonneweide.total >= 10, "{}", zonneweide.total);
    assert!(zonneweide.results[0].source.starts_with("woofairify/"));
    // The AES-256 file with an empty user password was decrypted and is searchable.
    let python = run("\"programming language\" python");
    assert!(python
        .results
        .iter()
        .any(|r| r.source.starts_with("pzh-pdf-unlock/")));
    // Refusal grounds stamped in the redacted woofairify memos reach the ground facet.
    let browse = run("");
    let grounds = &browse.facets["ground"];
    assert!(
        grounds
            .iter()
            .any(|facet| facet.value == "5.1.2e" && facet.count >= 5),
        "{grounds:?}"
    );
    // As indexed: every document id is unique.
    assert_eq!(browse.total, 172 - 22 + 141 + 16 + 1189 + 19 + 68);
    // Words that only the corpus's docx, ODT and XML files hold (issue 14).
    for (query, source) in [
        ("\"crypto raamwerk\"", "coronamelder/Crypto Raamwerk.docx"),
        (
            "\"ECLI:NL:PHR:2011:BP5608\"",
            "wetsuite-core/testfiles/rechtspraak1.xml",
        ),
        ("BWBR0003984", "wetsuite-core/testfiles/bwb_toestand_3.xml"),
        (
            "\"proactieve dienstverlening\"",
            "woo-organizer/demo_dossier.json#e-mail 0047.1",
        ),
    ] {
        let answer = run(query);
        assert!(
            answer.results.iter().any(|result| result.source == source),
            "{query}: {:?}",
            answer.results.iter().map(|r| &r.source).collect::<Vec<_>>()
        );
    }
    let mut by_format = std::collections::BTreeMap::new();
    by_format.insert("file_format".to_string(), vec!["odt".to_string()]);
    let odt = search
        .search(&SearchRequest {
            query: String::new(),
            page: 1,
            size: 10,
            filters: by_format,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        odt.total, 2,
        "the two ODT renditions of the Kamer documents"
    );
    print_duplicate_clusters(&search);
    print_email_threads(&search);
    // No document of the corpus is a complaint judgement: none is read as one.
    let mut complaints = std::collections::BTreeMap::new();
    complaints.insert("category".to_string(), vec!["2l".to_string()]);
    let judged = search
        .search(&SearchRequest {
            page: 1,
            size: 10,
            filters: complaints,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(
        judged.total,
        0,
        "{:?}",
        judged.results.iter().map(|r| &r.source).collect::<Vec<_>>()
    );
}

/// The corpus's near-duplicate clusters, printed (benches/README.md, "Near-duplicates").
fn print_duplicate_clusters(search: &SearchService) {
    let table = search.table();
    let signed: Vec<(&str, &[u32])> = table
        .entries
        .iter()
        .map(|entry| {
            (
                entry.stored.fields.source.as_str(),
                entry.stored.fields.text_signature.as_slice(),
            )
        })
        .collect();
    let clusters = woo_core::similarity::duplicate_clusters(&signed);
    let mut members: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for ((source, _), cluster) in signed.iter().zip(&clusters) {
        if let Some(cluster) = cluster {
            members.entry(cluster.as_str()).or_default().push(source);
        }
    }
    let signed_count = signed
        .iter()
        .filter(|(_, signature)| !signature.is_empty())
        .count();
    eprintln!(
        "corpus near-duplicates: {} documents with a signature, {} clusters holding {} documents",
        signed_count,
        members.len(),
        members.values().map(Vec::len).sum::<usize>()
    );
    for sources in members.values() {
        eprintln!("  cluster: {sources:?}");
    }
}

/// The corpus's e-mails and their threads, printed (benches/README.md, "E-mail threads").
fn print_email_threads(search: &SearchService) {
    let table = search.table();
    let mailed: Vec<&woo_server::search::DocumentEntry> = table
        .entries
        .iter()
        .filter(|entry| !entry.stored.fields.emails.is_empty())
        .collect();
    let messages: usize = mailed
        .iter()
        .map(|entry| entry.stored.fields.emails.len())
        .sum();
    let redacted_senders = mailed
        .iter()
        .flat_map(|entry| &entry.stored.fields.emails)
        .filter(|message| {
            message
                .sender
                .as_deref()
                .is_some_and(woo_core::mail::is_redacted)
        })
        .count();
    eprintln!(
        "corpus e-mails: {} documents print {} messages ({} with a redacted sender); {} threads",
        mailed.len(),
        messages,
        redacted_senders,
        table.threads.len()
    );
    for entry in &mailed {
        eprintln!("  e-mail {}", entry.stored.fields.source);
        for message in &entry.stored.fields.emails {
            eprintln!(
                "    p{} {:?} | {:?} | {:?} | {:?}",
                message.page, message.sent, message.sender, message.recipients, message.subject
            );
        }
    }
    let mut threads: Vec<(&String, &Vec<usize>)> = table.threads.iter().collect();
    threads.sort();
    for (thread, members) in threads {
        let sources: Vec<&str> = members
            .iter()
            .map(|&position| table.entries[position].stored.fields.source.as_str())
            .collect();
        let count = search
            .email_thread(thread)
            .map(|found| found.message_count)
            .unwrap_or(0);
        eprintln!("  thread {thread}: {count} messages in {sources:?}");
    }
}

/// Bag-of-words F1 of two texts (lowercase runs of letters and digits).
fn word_f1(ours: &str, reference: &str) -> f64 {
    use std::collections::HashMap;
    fn bag(text: &str) -> HashMap<String, usize> {
        let mut words = HashMap::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
        {
            *words.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        words
    }
    let ours = bag(ours);
    let reference = bag(reference);
    let ours_total: usize = ours.values().sum();
    let reference_total: usize = reference.values().sum();
    if ours_total == 0 && reference_total == 0 {
        return 1.0;
    }
    let common: usize = ours
        .iter()
        .map(|(word, count)| (*count).min(*reference.get(word).unwrap_or(&0)))
        .sum();
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / ours_total as f64;
    let recall = common as f64 / reference_total as f64;
    2.0 * precision * recall / (precision + recall)
}

/// Per-file page counts and minimum word F1 against pdftotext for named corpus files of
/// different producers and structures (Quartz, PDFpenPro without ToUnicode, incremental
/// updates with object streams, XPP, a province table inventory, a ministry Wob decision).
#[test]
fn named_corpus_files_match_pdftotext_page_by_page() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped: pdftotext not installed (apt-get install poppler-utils)");
        return;
    }
    let named: &[(&str, usize, f64)] = &[
        (
            "coronamelder/20200928 Duidingsrapportage Coronamelder.pdf",
            131,
            0.97,
        ),
        (
            "coronamelder/Bijlage B - Advies Autoriteit Persoonsgegevens.pdf",
            22,
            0.97,
        ),
        (
            "coronamelder/Bijlage C - Juridische Analyse Landsadvocaat.pdf",
            10,
            0.97,
        ),
        (
            "coronamelder/Bijlage D - Advies Raad van State.pdf",
            16,
            0.97,
        ),
        (
            "woo-hoo/samples/woo_besluit_landsadvocaat_stikstof.pdf",
            8,
            0.97,
        ),
        (
            "heerlen/2. Parkeerverordening Heerlen 2025__183800__.pdf",
            7,
            0.97,
        ),
    ];
    for (relative, pages, minimum_median) in named {
        let path = corpus.join(relative);
        let bytes = std::fs::read(&path).unwrap();
        let extracted =
            woo_indexer::pdf::extract_pdf(relative, &bytes, &PdfLimits::default()).unwrap();
        assert_eq!(extracted.pages.len(), *pages, "{relative}");
        let output = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let reference = String::from_utf8_lossy(&output.stdout);
        let reference_pages: Vec<&str> = reference.split('\x0c').collect();
        let mut scores: Vec<f64> = extracted
            .pages
            .iter()
            .zip(reference_pages.iter())
            .filter(|(_, reference_page)| {
                reference_page
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .count()
                    >= 40
            })
            .map(|(page, reference_page)| word_f1(&page.text, reference_page))
            .collect();
        scores.sort_by(f64::total_cmp);
        let median = scores[scores.len() / 2];
        eprintln!("{relative}: median F1 {median:.3}, worst {:.3}", scores[0]);
        assert!(
            median >= *minimum_median,
            "{relative}: median F1 {median:.3}"
        );
        assert!(
            scores[0] >= 0.80,
            "{relative}: worst page F1 {:.3}",
            scores[0]
        );
    }
}
