//! E-mail headers printed in a document: a document whose first page opens with at least three
//! e-mail headers (one of them the sender, as [`crate::bundle::email_header_subject`] decides)
//! is an e-mail; every header block on its pages (`Van`/`From`, `Aan`/`To`, `Cc`,
//! `Verzonden`/`Datum`/`Sent`/`Date`, `Onderwerp`/`Subject`) and every reply line (`Op 3 maart
//! 2021 om 10:15 schreef …:`, `On … wrote:`) is one message: the first is the message itself,
//! the others the messages quoted in it. Values are kept as printed: a redacted sender stays
//! `[GELAKT: 5.1.2e]`, never guessed. The sent date becomes `YYYY-MM-DD`, with `THH:MM` when
//! a time is printed. `woo_core::mail` links the messages into threads.

use std::sync::LazyLock;

use regex::Regex;
use woo_core::model::{EmailHeaders, Page};

/// Lines after a `Van:` line that may still hold headers of its block.
const MAX_BLOCK_LINES: usize = 16;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(van|from|aan|to|cc|bcc|verzonden|sent|datum|date|onderwerp|subject)\s*:\s*(.*)$",
    )
    .expect("valid pattern")
});

static DUTCH_REPLY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*op\s+(.{6,60}?)\s+(?:om\s+)?(\d{1,2}:\d{2})\s*(?:uur\s+)?(?:,\s*)?(?:schreef|heeft)\s+(.+?)(?:\s+het\s+volgende\s+geschreven)?\s*:\s*$")
        .expect("valid pattern")
});

static ENGLISH_REPLY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*on\s+(.{6,60}?),?\s+(?:at\s+)?(\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?),?\s+(.+?)\s+wrote\s*:\s*$")
        .expect("valid pattern")
});

/// What a header label stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Sender,
    Recipients,
    Sent,
    Subject,
}

fn label_of(name: &str) -> Label {
    match name.to_lowercase().as_str() {
        "van" | "from" => Label::Sender,
        "aan" | "to" | "cc" | "bcc" => Label::Recipients,
        "verzonden" | "sent" | "datum" | "date" => Label::Sent,
        _ => Label::Subject,
    }
}

/// The messages printed in a document (see the module text); empty when its first page does
/// not open as an e-mail.
pub fn read_email_headers(pages: &[Page]) -> Vec<EmailHeaders> {
    let Some(first) = pages.first() else {
        return Vec::new();
    };
    if crate::bundle::email_header_subject(&first.text).is_none() {
        return Vec::new();
    }
    let mut messages = Vec::new();
    for page in pages {
        messages.extend(messages_of_page(&page.text, page.page));
    }
    messages
}

/// The header blocks and reply lines of one page, in printed order.
pub fn messages_of_page(text: &str, page: u32) -> Vec<EmailHeaders> {
    let lines: Vec<&str> = text.lines().collect();
    let mut messages = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if let Some(message) = reply_line_message(lines[index], page) {
            messages.push(message);
            index += 1;
            continue;
        }
        let starts_block = HEADER
            .captures(lines[index])
            .is_some_and(|captures| label_of(&captures[1]) == Label::Sender);
        if !starts_block {
            index += 1;
            continue;
        }
        let (message, used) = header_block(&lines[index..], page);
        if let Some(message) = message {
            messages.push(message);
        }
        index += used.max(1);
    }
    messages
}

