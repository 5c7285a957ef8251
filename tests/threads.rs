//! E-mail threads: the judged conversations of `woo_fixtures::threads` written as PDFs and
//! indexed; the headers the indexer parsed are scored per field and the threads the server
//! builds are scored over document pairs, per half; then the thread API, the `thread`,
//! `sender` and `recipient` facets and the pages are checked. A second test measures the
//! parser and the threading on the real e-mails of `woo-organizer`'s SZW release when
//! `../shared/corpus` is there (`cargo test --test tests threads -- --nocapture`; figures in
//! benches/README.md).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use woo_core::EmailHeaders;
use woo_fixtures::threads::{thread_cases, GoldMessage, ThreadDocument};

/// Fields right per field over the printed messages of `cases`: sender, recipients, sent,
/// subject, and messages found at all.
fn header_accuracy(
    cases: &[&ThreadDocument],
    parsed: &HashMap<String, Vec<EmailHeaders>>,
) -> [f64; 5] {
    let mut right = [0usize; 5];
    let mut total = 0;
    for case in cases {
        let found = parsed.get(&case.name).cloned().unwrap_or_default();
        for (index, gold) in case.messages.iter().enumerate() {
            total += 1;
            let Some(message) = found.get(index) else {
                continue;
            };
            right[4] += 1;
            let GoldMessage {
                sender,
                recipients,
                sent,
                subject,
            } = gold;
            right[0] += usize::from(message.sender.as_deref() == Some(sender.as_str()));
            right[1] += usize::from(&message.recipients == recipients);
            right[2] += usize::from(message.sent.as_deref() == Some(sent.as_str()));
            right[3] += usize::from(message.subject.as_deref() == Some(subject.as_str()));
        }
    }
    right.map(|count| count as f64 / total.max(1) as f64)
}

/// Pairwise precision and recall of the threads over the documents of `cases`.
fn thread_precision_recall(
    cases: &[&ThreadDocument],
    threads: &HashMap<String, Option<String>>,
) -> (f64, f64, usize, usize, usize) {
    let (mut correct, mut predicted, mut truth) = (0, 0, 0);
    for (position, first) in cases.iter().enumerate() {
        for second in &cases[position + 1..] {
            let same_gold = first.conversation == second.conversation;
            let thread_of = |case: &ThreadDocument| threads.get(&case.name).cloned().flatten();
            let same_thread = thread_of(first).is_some() && thread_of(first) == thread_of(second);
            truth += usize::from(same_gold);
            predicted += usize::from(same_thread);
            correct += usize::from(same_gold && same_thread);
        }
    }
    let precision = if predicted == 0 {
        1.0
    } else {
        correct as f64 / predicted as f64
    };
    let recall = if truth == 0 {
        1.0
    } else {
        correct as f64 / truth as f64
    };
    (precision, recall, correct, predicted, truth)
}

/// The judged conversations and one pair of near-duplicates (the same e-mail redacted
/// differently, `woo_fixtures::duplicates`), indexed once; the browser test serves it too.
struct ThreadIndex {
    _folder: tempfile::TempDir,
    _index: tempfile::TempDir,
    search: Arc<woo_server::SearchService>,
}

static THREAD_INDEX: OnceLock<ThreadIndex> = OnceLock::new();

/// The file stem of the near-duplicate pair's files (`<stem>-a.pdf`, `<stem>-b.pdf`).
pub const DUPLICATE_PAIR: &str = "duplicate-pair";

/// The search over the indexed conversations and the near-duplicate pair.
pub fn thread_search() -> Arc<woo_server::SearchService> {
    THREAD_INDEX
        .get_or_init(|| {
            let folder = tempfile::tempdir().unwrap();
            for case in thread_cases() {
                let pages: Vec<&str> = case.pages.iter().map(String::as_str).collect();
                let file = folder.path().join(format!("{}.pdf", case.name));
                std::fs::write(file, woo_fixtures::simple_pdf("", &pages)).unwrap();
            }
            let pair = woo_fixtures::duplicates::duplicate_cases()
                .into_iter()
                .find(|case| case.kind == "redacted-differently")
                .unwrap();
            for (side, pages) in [("a", &pair.first), ("b", &pair.second)] {
                let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
                let file = folder.path().join(format!("{DUPLICATE_PAIR}-{side}.pdf"));
                std::fs::write(file, woo_fixtures::simple_pdf("", &pages)).unwrap();
            }
            let index = tempfile::tempdir().unwrap();
            let options = woo_indexer::ingest::IndexOptions {
                jobs: 2,
                ..woo_indexer::ingest::IndexOptions::new(
                    vec![PathBuf::from(folder.path())],
                    index.path().to_path_buf(),
                )
            };
            let summary = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
            assert!(summary.failures.is_empty(), "{:?}", summary.failures);
            let search = Arc::new(woo_server::SearchService::open(index.path()).unwrap());
            ThreadIndex {
                _folder: folder,
                _index: index,
                search,
            }
        })
        .search
        .clone()
}

