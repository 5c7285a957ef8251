//! E-mail threads: the subject a thread shares (`RE:`, `FW:`, `Antw:`, `Doorst:` stripped), the
//! visible participants of a message (redacted names and addresses are never guessed), and
//! [`email_threads`], which links the messages of documents into threads across documents and
//! publications; [`thread_messages`] lists a thread's messages in time order, each message
//! once with every place it is printed.
//!
//! Linking rules, in this order:
//! 1. The messages printed in one document (a message and the replies it quotes) are one
//!    thread: the quoted text says so.
//! 2. The same message printed in two documents (same thread subject, same sent minute) joins
//!    their threads.
//! 3. A reply or forward (its subject starts with `RE:`, `FW:`, …) joins the nearest earlier
//!    message with the same thread subject, sent at most [`MAX_THREAD_DAYS`] before it, that
//!    shares a visible participant or organisation domain with it. A reply without visible
//!    participants (all redacted) joins the nearest earlier all-redacted message, else the
//!    nearest earlier one; a reply with visible participants joins one without only when no
//!    earlier message of that subject in the window shows any. A message without a prefix
//!    starts a conversation: it joins no earlier message by this rule.
//!
//! A thread is named by the smallest id of its documents, so it is the same on every run over
//! the same documents, and it exists when it holds at least two distinct messages.

use std::collections::HashMap;

use crate::analysis::fold;
use crate::model::EmailHeaders;

/// Days between a message and the earlier message of its thread it replies to, at most.
pub const MAX_THREAD_DAYS: i64 = 90;

/// Reply and forward prefixes, folded, without their colon (Dutch, English, German and
/// Scandinavian mail programs).
const PREFIXES: &[&str] = &[
    "re", "fw", "fwd", "antw", "antwoord", "doorst", "tr", "wg", "aw", "sv", "vs",
];

/// The subject without reply and forward prefixes, folded, whitespace collapsed.
pub fn thread_subject(subject: &str) -> String {
    let mut rest = fold(subject.trim());
    loop {
        let trimmed = rest.trim_start();
        let stripped = PREFIXES.iter().find_map(|prefix| {
            let after = trimmed.strip_prefix(prefix)?.trim_start();
            let after = after.strip_prefix(':').or_else(|| {
                // `RE[2]:`
                let closing = after.strip_prefix('[')?.find(']')?;
                after[closing + 2..].strip_prefix(':')
            })?;
            Some(after.to_string())
        });
        match stripped {
            Some(after) => rest = after,
            None => break,
        }
    }
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A ground code as stamped on a redaction (`5.1.2e`, `5.1.2.e`, `10.2e`, `11.1`).
fn is_ground_code(word: &str) -> bool {
    let starts_with_digit = word.chars().next().is_some_and(|c| c.is_ascii_digit());
    starts_with_digit
        && word.contains('.')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

/// Whether a header value is (or holds) a redaction: a `GELAKT` mark, a ground code, or
/// blacked-out characters.
pub fn is_redacted(value: &str) -> bool {
    let lowered = value.to_lowercase();
    if lowered.contains("gelakt") || lowered.contains("geredigeerd") {
        return true;
    }
    value
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '@'))
        .filter(|word| !word.is_empty())
        .any(|word| {
            let word = word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"'));
            is_ground_code(word) || (!word.is_empty() && word.chars().all(|c| "█■▇*".contains(c)))
        })
}

/// The organisation domain of an address (`j.jansen@minvws.nl` -> `minvws.nl`), also when the
/// name before the `@` is redacted.
pub fn domain_of(value: &str) -> Option<String> {
    let (_, after) = value.rsplit_once('@')?;
    let domain: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
        .collect::<String>()
        .trim_end_matches('.')
        .to_lowercase();
    let has_label = domain.split('.').filter(|label| !label.is_empty()).count() >= 2;
    (has_label && !is_redacted(&domain)).then_some(domain)
}

/// A participant as threads compare it: the address (lowercase) when one is printed, else
/// the folded name; `None` for a redacted one.
pub fn participant_key(value: &str) -> Option<String> {
    if is_redacted(value) {
        return None;
    }
    let value = value.trim();
    if let Some(start) = value.find('<') {
        let address = value[start + 1..].trim_end_matches('>').trim();
        if address.contains('@') {
            return Some(address.to_lowercase());
        }
    }
    let key = fold(value.trim_matches(|c: char| c == '"' || c == '\''));
    (key.chars().any(char::is_alphanumeric)).then_some(key)
}

