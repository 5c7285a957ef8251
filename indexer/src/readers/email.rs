//! E-mail messages (`.eml`, MIME): one message is one page, opening with its headers (Van,
//! Aan, Cc, Datum, Onderwerp) and then its text (the `text/plain` part, else the visible text
//! of the `text/html` part). The subject is the title, the sender the author, the date the
//! date. Attachments are read by their own format and become documents of their own, linked
//! to the message ([`super::read_attachments`]). Parsed with `mail-parser`, which reads every
//! charset and transfer encoding a mailbox holds and never refuses a message it can split.

use mail_parser::{Address, MessageParser, MimeHeaders};

use crate::error::{IndexerError, Result};
use crate::pdf::PdfLimits;
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest message read, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024 * 1024;

/// Reads a message; `depth` is how deep it sits inside other files (attachments stop at
/// [`super::MAX_NESTING`]).
pub fn read_email(
    name: &str,
    bytes: &[u8],
    limits: &PdfLimits,
    depth: usize,
) -> Result<ExtractedPdf> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("message larger than {MAX_MESSAGE_BYTES} bytes"),
        });
    }
    let Some(message) = MessageParser::default().parse(bytes) else {
        return Err(IndexerError::MalformedFile {
            name: name.to_string(),
            format: "e-mail",
            reason: "no message headers".to_string(),
        });
    };
    let mut text = String::new();
    let mut header = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.trim().is_empty()) {
            text.push_str(&format!("{label}: {value}\n"));
        }
    };
    header("Van", message.from().map(addresses));
    header("Aan", message.to().map(addresses));
    header("Cc", message.cc().map(addresses));
    let date = message.date().and_then(|date| {
        woo_core::dates::iso_date(date.year.into(), date.month.into(), date.day.into())
    });
    // The date with its time, as mail programs print it, for the message's thread.
    let sent = message.date().and_then(|date| {
        date.to_rfc3339()
            .get(..16)
            .map(|minute| minute.replacen('T', " ", 1))
    });
    header("Datum", sent.or(date.clone()));
    header("Onderwerp", message.subject().map(str::to_string));
    text.push('\n');
    let body = match message.body_text(0) {
        Some(body) => body.into_owned(),
        None => message
            .body_html(0)
            .and_then(|html| super::html::read_html(name, html.as_bytes()).ok())
            .map(|page| {
                let texts: Vec<String> = page.pages.into_iter().map(|page| page.text).collect();
                texts.join("\n")
            })
            .unwrap_or_default(),
    };
    text.push_str(body.trim());
    let mut attached = Vec::new();
    for (number, part) in message.attachments().enumerate() {
        let attachment_name = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("bijlage-{}", number + 1));
        attached.push((attachment_name, part.contents().to_vec()));
    }
    let mut paragraphs: Vec<Option<String>> = text
        .split("\n\n")
        .map(|paragraph| Some(paragraph.to_string()))
        .collect();
    if paragraphs.is_empty() {
        paragraphs.push(Some(String::new()));
    }
    Ok(ExtractedPdf {
        info: PdfInfo {
            title: message.subject().map(str::to_string),
            author: message.from().map(addresses),
            creation_date: date,
            ..PdfInfo::default()
        },
        pages: super::pages_from_paragraphs(&paragraphs),
        attachments: super::read_attachments(&attached, limits, depth),
        ..ExtractedPdf::default()
    })
}

/// `Naam <adres>, …` of an address header.
fn addresses(address: &Address) -> String {
    address
        .iter()
        .map(|addr| match (&addr.name, &addr.address) {
            (Some(name), Some(email)) => format!("{name} <{email}>"),
            (Some(name), None) => name.to_string(),
            (None, Some(email)) => email.to_string(),
            (None, None) => String::new(),
        })
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "From: Jan Jansen <j.jansen@minvws.nl>\r\nTo: Woo-team <woo@minvws.nl>\r\nSubject: =?utf-8?q?Inkoop_mondkapjes_=E2=80=93_stand_van_zaken?=\r\nDate: Tue, 14 Apr 2020 09:30:00 +0200\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"grens\"\r\n\r\n--grens\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBeste collega's,=0D=0A=0D=0ADe levering is vertraagd.\r\n--grens\r\nContent-Type: text/plain; name=\"notitie.txt\"\r\nContent-Disposition: attachment; filename=\"notitie.txt\"\r\n\r\nNotitie over de leverancier.\r\n--grens--\r\n";

    #[test]
    fn headers_body_and_attachments() {
        let extracted =
            read_email("bericht.eml", MESSAGE.as_bytes(), &PdfLimits::default(), 0).unwrap();
        assert_eq!(
            extracted.info.title.as_deref(),
            Some("Inkoop mondkapjes – stand van zaken")
        );
        assert_eq!(extracted.info.creation_date.as_deref(), Some("2020-04-14"));
        let text = &extracted.pages[0].text;
        assert!(
            text.starts_with("Van: Jan Jansen <j.jansen@minvws.nl>\nAan: Woo-team <woo@minvws.nl>"),
            "{text}"
        );
        assert!(text.contains("Onderwerp: Inkoop mondkapjes"), "{text}");
        assert!(text.contains("De levering is vertraagd."), "{text}");
        assert!(
            !text.contains("Notitie over de leverancier"),
            "the attachment is its own document"
        );
        assert_eq!(extracted.attachments.len(), 1);
        assert_eq!(extracted.attachments[0].name, "notitie.txt");
        let attachment = extracted.attachments[0].extraction.as_ref().unwrap();
        assert!(attachment.pages[0]
            .text
            .contains("Notitie over de leverancier"));
    }
}