#[tokio::test]
async fn email_headers_are_parsed_and_messages_threaded_across_documents() {
    let cases = thread_cases();
    let search = thread_search();
    let table = search.table();
    // A chain that goes on over a page whose top is a quoted message's headers is split into
    // bundle parts there (`woo_indexer` splits bundles of e-mails at such pages): a file's
    // messages are those of its parts in page order, its thread that of its first part.
    let name_of = |source: &str| {
        let file = source.split('#').next().unwrap_or(source);
        file.trim_end_matches(".pdf").to_string()
    };
    let mut entries: Vec<&woo_server::search::DocumentEntry> = table.entries.iter().collect();
    entries.sort_by_key(|entry| {
        (
            entry.stored.fields.source.clone(),
            entry.stored.fields.first_page,
        )
    });
    let mut parsed: HashMap<String, Vec<EmailHeaders>> = HashMap::new();
    let mut threads: HashMap<String, Option<String>> = HashMap::new();
    let mut split_files = 0;
    for entry in entries {
        let name = name_of(&entry.stored.fields.source);
        parsed
            .entry(name.clone())
            .or_default()
            .extend(entry.stored.fields.emails.iter().cloned());
        match threads.get(&name) {
            None => {
                threads.insert(name, entry.thread.clone());
            }
            Some(first) => {
                split_files += 1;
                assert_eq!(first, &entry.thread, "the parts of {name} are one thread");
            }
        }
    }
    println!("bundle parts beyond a file's first: {split_files} (each in its file's thread)");
    for case in &cases {
        assert!(
            parsed.contains_key(&case.name),
            "{} is one document",
            case.name
        );
    }
    if std::env::var_os("WOO_THREADS_DEBUG").is_some() {
        for case in &cases {
            let found = &parsed[&case.name];
            if found.len() != case.messages.len()
                || found
                    .iter()
                    .zip(&case.messages)
                    .any(|(m, g)| m.sent.as_deref() != Some(g.sent.as_str()))
            {
                println!(
                    "{} style {}: parsed {found:#?}\ngold {:#?}\ntext {}",
                    case.name, case.style, case.messages, case.pages[0]
                );
            }
        }
        let mut by_thread: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for case in &cases {
            if let Some(thread) = threads[&case.name].clone() {
                by_thread
                    .entry(thread)
                    .or_default()
                    .push((case.name.clone(), case.conversation));
            }
        }
        for (thread, members) in by_thread {
            if members.iter().any(|(_, c)| *c != members[0].1) {
                println!("mixed thread {thread}: {members:?}");
            }
        }
    }
    println!("half      messages  found  sender  recipients  sent  subject | thread pairs P    R");
    let mut figures = Vec::new();
    for (label, held_out) in [("tuning", false), ("held-out", true)] {
        let half: Vec<&ThreadDocument> = cases
            .iter()
            .filter(|case| case.held_out == held_out)
            .collect();
        let messages: usize = half.iter().map(|case| case.messages.len()).sum();
        let [sender, recipients, sent, subject, found] = header_accuracy(&half, &parsed);
        let (precision, recall, correct, predicted, truth) =
            thread_precision_recall(&half, &threads);
        println!(
            "{label:<9} {messages:>8}  {found:.2}   {sender:.2}    {recipients:.2}       {sent:.2}  {subject:.2}    | {correct}/{predicted} {correct}/{truth}  {precision:.2} {recall:.2}"
        );
        figures.push((found, sender, recipients, sent, subject, precision, recall));
    }
    for (label, figure) in ["tuning", "held-out"].iter().zip(&figures) {
        let (found, sender, recipients, sent, subject, precision, recall) = *figure;
        // Floors below the measured figures (benches/README.md).
        assert!(
            found >= 0.95 && sender >= 0.95 && recipients >= 0.9,
            "{label} {figure:?}"
        );
        assert!(sent >= 0.95 && subject >= 0.95, "{label} {figure:?}");
        assert!(precision >= 0.8 && recall >= 0.9, "{label} {figure:?}");
    }
    check_thread_api(search.clone(), &cases, &threads).await;
}