/// A header block starting at `lines[0]` (a sender line): the message when it has at least
/// three different headers, and how many lines it used.
fn header_block(lines: &[&str], page: u32) -> (Option<EmailHeaders>, usize) {
    if let Some(stacked) = stacked_block(lines, page) {
        return stacked;
    }
    let mut message = EmailHeaders {
        page,
        ..EmailHeaders::default()
    };
    let mut seen: Vec<Label> = Vec::new();
    let mut last_label = None;
    let mut used = 0;
    let mut index = 0;
    while index < lines.len().min(MAX_BLOCK_LINES) {
        let line = lines[index];
        let Some(captures) = HEADER.captures(line) else {
            if last_label == Some(Label::Recipients) && is_recipient_continuation(line) {
                message.recipients.extend(split_recipients(line));
                index += 1;
                used = index;
                continue;
            }
            // A stray fragment of a wrapped redaction (`e` of `10.2.e`) inside the block.
            let fragment = line.trim();
            if !fragment.is_empty() && fragment.chars().count() <= 2 {
                index += 1;
                continue;
            }
            break;
        };
        let label = label_of(&captures[1]);
        if label == Label::Sender && seen.contains(&Label::Sender) {
            break;
        }
        let mut value = captures[2].trim().to_string();
        // `Van:` alone on its line, its value on the next (a two-column layout read row-wise).
        if value.is_empty() {
            if let Some(next) = lines.get(index + 1) {
                if !next.trim().is_empty() && !HEADER.is_match(next) && label != Label::Subject {
                    value = next.trim().to_string();
                    index += 1;
                }
            }
        }
        if !seen.contains(&label) {
            seen.push(label);
        }
        set_value(&mut message, label, &value);
        last_label = Some(label);
        index += 1;
        used = index;
    }
    ((seen.len() >= 3).then_some(message), used)
}

static BARE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[A-Za-z][A-Za-z -]{1,20}:\s*$").expect("valid pattern"));

/// A header block printed as a column of labels and then a column of values (`Van:`, `Aan:`,
/// `Onderwerp:`, `Datum:` on their own lines, then the values), as a two-column print comes out
/// row by row. The sent value is the anchor: the value line that reads as a date is the `Datum`
/// label's, the labels before it take the lines before it and those after it the lines after
/// it, one each, except that a recipient list wrapped over several lines takes the lines left
/// over. Without a readable date each label takes the next value line. Other bare labels
/// (`Bijlagen:`) take their line too. `None` when the block is not printed so.
fn stacked_block(lines: &[&str], page: u32) -> Option<(Option<EmailHeaders>, usize)> {
    let mut slots: Vec<Option<Label>> = Vec::new();
    for line in lines.iter().take(MAX_BLOCK_LINES) {
        if let Some(captures) = HEADER.captures(line) {
            if !captures[2].trim().is_empty() {
                break;
            }
            slots.push(Some(label_of(&captures[1])));
            continue;
        }
        if BARE_LABEL.is_match(line) {
            slots.push(None);
            continue;
        }
        break;
    }
    if slots.iter().flatten().count() < 3 {
        return None;
    }
    let mut message = EmailHeaders {
        page,
        ..EmailHeaders::default()
    };
    // (position in `lines`, text) of the value lines that may belong to the block.
    let values: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .skip(slots.len())
        .filter(|(_, line)| !line.trim().is_empty())
        .take(MAX_BLOCK_LINES)
        .map(|(position, line)| (position, line.trim()))
        .collect();
    let sent_slot = slots.iter().position(|slot| *slot == Some(Label::Sent));
    let sent_line = sent_slot.and_then(|slot| {
        values
            .iter()
            .enumerate()
            .skip(slot)
            .find(|(_, (_, line))| parse_sent(line).is_some())
            .map(|(index, _)| index)
    });
    let last_used = match (sent_slot, sent_line) {
        (Some(slot), Some(line)) => {
            assign_segment(&mut message, &slots[..slot], &values[..line]);
            set_value(&mut message, Label::Sent, values[line].1);
            let after = &slots[slot + 1..];
            let end = (line + 1 + after.len()).min(values.len());
            assign_segment(&mut message, after, &values[line + 1..end]);
            values
                .get(end.saturating_sub(1))
                .map(|(position, _)| *position)
        }
        _ => {
            let end = slots.len().min(values.len());
            assign_segment(&mut message, &slots, &values[..end]);
            values
                .get(end.saturating_sub(1))
                .map(|(position, _)| *position)
        }
    };
    let used = last_used.map_or(slots.len(), |position| position + 1);
    Some((Some(message), used))
}

