//! Outlook messages (`.msg`): an OLE compound file (read with `cfb`) whose streams are the
//! message's MAPI properties. Read like an `.eml` ([`super::email`]): one page with Van, Aan,
//! Cc, Datum and Onderwerp, then the plain-text body; the attachments are read by their own
//! format and become documents of their own.
//!
//! Properties are the `__substg1.0_TTTT001F` (UTF-16LE) or `…001E` (8-bit) streams: subject
//! 0037, body 1000, sender name 0C1A and address 0C1F, To 0E04, Cc 0E03; the date comes from
//! the transport headers (007D, their `Date:` line). Attachments are the
//! `__attach_version1.0_#N` storages: name 3707 (else 3704), data `__substg1.0_37010102`.

use std::io::{Cursor, Read};

use crate::error::{IndexerError, Result};
use crate::pdf::PdfLimits;
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest property stream read, in bytes.
pub const MAX_PROPERTY_BYTES: u64 = 64 * 1024 * 1024;

type Compound<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// Reads an Outlook message; `depth` is how deep it sits inside other files.
pub fn read_msg(
    name: &str,
    bytes: &[u8],
    limits: &PdfLimits,
    depth: usize,
) -> Result<ExtractedPdf> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|error| {
        IndexerError::MalformedFile {
            name: name.to_string(),
            format: "msg",
            reason: format!("not an OLE compound file: {error}"),
        }
    })?;
    let subject = string_property(&mut file, "", "0037");
    let sender = match (
        string_property(&mut file, "", "0C1A"),
        string_property(&mut file, "", "0C1F"),
    ) {
        (Some(name), Some(address)) if name != address => Some(format!("{name} <{address}>")),
        (Some(name), _) => Some(name),
        (None, address) => address,
    };
    let date = string_property(&mut file, "", "007D").and_then(|headers| header_date(&headers));
    let mut text = String::new();
    for (label, value) in [
        ("Van", sender.clone()),
        ("Aan", string_property(&mut file, "", "0E04")),
        ("Cc", string_property(&mut file, "", "0E03")),
        ("Datum", date.clone()),
        ("Onderwerp", subject.clone()),
    ] {
        if let Some(value) = value.filter(|value| !value.trim().is_empty()) {
            text.push_str(&format!("{label}: {value}\n"));
        }
    }
    text.push('\n');
    text.push_str(
        string_property(&mut file, "", "1000")
            .unwrap_or_default()
            .trim(),
    );
    let attached = attachments(&mut file);
    let paragraphs: Vec<Option<String>> = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| Some(paragraph.to_string()))
        .collect();
    Ok(ExtractedPdf {
        info: PdfInfo {
            title: subject,
            author: sender,
            creation_date: date,
            ..PdfInfo::default()
        },
        pages: super::pages_from_paragraphs(&paragraphs),
        attachments: super::read_attachments(&attached, limits, depth),
        ..ExtractedPdf::default()
    })
}

/// The bytes of stream `path`, at most [`MAX_PROPERTY_BYTES`]; `None` when absent.
fn stream_bytes(file: &mut Compound, path: &str) -> Option<Vec<u8>> {
    if !file.is_stream(path) {
        return None;
    }
    let stream = file.open_stream(path).ok()?;
    let mut bytes = Vec::new();
    stream
        .take(MAX_PROPERTY_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// String property `tag` of the storage at `storage` (`""`: the message itself).
fn string_property(file: &mut Compound, storage: &str, tag: &str) -> Option<String> {
    let base = format!("{storage}/__substg1.0_{tag}");
    if let Some(bytes) = stream_bytes(file, &format!("{base}001F")) {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        return Some(
            String::from_utf16_lossy(&units)
                .trim_end_matches('\0')
                .to_string(),
        );
    }
    let bytes = stream_bytes(file, &format!("{base}001E"))?;
    Some(
        super::text::decode_text(&bytes)
            .trim_end_matches('\0')
            .to_string(),
    )
}

/// `(name, bytes)` of every attachment that carries its data.
fn attachments(file: &mut Compound) -> Vec<(String, Vec<u8>)> {
    let storages: Vec<String> = match file.read_storage("/") {
        Ok(entries) => entries
            .filter(|entry| entry.is_storage() && entry.name().starts_with("__attach_version1.0_"))
            .map(|entry| entry.path().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    let mut found = Vec::new();
    for (number, storage) in storages.iter().enumerate().take(super::MAX_ATTACHMENTS) {
        let Some(data) = stream_bytes(file, &format!("{storage}/__substg1.0_37010102")) else {
            continue;
        };
        let name = string_property(file, storage, "3707")
            .or_else(|| string_property(file, storage, "3704"))
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| format!("bijlage-{}", number + 1));
        found.push((name, data));
    }
    found
}

/// The date of the `Date:` line of transport headers, as `YYYY-MM-DD`.
fn header_date(headers: &str) -> Option<String> {
    let line = headers
        .lines()
        .find(|line| line.to_ascii_lowercase().starts_with("date:"))?;
    let message = format!("{line}\r\n\r\n");
    let parsed = mail_parser::MessageParser::default().parse(message.as_bytes())?;
    let date = parsed.date()?;
    woo_core::dates::iso_date(date.year.into(), date.month.into(), date.day.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn utf16(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn msg() -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (path, bytes) in [
            ("/__substg1.0_0037001F", utf16("Levering mondkapjes")),
            ("/__substg1.0_0C1A001F", utf16("Jan Jansen")),
            ("/__substg1.0_0E04001F", utf16("Woo-team")),
            (
                "/__substg1.0_1000001F",
                utf16("De leverancier belt morgen."),
            ),
            (
                "/__substg1.0_007D001F",
                utf16("Received: x\r\nDate: Wed, 15 Apr 2020 10:00:00 +0200\r\n"),
            ),
        ] {
            file.create_stream(path).unwrap().write_all(&bytes).unwrap();
        }
        file.create_storage("/__attach_version1.0_#00000000")
            .unwrap();
        for (path, bytes) in [
            (
                "/__attach_version1.0_#00000000/__substg1.0_3707001F",
                utf16("offerte.txt"),
            ),
            (
                "/__attach_version1.0_#00000000/__substg1.0_37010102",
                b"Offerte voor FFP2-maskers".to_vec(),
            ),
        ] {
            file.create_stream(path).unwrap().write_all(&bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn an_outlook_message_reads_like_an_eml() {
        let bytes = msg();
        let extracted = read_msg("bericht.msg", &bytes, &PdfLimits::default(), 0).unwrap();
        assert_eq!(extracted.info.title.as_deref(), Some("Levering mondkapjes"));
        assert_eq!(extracted.info.creation_date.as_deref(), Some("2020-04-15"));
        let text = &extracted.pages[0].text;
        assert!(text.starts_with("Van: Jan Jansen\nAan: Woo-team"), "{text}");
        assert!(text.contains("De leverancier belt morgen."), "{text}");
        assert_eq!(extracted.attachments.len(), 1);
        assert_eq!(extracted.attachments[0].name, "offerte.txt");
        assert!(
            extracted.attachments[0].extraction.as_ref().unwrap().pages[0]
                .text
                .contains("FFP2")
        );
    }

    #[test]
    fn other_bytes_are_malformed() {
        assert!(matches!(
            read_msg("x.msg", b"not ole", &PdfLimits::default(), 0),
            Err(IndexerError::MalformedFile { .. })
        ));
    }
}