/// The thread API, the facets and filter, and the pages, on the indexed conversations.
async fn check_thread_api(
    search: std::sync::Arc<woo_server::SearchService>,
    cases: &[ThreadDocument],
    threads: &HashMap<String, Option<String>>,
) {
    let state = woo_server::AppState {
        search: search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let get = |uri: String| {
        let request = axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        crate::common::send(state.clone(), request)
    };
    // A conversation printed as a chain plus its first message alone.
    let chain = cases
        .iter()
        .find(|case| case.messages.len() >= 3 && case.name.ends_with("-1"))
        .unwrap();
    let thread = threads[&chain.name].clone().expect("the chain is a thread");
    let answer = get(format!("/api/threads/{thread}")).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        body["message_count"].as_u64(),
        Some(chain.messages.len() as u64),
        "the first message, printed twice, is listed once: {body:#}"
    );
    let sent: Vec<&str> = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|message| message["sent"].as_str().unwrap())
        .collect();
    let mut in_order = sent.clone();
    in_order.sort();
    assert_eq!(sent, in_order, "oldest first");
    let first_printed = body["messages"][0]["printed_in"].as_array().unwrap().len();
    assert_eq!(first_printed, 2, "{body:#}");
    let unknown = get("/api/threads/no-such-thread".to_string()).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["error"]["code"].is_string());
    // The thread filter: exactly the documents of the thread.
    let filtered = get(format!("/api/search?thread={thread}&size=50"))
        .await
        .json();
    let expected = search
        .table()
        .entries
        .iter()
        .filter(|entry| entry.thread.as_deref() == Some(thread.as_str()))
        .count();
    assert_eq!(
        filtered["total"].as_u64(),
        Some(expected as u64),
        "{filtered:#}"
    );
    for result in filtered["results"].as_array().unwrap() {
        assert_eq!(result["thread"].as_str(), Some(thread.as_str()));
    }
    // Sender facet: visible addresses and domains only, never a redaction mark.
    let all = get("/api/search?size=1&facet_size=100".to_string())
        .await
        .json();
    let senders: Vec<&str> = all["facets"]["sender"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value["value"].as_str().unwrap())
        .collect();
    assert!(senders.contains(&"minvws.nl"), "{senders:?}");
    assert!(
        senders.iter().any(|value| value.contains('@')),
        "{senders:?}"
    );
    assert!(
        senders
            .iter()
            .all(|value| !value.to_lowercase().contains("gelakt")),
        "{senders:?}"
    );
    assert!(all["facets"]["recipient"]
        .as_array()
        .is_some_and(|values| !values.is_empty()));
    let by_domain = get("/api/search?sender=minvws.nl&size=1".to_string())
        .await
        .json();
    assert!(by_domain["total"].as_u64().unwrap() > 0);
    // The document JSON and page, and the thread page.
    let id = filtered["results"][0]["id"].as_str().unwrap().to_string();
    let document = get(format!("/api/documents/{id}")).await.json();
    assert_eq!(document["thread"]["id"].as_str(), Some(thread.as_str()));
    assert!(document["emails"]
        .as_array()
        .is_some_and(|emails| !emails.is_empty()));
    let page = get(format!("/documents/{id}")).await.text();
    assert!(
        page.contains(&format!("een reeks van {} berichten", chain.messages.len())),
        "{page}"
    );
    let thread_page = get(format!("/threads/{thread}")).await;
    assert_eq!(thread_page.status, 200);
    assert!(thread_page
        .text()
        .contains("<ol class=\"thread-messages\">"));
    let missing_page = get("/threads/no-such-thread".to_string()).await;
    assert_eq!(missing_page.status, 404);
}