/// What a sender or recipient facet shows of a value: the address (or the name when no
/// address is printed) unless it is redacted, and the organisation domain.
pub fn visible_participant_values(value: &str) -> Vec<String> {
    let mut values = Vec::new();
    if !is_redacted(value) {
        let value = value.trim().trim_matches('"');
        let shown = match value.find('<') {
            Some(start) => value[start + 1..]
                .trim_end_matches('>')
                .trim()
                .to_lowercase(),
            None => value.to_string(),
        };
        if shown.chars().any(char::is_alphanumeric) {
            values.push(shown);
        }
    }
    if let Some(domain) = domain_of(value) {
        if !values.contains(&domain) {
            values.push(domain);
        }
    }
    values
}

/// The participants and organisation domains of a message (visible ones only).
fn message_keys(headers: &EmailHeaders) -> Vec<String> {
    let mut keys = Vec::new();
    for value in headers.sender.iter().chain(&headers.recipients) {
        keys.extend(participant_key(value));
        keys.extend(domain_of(value).map(|domain| format!("@{domain}")));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Days since 1970 of the sent date.
fn sent_days(headers: &EmailHeaders) -> Option<i64> {
    crate::dates::date_to_days(headers.sent.as_deref()?.get(..10)?)
}

/// The sent date-time when it has a time (`YYYY-MM-DDTHH:MM`).
fn sent_minute(headers: &EmailHeaders) -> Option<&str> {
    headers.sent.as_deref().filter(|sent| sent.len() >= 16)
}

/// Whether the subject starts with a reply or forward prefix.
fn has_reply_prefix(headers: &EmailHeaders) -> bool {
    let printed = headers.subject.as_deref().unwrap_or("");
    let folded = fold(printed.trim());
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    thread_subject(printed) != folded
}

/// A subject long enough to tell threads apart (three letters or digits).
fn usable_subject(headers: &EmailHeaders) -> Option<String> {
    let subject = thread_subject(headers.subject.as_deref().unwrap_or(""));
    (subject.chars().filter(|c| c.is_alphanumeric()).count() >= 3).then_some(subject)
}

fn find_root(parents: &mut [usize], mut item: usize) -> usize {
    while parents[item] != item {
        parents[item] = parents[parents[item]];
        item = parents[item];
    }
    item
}

fn join(parents: &mut [usize], first: usize, second: usize) {
    let first = find_root(parents, first);
    let second = find_root(parents, second);
    if first != second {
        // The smaller position (document order: ids compared later) is kept as root; any
        // fixed rule would do, the name is chosen from the members.
        let (keep, other) = (first.min(second), first.max(second));
        parents[other] = keep;
    }
}

/// One message of a document, for threading.
struct FlatMessage<'a> {
    document: usize,
    headers: &'a EmailHeaders,
    subject: Option<String>,
    /// Its subject carries a reply or forward prefix (`RE:`, `FW:`): it answers an earlier
    /// message. One without starts a conversation and joins no earlier message by rule 3.
    answers: bool,
    keys: Vec<String>,
    days: Option<i64>,
}

fn flatten<'a>(documents: &[(&str, &'a [EmailHeaders])]) -> Vec<FlatMessage<'a>> {
    let mut messages = Vec::new();
    for (document, (_, emails)) in documents.iter().enumerate() {
        for headers in emails.iter() {
            messages.push(FlatMessage {
                document,
                headers,
                subject: usable_subject(headers),
                answers: has_reply_prefix(headers),
                keys: message_keys(headers),
                days: sent_days(headers),
            });
        }
    }
    messages
}

/// The earlier message (position in `ordered`) that the message at `index` replies to under
/// rule 3, if any.
fn replied_message(messages: &[FlatMessage], ordered: &[usize], index: usize) -> Option<usize> {
    let message = &messages[ordered[index]];
    if !message.answers {
        return None;
    }
    let mut nearest_in_window = None;
    let mut window_shows_someone = false;
    for &earlier in ordered[..index].iter().rev() {
        let other = &messages[earlier];
        if let (Some(later), Some(sooner)) = (message.days, other.days) {
            if later - sooner > MAX_THREAD_DAYS {
                break;
            }
        }
        if nearest_in_window.is_none() {
            nearest_in_window = Some(earlier);
        }
        if other.keys.is_empty() {
            // A release redacts one conversation alike: an all-redacted reply answers the
            // nearest all-redacted message first.
            if message.keys.is_empty() {
                return Some(earlier);
            }
            continue;
        }
        window_shows_someone = true;
        if message.keys.iter().any(|key| other.keys.contains(key)) {
            return Some(earlier);
        }
    }
    if window_shows_someone && !message.keys.is_empty() {
        return None;
    }
    nearest_in_window
}