/// Labels take value lines one each; lines left over belong to the first recipient label (a
/// wrapped list of addresses).
fn assign_segment(message: &mut EmailHeaders, slots: &[Option<Label>], values: &[(usize, &str)]) {
    let extra = values.len().saturating_sub(slots.len());
    let wrapped_slot = slots
        .iter()
        .position(|slot| *slot == Some(Label::Recipients));
    let mut next = 0;
    for (index, slot) in slots.iter().enumerate() {
        let take = if Some(index) == wrapped_slot {
            1 + extra
        } else {
            1
        };
        let taken = &values[next.min(values.len())..(next + take).min(values.len())];
        next += take;
        let Some(label) = slot else {
            continue;
        };
        for (_, value) in taken {
            set_value(message, *label, value);
        }
    }
}

fn set_value(message: &mut EmailHeaders, label: Label, value: &str) {
    if value.is_empty() {
        return;
    }
    match label {
        Label::Sender => {
            if message.sender.is_none() {
                message.sender = Some(value.to_string());
            }
        }
        Label::Recipients => message.recipients.extend(split_recipients(value)),
        Label::Sent => {
            if message.sent.is_none() {
                message.sent = parse_sent(value);
            }
        }
        Label::Subject => {
            if message.subject.is_none() {
                message.subject = Some(value.to_string());
            }
        }
    }
}

/// A wrapped `Aan:`/`Cc:` line: addresses or redactions and their separators.
fn is_recipient_continuation(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && (line.contains('@')
            || line.ends_with(';')
            || line.to_lowercase().starts_with("[gelakt")
            || line.starts_with(';'))
}

/// The names and addresses of an `Aan:`/`Cc:` value: split at `;` (Outlook), else at `,`
/// when each piece holds an address (a comma also separates `Jansen, Jan`).
pub fn split_recipients(value: &str) -> Vec<String> {
    let pieces: Vec<&str> = if value.contains(';') {
        value.split(';').collect()
    } else {
        let comma_pieces: Vec<&str> = value.split(',').collect();
        let addressed = comma_pieces
            .iter()
            .filter(|piece| piece.contains('@') || woo_core::mail::is_redacted(piece))
            .count();
        if comma_pieces.len() > 1 && addressed == comma_pieces.len() {
            comma_pieces
        } else {
            vec![value]
        }
    };
    pieces
        .into_iter()
        .map(|piece| piece.trim().trim_end_matches(',').trim().to_string())
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// A reply line that quotes an earlier message: its sender and sent date-time.
fn reply_line_message(line: &str, page: u32) -> Option<EmailHeaders> {
    let captures = DUTCH_REPLY_LINE
        .captures(line)
        .or_else(|| ENGLISH_REPLY_LINE.captures(line))?;
    let sent = parse_sent(&format!("{} {}", &captures[1], &captures[2]))?;
    Some(EmailHeaders {
        sender: Some(captures[3].trim().to_string()),
        sent: Some(sent),
        page,
        ..EmailHeaders::default()
    })
}

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})").expect("valid pattern"));
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b").expect("valid pattern")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})\b").expect("valid pattern")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b").expect("valid pattern")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?m\.?)?").expect("valid pattern")
});

/// A month name in Dutch or English, or their abbreviations.
fn month_number(name: &str) -> Option<u32> {
    woo_core::dates::dutch_month_number(name).or_else(|| {
        let number = match name.to_lowercase().as_str() {
            "january" => 1,
            "february" => 2,
            "march" => 3,
            "may" => 5,
            "june" => 6,
            "july" => 7,
            "august" => 8,
            "october" => 10,
            _ => return None,
        };
        Some(number)
    })
}

