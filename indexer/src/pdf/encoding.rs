//! Byte encodings of simple fonts, glyph names to Unicode, and PDF text strings and dates.
//!
//! The tables themselves live in the generated `tables.rs`.

use super::tables;

pub use woo_core::dates::pdf_date_to_iso;

/// A simple-font base encoding: which table maps a byte to a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    /// Adobe StandardEncoding (the default for Type1 fonts).
    Standard,
    /// WinAnsiEncoding (code page 1252).
    WinAnsi,
    /// MacRomanEncoding.
    MacRoman,
    /// PDFDocEncoding.
    PdfDoc,
    /// The Symbol font's own encoding.
    Symbol,
}

impl BaseEncoding {
    /// The encoding named by an `/Encoding` or `/BaseEncoding` name, if known.
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            _ => None,
        }
    }

    /// The character for `byte` in this encoding, if the encoding defines one.
    pub fn char_for(self, byte: u8) -> Option<char> {
        let table = match self {
            BaseEncoding::Standard => &tables::STANDARD,
            BaseEncoding::WinAnsi => &tables::WIN_ANSI,
            BaseEncoding::MacRoman => &tables::MAC_ROMAN,
            BaseEncoding::PdfDoc => &tables::PDF_DOC,
            BaseEncoding::Symbol => &tables::SYMBOL,
        };
        let code = table[usize::from(byte)];
        if code == 0 {
            return None;
        }
        char::from_u32(u32::from(code))
    }
}

/// Maps a glyph name (`eacute`, `fi`, `uni00E9`, `u1F600`, `f_f_i`, `a.sc`) to its text, best
/// effort after the Adobe Glyph List rules. Names without meaning (`g123`, `.notdef`) give `None`.
pub fn glyph_name_to_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    glyph_name_to_unicode_str(name, 0)
}

/// [`glyph_name_to_unicode`] on a `&str`, with a recursion guard for the component rules.
fn glyph_name_to_unicode_str(name: &str, depth: u32) -> Option<String> {
    if name.is_empty() || depth > 2 {
        return None;
    }
    if let Ok(index) = tables::GLYPH_NAMES.binary_search_by(|(entry, _)| (*entry).cmp(name)) {
        let code = tables::GLYPH_NAMES[index].1;
        return char::from_u32(u32::from(code)).map(String::from);
    }
    // `a.sc`, `fi.alt`: the part before the first period names the character.
    if let Some((base, _suffix)) = name.split_once('.') {
        return glyph_name_to_unicode_str(base, depth + 1);
    }
    // `f_f_i`: a ligature of components.
    if name.contains('_') {
        let mut text = String::new();
        for component in name.split('_') {
            text.push_str(&glyph_name_to_unicode_str(component, depth + 1)?);
        }
        return Some(text);
    }
    if let Some(hex) = name.strip_prefix("uni") {
        return uni_sequence(hex);
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let value = u32::from_str_radix(hex, 16).ok()?;
            return char::from_u32(value).map(String::from);
        }
    }
    None
}

/// Decodes the hex digits after `uni`: one or more groups of exactly four hex digits.
fn uni_sequence(hex: &str) -> Option<String> {
    if hex.is_empty() || !hex.len().is_multiple_of(4) || !hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let mut text = String::new();
    let mut start = 0;
    while start < hex.len() {
        let value = u32::from_str_radix(&hex[start..start + 4], 16).ok()?;
        text.push(char::from_u32(value)?);
        start += 4;
    }
    Some(text)
}

/// Decodes a PDF text string (info dictionary values, outline titles): UTF-16BE with a byte
/// order mark, UTF-8 with a byte order mark, otherwise PDFDocEncoding. Lossy on invalid data.
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16_be(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let mut text = String::with_capacity(bytes.len());
    for &byte in bytes {
        match BaseEncoding::PdfDoc.char_for(byte) {
            Some(character) => text.push(character),
            None if byte.is_ascii_whitespace() => text.push(' '),
            None => text.push(char::REPLACEMENT_CHARACTER),
        }
    }
    text
}

/// Decodes UTF-16BE code units, replacing unpaired surrogates; an odd last byte is dropped.
pub fn decode_utf16_be(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Replaces a typographic ligature character by its letters (`ﬁ` → `fi`); other characters
/// come back as `None`.
pub fn expand_ligature(character: char) -> Option<&'static str> {
    match character {
        '\u{FB00}' => Some("ff"),
        '\u{FB01}' => Some("fi"),
        '\u{FB02}' => Some("fl"),
        '\u{FB03}' => Some("ffi"),
        '\u{FB04}' => Some("ffl"),
        '\u{FB05}' | '\u{FB06}' => Some("st"),
        '\u{0132}' => Some("IJ"),
        '\u{0133}' => Some("ij"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_cover_latin_ligatures_and_uni_forms() {
        assert_eq!(glyph_name_to_unicode(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_name_to_unicode(b"fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(glyph_name_to_unicode(b"uni00E9").as_deref(), Some("é"));
        assert_eq!(glyph_name_to_unicode(b"uni00660069").as_deref(), Some("fi"));
        assert_eq!(glyph_name_to_unicode(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(glyph_name_to_unicode(b"T_h").as_deref(), Some("Th"));
        assert_eq!(glyph_name_to_unicode(b"a.sc").as_deref(), Some("a"));
        assert_eq!(
            glyph_name_to_unicode(b"quoteright").as_deref(),
            Some("\u{2019}")
        );
        assert_eq!(glyph_name_to_unicode(b"g123"), None);
        assert_eq!(glyph_name_to_unicode(b".notdef"), None);
        assert_eq!(glyph_name_to_unicode(b"uniD800"), None);
        assert_eq!(glyph_name_to_unicode(&[0xFF, 0xFE]), None);
    }

    #[test]
    fn base_encodings_differ_where_they_should() {
        assert_eq!(BaseEncoding::WinAnsi.char_for(0xE9), Some('é'));
        assert_eq!(BaseEncoding::MacRoman.char_for(0x8E), Some('é'));
        assert_eq!(BaseEncoding::Standard.char_for(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::Standard.char_for(0xAE), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::WinAnsi.char_for(0x80), Some('€'));
        assert_eq!(BaseEncoding::Standard.char_for(0x01), None);
    }

    #[test]
    fn text_strings_decode_utf16_and_pdfdoc() {
        assert_eq!(decode_text_string(b"\xFE\xFF\x00W\x00o\x00o"), "Woo");
        assert_eq!(decode_text_string(b"\xFE\xFF\xD8\x3D\xDE\x00"), "😀");
        assert_eq!(decode_text_string(b"\xFE\xFF\xD8\x3D"), "\u{FFFD}");
        assert_eq!(decode_text_string(b"caf\xE9"), "café");
        assert_eq!(decode_text_string(b"\xEF\xBB\xBFcaf\xC3\xA9"), "café");
    }

    #[test]
    fn ligatures_expand() {
        assert_eq!(expand_ligature('\u{FB03}'), Some("ffi"));
        assert_eq!(expand_ligature('a'), None);
    }
}