/// The thread of each document among `documents` (id, its e-mail messages): the thread's name
/// (the smallest id of its documents) when the thread holds at least two distinct messages,
/// else `None`. Same order as `documents`.
pub fn email_threads(documents: &[(&str, &[EmailHeaders])]) -> Vec<Option<String>> {
    let messages = flatten(documents);
    let mut parents: Vec<usize> = (0..documents.len()).collect();
    // Rules 2 and 3 work on the messages of one thread subject at a time.
    let mut by_subject: HashMap<&str, Vec<usize>> = HashMap::new();
    for (position, message) in messages.iter().enumerate() {
        if let Some(subject) = &message.subject {
            by_subject
                .entry(subject.as_str())
                .or_default()
                .push(position);
        }
    }
    let mut subjects: Vec<&&str> = by_subject.keys().collect();
    subjects.sort();
    for subject in subjects {
        let mut ordered = by_subject[*subject].clone();
        // Undated messages last: they answer the nearest dated one before them.
        ordered.sort_by_key(|&position| {
            (
                messages[position].days.is_none(),
                messages[position].days,
                sent_minute(messages[position].headers),
                messages[position].document,
            )
        });
        let mut by_minute: HashMap<&str, usize> = HashMap::new();
        for (index, &position) in ordered.iter().enumerate() {
            let message = &messages[position];
            if let Some(minute) = sent_minute(message.headers) {
                match by_minute.get(minute) {
                    Some(&same) => join(&mut parents, message.document, messages[same].document),
                    None => {
                        by_minute.insert(minute, position);
                    }
                }
            }
            if let Some(earlier) = replied_message(&messages, &ordered, index) {
                join(&mut parents, message.document, messages[earlier].document);
            }
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for document in 0..documents.len() {
        let root = find_root(&mut parents, document);
        members.entry(root).or_default().push(document);
    }
    let mut threads = vec![None; documents.len()];
    for group in members.values() {
        let thread_documents: Vec<(&str, &[EmailHeaders])> =
            group.iter().map(|&document| documents[document]).collect();
        if thread_messages(&thread_documents).len() < 2 {
            continue;
        }
        let name = group
            .iter()
            .map(|&document| documents[document].0)
            .min()
            .map(str::to_string);
        for &document in group {
            threads[document] = name.clone();
        }
    }
    threads
}

/// One message of a thread and the places it is printed.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadMessage {
    /// Its headers (as printed where it was first found).
    pub headers: EmailHeaders,
    /// (position in the documents handed in, page) of every place it is printed.
    pub printed_in: Vec<(usize, u32)>,
}

/// The distinct messages of the documents of one thread, in time order (undated last): a
/// message printed in several documents (same thread subject, same sent minute, same visible
/// sender) is listed once with every place it is printed.
pub fn thread_messages(documents: &[(&str, &[EmailHeaders])]) -> Vec<ThreadMessage> {
    let mut listed: Vec<ThreadMessage> = Vec::new();
    let mut by_identity: HashMap<(String, String, Option<String>), usize> = HashMap::new();
    for (document, (_, emails)) in documents.iter().enumerate() {
        for headers in emails.iter() {
            let identity = sent_minute(headers).map(|minute| {
                (
                    thread_subject(headers.subject.as_deref().unwrap_or("")),
                    minute.to_string(),
                    headers.sender.as_deref().and_then(participant_key),
                )
            });
            if let Some(&known) = identity.as_ref().and_then(|key| by_identity.get(key)) {
                listed[known].printed_in.push((document, headers.page));
                continue;
            }
            if let Some(key) = identity {
                by_identity.insert(key, listed.len());
            }
            listed.push(ThreadMessage {
                headers: headers.clone(),
                printed_in: vec![(document, headers.page)],
            });
        }
    }
    listed.sort_by(|a, b| {
        let sent_a = a.headers.sent.as_deref();
        let sent_b = b.headers.sent.as_deref();
        match (sent_a, sent_b) {
            (Some(a_sent), Some(b_sent)) => a_sent.cmp(b_sent),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.printed_in.cmp(&b.printed_in))
    });
    listed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(sender: &str, to: &str, sent: &str, subject: &str) -> EmailHeaders {
        EmailHeaders {
            sender: Some(sender.to_string()),
            recipients: vec![to.to_string()],
            sent: Some(sent.to_string()),
            subject: Some(subject.to_string()),
            page: 1,
        }
    }

    #[test]
    fn subjects_lose_their_prefixes_and_redactions_are_never_participants() {
        assert_eq!(
            thread_subject("RE: FW: Antw: Levering  mondkapjes"),
            "levering mondkapjes"
        );
        assert_eq!(thread_subject("Doorst: RE[2]: planning"), "planning");
        assert_eq!(thread_subject("Reactie op nota"), "reactie op nota");
        assert_eq!(participant_key("[GELAKT: 5.1.2e]"), None);
        assert_eq!(participant_key("5.1.2e <5.1.2e@minvws.nl>"), None);
        assert_eq!(participant_key("███ <███@minvws.nl>"), None);
        assert_eq!(
            domain_of("5.1.2e <5.1.2e@minvws.nl>").as_deref(),
            Some("minvws.nl")
        );
        assert_eq!(
            domain_of("[GELAKT: 5.1.2e] <[GELAKT]@MINSZW.NL>").as_deref(),
            Some("minszw.nl")
        );
        assert_eq!(domain_of("[GELAKT: 5.1.2e]@[GELAKT: 5.1.2e]"), None);
        assert_eq!(
            participant_key("Jan Jansen <J.Jansen@minvws.nl>").as_deref(),
            Some("j.jansen@minvws.nl")
        );
        assert_eq!(
            visible_participant_values("[GELAKT: 5.1.2e] <[GELAKT]@minszw.nl>"),
            vec!["minszw.nl"]
        );
        assert_eq!(
            visible_participant_values("Jan Jansen <J.Jansen@minvws.nl>"),
            vec!["j.jansen@minvws.nl", "minvws.nl"]
        );
    }

    #[test]
    fn replies_join_their_thread_and_other_conversations_stay_apart() {
        let first = [mail(
            "Jan <jan@minvws.nl>",
            "Petra <petra@minvws.nl>",
            "2021-03-01T10:00",
            "Levering mondkapjes",
        )];
        let reply = [mail(
            "Petra <petra@minvws.nl>",
            "Jan <jan@minvws.nl>",
            "2021-03-01T11:00",
            "RE: Levering mondkapjes",
        )];
        let redacted_reply = [mail(
            "[GELAKT: 5.1.2e]",
            "5.1.2e",
            "2021-03-02",
            "Antw: Levering mondkapjes",
        )];
        let stranger = [mail(
            "Kees <kees@example.nl>",
            "Anna <anna@example.nl>",
            "2021-03-05",
            "Levering mondkapjes",
        )];
        let much_later = [mail(
            "Jan <jan@minvws.nl>",
            "Petra <petra@minvws.nl>",
            "2022-06-01",
            "RE: Levering mondkapjes",
        )];
        let threads = email_threads(&[
            ("b", &reply),
            ("a", &first),
            ("c", &redacted_reply),
            ("d", &stranger),
            ("e", &much_later),
        ]);
        assert_eq!(threads[0].as_deref(), Some("a"));
        assert_eq!(threads[1].as_deref(), Some("a"));
        // All redacted: it joins the nearest earlier message of its subject.
        assert_eq!(threads[2].as_deref(), Some("a"));
        // Shares only the subject with people who are shown: another conversation.
        assert_eq!(threads[3], None);
        // More than 90 days after the last message: a new conversation.
        assert_eq!(threads[4], None);
    }

    #[test]
    fn a_printed_chain_is_a_thread_and_a_message_printed_twice_is_listed_once() {
        let chain = [
            mail(
                "[GELAKT: 5.1.2e]",
                "[GELAKT: 5.1.2e]",
                "2023-03-13T10:50",
                "RE: Nota wetsvoorstel",
            ),
            mail(
                "[GELAKT: 5.1.2e]",
                "[GELAKT: 5.1.2e]",
                "2023-03-10T15:59",
                "Nota wetsvoorstel",
            ),
        ];
        // The first message again, printed on its own in another release.
        let single = [EmailHeaders {
            page: 4,
            ..chain[1].clone()
        }];
        let unrelated = [mail(
            "[GELAKT: 5.1.2e]",
            "[GELAKT: 5.1.2e]",
            "2023-03-10T16:00",
            "Agenda overleg",
        )];
        let documents: [(&str, &[EmailHeaders]); 3] =
            [("x", &chain), ("w", &single), ("v", &unrelated)];
        let threads = email_threads(&documents);
        assert_eq!(threads[0].as_deref(), Some("w"));
        assert_eq!(threads[1].as_deref(), Some("w"));
        assert_eq!(threads[2], None, "one message is no thread");
        let messages = thread_messages(&documents[..2]);
        assert_eq!(messages.len(), 2);
        assert_eq!(
            messages[0].headers.sent.as_deref(),
            Some("2023-03-10T15:59")
        );
        assert_eq!(messages[0].printed_in, vec![(0, 1), (1, 4)]);
        assert_eq!(messages[1].printed_in, vec![(0, 1)]);
    }
}