/// `maandag 13 maart 2023 10:50:18`, `Mon, 28 Oct 2024 07:25:17 +0100`, `13-3-2023 10:50`,
/// `Thursday, October 24, 2024 8:52 AM`, `2023-03-13 10:50` -> `YYYY-MM-DD` with `THH:MM`
/// when a time follows the date.
pub fn parse_sent(value: &str) -> Option<String> {
    let (date, end) = find_sent_date(value)?;
    let Some(captures) = TIME.captures(&value[end..]) else {
        return Some(date);
    };
    let mut hour: u32 = captures[1].parse().ok()?;
    let minute: u32 = captures[2].parse().ok()?;
    match captures.get(3).map(|m| m.as_str().to_lowercase()) {
        Some(half) if half == "p" && hour < 12 => hour += 12,
        Some(half) if half == "a" && hour == 12 => hour = 0,
        _ => {}
    }
    if hour > 23 || minute > 59 {
        return Some(date);
    }
    Some(format!("{date}T{hour:02}:{minute:02}"))
}

/// The first date of a sent value and where it ends.
fn find_sent_date(value: &str) -> Option<(String, usize)> {
    if let Some(captures) = ISO_DATE.captures(value) {
        let iso = woo_core::dates::iso_date(
            captures[1].parse().ok()?,
            captures[2].parse().ok()?,
            captures[3].parse().ok()?,
        );
        if let Some(iso) = iso {
            return Some((iso, captures.get(0)?.end()));
        }
    }
    if let Some(captures) = NUMERIC_DATE.captures(value) {
        let iso = woo_core::dates::iso_date(
            captures[3].parse().ok()?,
            captures[2].parse().ok()?,
            captures[1].parse().ok()?,
        );
        if let Some(iso) = iso {
            return Some((iso, captures.get(0)?.end()));
        }
    }
    for captures in DAY_MONTH_YEAR.captures_iter(value) {
        let Some(month) = month_number(&captures[2]) else {
            continue;
        };
        let iso =
            woo_core::dates::iso_date(captures[3].parse().ok()?, month, captures[1].parse().ok()?);
        if let Some(iso) = iso {
            return Some((iso, captures.get(0)?.end()));
        }
    }
    for captures in MONTH_DAY_YEAR.captures_iter(value) {
        let Some(month) = month_number(&captures[1]) else {
            continue;
        };
        let iso =
            woo_core::dates::iso_date(captures[3].parse().ok()?, month, captures[2].parse().ok()?);
        if let Some(iso) = iso {
            return Some((iso, captures.get(0)?.end()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_dates_in_the_formats_mail_programs_print() {
        assert_eq!(
            parse_sent("maandag 13 maart 2023 10:50:18").as_deref(),
            Some("2023-03-13T10:50")
        );
        assert_eq!(
            parse_sent("Mon, 28 Oct 2024 07:25:17 +0100").as_deref(),
            Some("2024-10-28T07:25")
        );
        assert_eq!(
            parse_sent("Thursday, October 24, 2024 8:52 PM").as_deref(),
            Some("2024-10-24T20:52")
        );
        assert_eq!(
            parse_sent("13-3-2023 9:05").as_deref(),
            Some("2023-03-13T09:05")
        );
        assert_eq!(parse_sent("2023-03-13").as_deref(), Some("2023-03-13"));
        assert_eq!(parse_sent("[GELAKT: 5.1.2e]"), None);
    }

    #[test]
    fn a_printed_chain_gives_the_message_and_the_messages_it_quotes() {
        let text = "Van: [GELAKT: 5.1.2e]\nAan: [GELAKT: 5.1.2e]\nOnderwerp: RE: Nota \
                    wetsvoorstel\nDatum: maandag 13 maart 2023 10:50:18\n\nHa,\nVeel dank.\n\n\
                    Van: Jan Jansen <j.jansen@minszw.nl>\nVerzonden: vrijdag 10 maart 2023 15:59\n\
                    Aan: [GELAKT: 5.1.2e] <[GELAKT]@minszw.nl>; Petra <petra@minvws.nl>;\n\
                    Kees <kees@minvws.nl>\nCC: \nOnderwerp: Nota wetsvoorstel\n\nHierbij de nota.\n\
                    Op 9 maart 2023 om 18:05 schreef Petra <petra@minvws.nl>:\n> Graag.\n";
        let messages = messages_of_page(text, 2);
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[0].sender.as_deref(), Some("[GELAKT: 5.1.2e]"));
        assert_eq!(messages[0].recipients, vec!["[GELAKT: 5.1.2e]"]);
        assert_eq!(
            messages[0].subject.as_deref(),
            Some("RE: Nota wetsvoorstel")
        );
        assert_eq!(messages[0].sent.as_deref(), Some("2023-03-13T10:50"));
        assert_eq!(messages[0].page, 2);
        assert_eq!(
            messages[1].recipients,
            vec![
                "[GELAKT: 5.1.2e] <[GELAKT]@minszw.nl>",
                "Petra <petra@minvws.nl>",
                "Kees <kees@minvws.nl>"
            ]
        );
        assert_eq!(messages[1].sent.as_deref(), Some("2023-03-10T15:59"));
        assert_eq!(
            messages[2].sender.as_deref(),
            Some("Petra <petra@minvws.nl>")
        );
        assert_eq!(messages[2].sent.as_deref(), Some("2023-03-09T18:05"));
        assert_eq!(messages[2].subject, None);
    }

    #[test]
    fn labels_printed_in_a_column_take_the_value_lines_in_order() {
        let text = "Van:\nAan:\nOnderwerp:\nDatum:\nBijlagen:\nNVWA Formulieren meldingen\n\
                    NVWA Klantcontactcentrum\nNieuwe melding 10898468\n3 maart 2020 10:15\n\
                    melding.pdf\nBijgaande melding kan worden behandeld.";
        let messages = messages_of_page(text, 1);
        assert_eq!(messages.len(), 1);
        assert_eq!(
            messages[0].sender.as_deref(),
            Some("NVWA Formulieren meldingen")
        );
        assert_eq!(messages[0].recipients, vec!["NVWA Klantcontactcentrum"]);
        assert_eq!(
            messages[0].subject.as_deref(),
            Some("Nieuwe melding 10898468")
        );
        assert_eq!(messages[0].sent.as_deref(), Some("2020-03-03T10:15"));
        // A wrapped recipient list: the date line anchors the subject before it.
        let wrapped = "Van:\nAan:\nCc:\nOnderwerp:\nDatum:\n10.2e (FM/ME)\nA (a@uu.nl); B\n\
                       (b@ovfd.nl); 10.2e\n10.2e (FM/ME); C (c@veb.net)\nKlankbordgroep Kifid\n\
                       dinsdag 5 mei 2020 21:10:00\nBeste allemaal,";
        let messages = messages_of_page(wrapped, 1);
        assert_eq!(messages[0].sender.as_deref(), Some("10.2e (FM/ME)"));
        assert_eq!(
            messages[0].recipients.len(),
            6,
            "{:?}",
            messages[0].recipients
        );
        assert_eq!(messages[0].subject.as_deref(), Some("Klankbordgroep Kifid"));
        assert_eq!(messages[0].sent.as_deref(), Some("2020-05-05T21:10"));
    }

    #[test]
    fn a_letter_that_names_a_sender_is_not_an_email() {
        let text = "Van: de minister\nBetreft: uw verzoek\n\nGeachte heer,";
        assert!(messages_of_page(text, 1).is_empty());
        assert_eq!(
            split_recipients("Jansen, Jan <jan@example.nl>"),
            vec!["Jansen, Jan <jan@example.nl>"]
        );
        assert_eq!(
            split_recipients("a@example.nl, b@example.nl"),
            vec!["a@example.nl", "b@example.nl"]
        );
    }
}
