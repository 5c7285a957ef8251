//! Plain text and Markdown (`.txt`, `.md`): UTF-8 (or Windows-1252 when the bytes are not
//! UTF-8, as older Dutch government text files often are). A form feed is a page break, as in
//! `pdftotext` output; otherwise paragraphs (blank-line separated) fill pages of at most
//! [`super::MAX_PAGE_CHARS`]. The first non-empty line (without Markdown `#` marks) is the
//! title.

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest text file read, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Reads a text file into pages.
pub fn read_text(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("text file larger than {MAX_TEXT_BYTES} bytes"),
        });
    }
    if bytes.contains(&0) {
        return Err(IndexerError::UnsupportedFormat {
            name: name.to_string(),
            reason: "binary data (NUL bytes) in a text file".to_string(),
        });
    }
    let text = decode_text(bytes);
    let mut paragraphs = Vec::new();
    for (index, page) in text.split('\u{c}').enumerate() {
        if index > 0 {
            paragraphs.push(None);
        }
        for paragraph in page.replace("\r\n", "\n").split("\n\n") {
            paragraphs.push(Some(paragraph.to_string()));
        }
    }
    let title = text
        .lines()
        .map(|line| line.trim().trim_start_matches('#').trim())
        .find(|line| !line.is_empty())
        .map(|line| line.chars().take(200).collect());
    Ok(ExtractedPdf {
        info: PdfInfo {
            title,
            ..PdfInfo::default()
        },
        pages: super::pages_from_paragraphs(&paragraphs),
        ..ExtractedPdf::default()
    })
}

/// UTF-8 (without a byte-order mark), else Windows-1252 read byte by byte.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&byte| windows_1252(byte)).collect(),
    }
}

/// One Windows-1252 byte as a character (the 0x80–0x9f range as Windows has it).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_feeds_are_pages_and_the_first_line_is_the_title() {
        let extracted = read_text(
            "notitie.md",
            "# Notitie over stikstof\n\nEerste.\u{c}Tweede.".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            extracted.info.title.as_deref(),
            Some("Notitie over stikstof")
        );
        assert_eq!(extracted.pages.len(), 2);
        assert!(extracted.pages[1].text.contains("Tweede."));
    }

    #[test]
    fn windows_1252_is_read_when_not_utf8() {
        let extracted = read_text("oud.txt", b"Caf\xe9 \x80 5").unwrap();
        assert_eq!(extracted.pages[0].text, "Café € 5");
    }

    #[test]
    fn binary_data_is_refused() {
        assert!(matches!(
            read_text("x.txt", b"ab\0cd"),
            Err(IndexerError::UnsupportedFormat { .. })
        ));
    }
}