/// The woo-organizer JSON of a real SZW release: 60 e-mails (ids `0047.1`–`0047.4` are one
/// printed chain), with the headers its own parser read. The texts that print a header block
/// are parsed here and compared with those headers; then all 60 are threaded from the JSON's
/// headers and compared with the chains.
#[test]
fn real_release_emails_parse_and_thread_like_their_printed_chains() {
    let Some(corpus) = crate::common::corpus_dir() else {
        println!("../shared/corpus is not there: the real-release e-mail measurement is skipped");
        return;
    };
    let path = corpus.join("woo-organizer/demo_dossier.json");
    let Ok(bytes) = std::fs::read(&path) else {
        println!("{} is not there: skipped", path.display());
        return;
    };
    let dossier: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let emails = dossier["emails"].as_array().unwrap();
    let text_of =
        |email: &serde_json::Value, key: &str| email[key].as_str().unwrap_or("").to_string();
    let (mut with_headers, mut found, mut subject_right, mut sent_right, mut sender_right) =
        (0, 0, 0, 0, 0);
    for email in emails {
        let text = text_of(email, "text");
        if !text.contains("Van:") && !text.contains("From:") {
            continue;
        }
        with_headers += 1;
        let messages = woo_indexer::email_headers::messages_of_page(&text, 1);
        let Some(message) = messages.first() else {
            println!("no header block read in {}", text_of(email, "id"));
            continue;
        };
        found += 1;
        subject_right +=
            usize::from(message.subject.as_deref() == Some(text_of(email, "subject").as_str()));
        let gold_sent = format!("{}T{}", text_of(email, "date"), text_of(email, "time"));
        let sent_matches = message.sent.as_deref() == Some(gold_sent.as_str());
        if !sent_matches {
            println!(
                "{}: sent {:?}, woo-organizer {gold_sent:?}",
                text_of(email, "id"),
                message.sent
            );
        }
        sent_right += usize::from(sent_matches);
        let sender = text_of(email, "sender");
        sender_right += usize::from(
            message.sender.as_deref().map(str::trim) == Some(sender.trim())
                || (woo_core::mail::is_redacted(&sender)
                    && message
                        .sender
                        .as_deref()
                        .is_some_and(woo_core::mail::is_redacted)),
        );
    }
    println!(
        "real release: {with_headers} e-mails print a header block; read {found}, subject {subject_right}, sent {sent_right}, sender (redaction kept) {sender_right}"
    );
    // Threads from the JSON's headers, one document per e-mail.
    let headers: Vec<(String, EmailHeaders)> = emails
        .iter()
        .map(|email| {
            let date = text_of(email, "date");
            let time = text_of(email, "time");
            let sent = if time.len() == 5 {
                format!("{date}T{time}")
            } else {
                date
            };
            let split = |value: String| -> Vec<String> {
                woo_indexer::email_headers::split_recipients(&value)
            };
            let mut recipients = split(text_of(email, "to"));
            recipients.extend(split(text_of(email, "cc")));
            (
                text_of(email, "id"),
                EmailHeaders {
                    sender: Some(text_of(email, "sender")).filter(|value| !value.is_empty()),
                    recipients,
                    sent: woo_core::dates::date_to_days(sent.get(..10).unwrap_or(""))
                        .map(|_| sent.clone()),
                    subject: Some(text_of(email, "subject")).filter(|value| !value.is_empty()),
                    page: 1,
                },
            )
        })
        .collect();
    let documents: Vec<(&str, &[EmailHeaders])> = headers
        .iter()
        .map(|(id, message)| (id.as_str(), std::slice::from_ref(message)))
        .collect();
    let threads = woo_core::mail::email_threads(&documents);
    let chain_of = |id: &str| id.split('.').next().unwrap_or(id).to_string();
    // Two e-mails are together when they are in one thread, or are one message (same thread
    // subject and sent minute: the release prints some messages twice) in none.
    let group_of = |position: usize| -> Option<String> {
        if let Some(thread) = &threads[position] {
            return Some(thread.clone());
        }
        let message = &headers[position].1;
        let sent = message.sent.as_deref().filter(|sent| sent.len() == 16)?;
        let subject = woo_core::mail::thread_subject(message.subject.as_deref()?);
        Some(format!("{subject} {sent}"))
    };
    let (mut same_chain, mut same_chain_threaded, mut across_chains) = (0, 0, 0);
    let mut merged_chains: Vec<(String, String)> = Vec::new();
    for first in 0..headers.len() {
        for second in first + 1..headers.len() {
            let together = group_of(first).is_some() && group_of(first) == group_of(second);
            if chain_of(&headers[first].0) == chain_of(&headers[second].0) {
                same_chain += 1;
                same_chain_threaded += usize::from(together);
            } else if together {
                across_chains += 1;
                let pair = (chain_of(&headers[first].0), chain_of(&headers[second].0));
                if !merged_chains.contains(&pair) {
                    merged_chains.push(pair);
                }
            }
        }
    }
    if std::env::var_os("WOO_THREADS_DEBUG").is_some() {
        for ((id, message), thread) in headers.iter().zip(&threads) {
            println!(
                "{id:<12} {:<20} {:?} {:?}",
                message.sent.as_deref().unwrap_or("-"),
                thread,
                message.subject
            );
        }
    }
    let thread_count = {
        let mut names: Vec<&String> = threads.iter().flatten().collect();
        names.sort();
        names.dedup();
        names.len()
    };
    println!(
        "real release threads: {thread_count} threads; pairs of one printed chain threaded together {same_chain_threaded}/{same_chain}; pairs across chains joined {across_chains} (chains joined: {merged_chains:?})"
    );
    assert!(
        found * 10 >= with_headers * 9,
        "header blocks read {found}/{with_headers}"
    );
    assert!(
        same_chain_threaded * 10 >= same_chain * 8,
        "chains threaded {same_chain_threaded}/{same_chain}"
    );
}
