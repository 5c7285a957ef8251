//! Fonts as the text extractor needs them: how to split a shown string into character codes,
//! the text of each code, and each code's advance width.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::encoding::{glyph_name_to_unicode, BaseEncoding};
use super::objects::{resolve, resolve_dict, resolve_number, stream_content};
use super::tables::{STANDARD_FONT_NAMES, STANDARD_FONT_WIDTHS};

/// Upper bound on CIDs read from one `/W` array (a bound on hostile input).
const MAX_CID_WIDTHS: usize = 200_000;

/// The kind of font, which decides code length and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontKind {
    /// Type1, TrueType, MMType1: one byte per code.
    Simple,
    /// Type3: one byte per code, glyph space given by `/FontMatrix`.
    Type3,
    /// Type0 with a CID font: codes of 1–4 bytes, usually 2 (Identity-H).
    Composite,
}

/// How a composite font turns bytes into codes and codes into CIDs.
#[derive(Debug, Clone)]
enum CodeMap {
    /// Identity-H / Identity-V: 2-byte codes, CID = code.
    Identity,
    /// A predefined UCS-2 / UTF-16 CMap: 2-byte codes that are Unicode values.
    Unicode,
    /// An embedded CMap stream with its own codespace and CID mappings.
    Embedded(CMap),
}

/// One decoded character code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Code {
    /// The code value.
    pub value: u32,
    /// How many bytes it took.
    pub length: usize,
}

/// A font reduced to what text extraction needs.
#[derive(Debug, Clone)]
pub struct Font {
    /// Simple, Type3 or composite.
    pub kind: FontKind,
    /// Text per byte code for simple fonts (`None`: unknown), and whether it is trustworthy.
    simple_text: Vec<(Option<String>, bool)>,
    /// Advance widths per byte code for simple fonts, in glyph units.
    simple_widths: Vec<f32>,
    /// Composite fonts: code splitting and CID lookup.
    code_map: Option<CodeMap>,
    /// Composite fonts: widths per CID, in glyph units.
    cid_widths: HashMap<u32, f32>,
    /// Composite fonts: `/DW`.
    default_width: f32,
    /// The `ToUnicode` CMap, when present and non-empty.
    to_unicode: Option<CMap>,
    /// Glyph units to text space (0.001, or `/FontMatrix` a for Type3).
    pub width_scale: f32,
    /// The font size multiplier for layout (1.0, or from `/FontMatrix` d for Type3).
    pub size_scale: f32,
}

impl Font {
    /// A font that knows nothing: one-byte codes as Latin-1, average widths. Used when `Tf`
    /// names a font that is missing from the resources.
    pub fn fallback() -> Font {
        let simple_text = (0..=255u8)
            .map(|byte| {
                let character = BaseEncoding::WinAnsi.char_for(byte);
                (character.map(String::from), false)
            })
            .collect();
        Font {
            kind: FontKind::Simple,
            simple_text,
            simple_widths: vec![500.0; 256],
            code_map: None,
            cid_widths: HashMap::new(),
            default_width: 1000.0,
            to_unicode: None,
            width_scale: 0.001,
            size_scale: 1.0,
        }
    }

    /// Reads a font dictionary. `max_bytes` bounds decompression of embedded CMaps.
    pub fn load(doc: &Document, font: &Dictionary, max_bytes: usize) -> Font {
        let subtype = font
            .get(b"Subtype")
            .ok()
            .and_then(|object| resolve(doc, object).as_name().ok());
        let to_unicode = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|object| stream_content(doc, object, max_bytes))
            .map(|data| CMap::parse(&data))
            .filter(CMap::has_text_mappings);
        match subtype {
            Some(b"Type0") => load_composite(doc, font, to_unicode, max_bytes),
            Some(b"Type3") => load_simple(doc, font, to_unicode, FontKind::Type3),
            _ => load_simple(doc, font, to_unicode, FontKind::Simple),
        }
    }

    /// The code at the start of `bytes` (which must not be empty).
    pub fn next_code(&self, bytes: &[u8]) -> Code {
        let single = Code {
            value: u32::from(bytes[0]),
            length: 1,
        };
        if self.kind != FontKind::Composite {
            return single;
        }
        // Identity and UCS-2 CMaps have 2-byte codes whatever the ToUnicode map declares; an
        // embedded CMap has its own codespace (else the ToUnicode one is the best guess).
        let length = match &self.code_map {
            Some(CodeMap::Embedded(cmap)) => cmap.code_length(bytes).or_else(|| {
                self.to_unicode
                    .as_ref()
                    .and_then(|cmap| cmap.code_length(bytes))
            }),
            _ => None,
        }
        .unwrap_or(2)
        .min(bytes.len());
        let value = bytes[..length]
            .iter()
            .fold(0u32, |value, byte| (value << 8) | u32::from(*byte));
        Code { value, length }
    }

    /// Appends the text of `code` to `out`. Returns whether the text is trustworthy (from a
    /// ToUnicode map, a known glyph name or a standard encoding); unknown codes append nothing
    /// for composite fonts and a best guess for simple fonts.
    pub fn append_text(&self, code: Code, out: &mut String) -> bool {
        if let Some(cmap) = &self.to_unicode {
            if cmap.append_text(code.length, code.value, out) {
                return true;
            }
            if code.length == 1 && cmap.append_text(2, code.value, out) {
                return true;
            }
        }
        match self.kind {
            FontKind::Simple | FontKind::Type3 => {
                let Some((text, reliable)) = self.simple_text.get(code.value as usize) else {
                    return false;
                };
                if let Some(text) = text {
                    out.push_str(text);
                }
                *reliable && text.is_some()
            }
            FontKind::Composite => {
                if let Some(CodeMap::Unicode) = self.code_map {
                    if let Some(character) = char::from_u32(code.value) {
                        out.push(character);
                        return true;
                    }
                }
                false
            }
        }
    }

    /// The advance width of `code` in text space units per unit of font size.
    pub fn width(&self, code: Code) -> f32 {
        let glyph_width = match self.kind {
            FontKind::Simple | FontKind::Type3 => self
                .simple_widths
                .get(code.value as usize)
                .copied()
                .unwrap_or(0.0),
            FontKind::Composite => {
                let cid = match &self.code_map {
                    Some(CodeMap::Embedded(cmap)) => cmap.cid(code.length, code.value).unwrap_or(0),
                    _ => code.value,
                };
                self.cid_widths
                    .get(&cid)
                    .copied()
                    .unwrap_or(self.default_width)
            }
        };
        glyph_width * self.width_scale
    }
}

/// Reads a Type1/TrueType/Type3 font.
fn load_simple(
    doc: &Document,
    font: &Dictionary,
    to_unicode: Option<CMap>,
    kind: FontKind,
) -> Font {
    let base_font = font
        .get(b"BaseFont")
        .ok()
        .and_then(|object| resolve(doc, object).as_name().ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .unwrap_or_default();
    let base_font = strip_subset_prefix(&base_font);
    let descriptor = font
        .get(b"FontDescriptor")
        .ok()
        .and_then(|object| resolve_dict(doc, object));
    let flags = descriptor
        .and_then(|descriptor| descriptor.get(b"Flags").ok())
        .and_then(|object| resolve_number(doc, object))
        .unwrap_or(0.0) as i64;
    let is_symbolic = flags & 4 != 0 && flags & 32 == 0;
    let is_symbol_font = base_font.starts_with("Symbol");

    let encoding = read_simple_encoding(doc, font, kind, is_symbol_font);
    let simple_text = simple_text_of(&encoding, kind, is_symbolic);

    let (width_scale, size_scale) = match kind {
        FontKind::Type3 => type3_scales(doc, font),
        _ => (0.001, 1.0),
    };
    let simple_widths = read_simple_widths(doc, font, descriptor, base_font, &simple_text);
    Font {
        kind,
        simple_text,
        simple_widths,
        code_map: None,
        cid_widths: HashMap::new(),
        default_width: 1000.0,
        to_unicode,
        width_scale,
        size_scale,
    }
}

/// A simple font's encoding: the base encoding and the `Differences` over it.
struct SimpleEncoding {
    /// The base encoding (`None` for Type3 fonts without one).
    base: Option<BaseEncoding>,
    /// Glyph name of each code the `Differences` array renames.
    differences: Vec<Option<Vec<u8>>>,
    /// The font names an encoding (a base encoding or differences) of its own.
    has_encoding: bool,
}

/// The base encoding of a simple font (by kind, then its `Encoding`), then its differences.
fn read_simple_encoding(
    doc: &Document,
    font: &Dictionary,
    kind: FontKind,
    is_symbol_font: bool,
) -> SimpleEncoding {
    let encoding_object = font
        .get(b"Encoding")
        .ok()
        .map(|object| resolve(doc, object));
    let mut base = match kind {
        FontKind::Type3 => None,
        _ if is_symbol_font => Some(BaseEncoding::Symbol),
        _ => Some(BaseEncoding::Standard),
    };
    if kind == FontKind::Simple
        && font.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"TrueType")
    {
        base = Some(BaseEncoding::WinAnsi);
    }
    let mut differences: Vec<Option<Vec<u8>>> = vec![None; 256];
    let mut has_encoding = false;
    match encoding_object {
        Some(Object::Name(name)) => {
            if let Some(named) = BaseEncoding::from_name(name) {
                base = Some(named);
                has_encoding = true;
            }
        }
        Some(Object::Dictionary(dictionary)) => {
            if let Some(named) = dictionary
                .get(b"BaseEncoding")
                .ok()
                .and_then(|object| resolve(doc, object).as_name().ok())
                .and_then(BaseEncoding::from_name)
            {
                base = Some(named);
                has_encoding = true;
            }
            if let Ok(object) = dictionary.get(b"Differences") {
                if let Object::Array(items) = resolve(doc, object) {
                    read_differences(doc, items, &mut differences);
                    has_encoding = true;
                }
            }
        }
        _ => {}
    }
    SimpleEncoding {
        base,
        differences,
        has_encoding,
    }
}

/// The text of each of the 256 codes of a simple font, with whether it is reliable.
fn simple_text_of(
    encoding: &SimpleEncoding,
    kind: FontKind,
    is_symbolic: bool,
) -> Vec<(Option<String>, bool)> {
    let mut simple_text = Vec::with_capacity(256);
    for (code, difference) in encoding.differences.iter().enumerate() {
        let byte = code as u8;
        if let Some(name) = difference {
            match glyph_name_to_unicode(name) {
                Some(text) => simple_text.push((Some(text), true)),
                None => simple_text.push((numeric_glyph_guess(name, byte), false)),
            }
            continue;
        }
        let from_base = encoding.base.and_then(|base| base.char_for(byte));
        // A symbolic font without an encoding uses its built-in one: the standard table is
        // then only a guess.
        let reliable = kind == FontKind::Simple
            && (encoding.has_encoding
                || !is_symbolic
                || from_base.is_some_and(|c| c.is_ascii_graphic()));
        match from_base {
            Some(character) => simple_text.push((Some(character.to_string()), reliable)),
            None => simple_text.push((fallback_char(byte), false)),
        }
    }
    simple_text
}

/// `ABCDEF+Arial` → `Arial`.
fn strip_subset_prefix(name: &str) -> &str {
    match name.split_once('+') {
        Some((prefix, rest))
            if prefix.len() == 6 && prefix.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            rest
        }
        _ => name,
    }
}

/// A last-resort character for a byte with no known meaning: printable Latin-1 as itself.
fn fallback_char(byte: u8) -> Option<String> {
    if byte.is_ascii_graphic() || byte >= 0xA0 {
        return Some(char::from(byte).to_string());
    }
    None
}

/// Glyph names like `g65`, `G41`, `c65` or `cid65` often carry the character code; take it
/// when it is a printable ASCII letter or digit, else fall back to the byte itself.
fn numeric_glyph_guess(name: &[u8], byte: u8) -> Option<String> {
    fallback_char(byte).filter(|_| !name.is_empty())
}

/// Fills `differences` from a `/Differences` array: `[code /name /name code /name ...]`.
fn read_differences(doc: &Document, items: &[Object], differences: &mut [Option<Vec<u8>>]) {
    let mut code: i64 = 0;
    for item in items {
        match resolve(doc, item) {
            Object::Integer(value) => code = *value,
            Object::Real(value) => code = *value as i64,
            Object::Name(name) => {
                if (0..256).contains(&code) {
                    differences[code as usize] = Some(name.clone());
                }
                code += 1;
            }
            _ => {}
        }
    }
}

/// Type3 glyph space: `(width scale, size scale)` from `/FontMatrix`.
fn type3_scales(doc: &Document, font: &Dictionary) -> (f32, f32) {
    let Some(Object::Array(matrix)) = font
        .get(b"FontMatrix")
        .ok()
        .map(|object| resolve(doc, object))
    else {
        return (0.001, 1.0);
    };
    let values: Vec<f32> = matrix
        .iter()
        .filter_map(|item| resolve_number(doc, item))
        .collect();
    if values.len() != 6 {
        return (0.001, 1.0);
    }
    let width_scale = values[0].abs();
    let size_scale = (values[3].abs() * 1000.0).clamp(0.01, 100.0);
    if !width_scale.is_finite() || width_scale == 0.0 {
        return (0.001, size_scale);
    }
    (width_scale.min(10.0), size_scale)
}

/// Widths of a simple font per byte code: `/Widths` from `/FirstChar`, `/MissingWidth`,
/// else the standard 14 font metrics, else an average width.
fn read_simple_widths(
    doc: &Document,
    font: &Dictionary,
    descriptor: Option<&Dictionary>,
    base_font: &str,
    simple_text: &[(Option<String>, bool)],
) -> Vec<f32> {
    let missing_width = descriptor
        .and_then(|descriptor| descriptor.get(b"MissingWidth").ok())
        .and_then(|object| resolve_number(doc, object))
        .unwrap_or(0.0);
    if let Some(Object::Array(widths)) = font.get(b"Widths").ok().map(|object| resolve(doc, object))
    {
        let first_char = font
            .get(b"FirstChar")
            .ok()
            .and_then(|object| resolve_number(doc, object))
            .unwrap_or(0.0)
            .max(0.0) as usize;
        let mut result = vec![missing_width; 256];
        for (offset, width) in widths.iter().enumerate() {
            let code = first_char + offset;
            if code >= 256 {
                break;
            }
            if let Some(value) = resolve_number(doc, width) {
                result[code] = value;
            }
        }
        return result;
    }
    standard_font_widths(base_font, simple_text)
}

/// Widths for a standard font named `base_font` (or a look-alike such as Arial), by the
/// character each code shows.
fn standard_font_widths(base_font: &str, simple_text: &[(Option<String>, bool)]) -> Vec<f32> {
    let lower = base_font.to_ascii_lowercase();
    if lower.contains("courier") || lower.contains("mono") {
        return vec![600.0; 256];
    }
    let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy");
    let italic = lower.contains("italic") || lower.contains("oblique");
    let serif = lower.contains("times")
        || lower.contains("serif") && !lower.contains("sans")
        || lower.contains("roman");
    let family = if serif { "Times" } else { "Helvetica" };
    let wanted = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman",
        ("Times", true, false) => "Times-Bold",
        ("Times", false, true) => "Times-Italic",
        ("Times", true, true) => "Times-BoldItalic",
        (_, false, false) => "Helvetica",
        (_, true, false) => "Helvetica-Bold",
        (_, false, true) => "Helvetica-Oblique",
        (_, true, true) => "Helvetica-BoldOblique",
    };
    let index = STANDARD_FONT_NAMES
        .iter()
        .position(|name| *name == wanted)
        .unwrap_or(0);
    let metrics = &STANDARD_FONT_WIDTHS[index];
    simple_text
        .iter()
        .map(|(text, _)| {
            let character = text
                .as_deref()
                .and_then(|text| text.chars().next())
                .map_or(0, u32::from);
            let width = if (0x20..0x100).contains(&character) {
                metrics[(character - 0x20) as usize]
            } else {
                0
            };
            if width == 0 {
                500.0
            } else {
                f32::from(width)
            }
        })
        .collect()
}

/// Reads a Type0 font with its descendant CID font.
fn load_composite(
    doc: &Document,
    font: &Dictionary,
    to_unicode: Option<CMap>,
    max_bytes: usize,
) -> Font {
    let encoding = font
        .get(b"Encoding")
        .ok()
        .map(|object| resolve(doc, object));
    let code_map = match encoding {
        Some(Object::Name(name)) => {
            let name = String::from_utf8_lossy(name);
            if name.contains("UCS2") || name.contains("UTF16") {
                CodeMap::Unicode
            } else {
                CodeMap::Identity
            }
        }
        Some(object @ Object::Stream(_)) => match stream_content(doc, object, max_bytes) {
            Some(data) => CodeMap::Embedded(CMap::parse(&data)),
            None => CodeMap::Identity,
        },
        _ => CodeMap::Identity,
    };
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .map(|object| resolve(doc, object))
        .and_then(|object| match object {
            Object::Array(items) => items.first().and_then(|first| resolve_dict(doc, first)),
            _ => None,
        });
    let mut cid_widths = HashMap::new();
    let mut default_width = 1000.0;
    if let Some(descendant) = descendant {
        if let Some(value) = descendant
            .get(b"DW")
            .ok()
            .and_then(|object| resolve_number(doc, object))
        {
            default_width = value;
        }
        if let Some(Object::Array(items)) =
            descendant.get(b"W").ok().map(|object| resolve(doc, object))
        {
            read_cid_widths(doc, items, &mut cid_widths);
        }
    }
    Font {
        kind: FontKind::Composite,
        simple_text: Vec::new(),
        simple_widths: Vec::new(),
        code_map: Some(code_map),
        cid_widths,
        default_width,
        to_unicode,
        width_scale: 0.001,
        size_scale: 1.0,
    }
}

/// Reads a CID `/W` array: `c [w1 w2 ...]` and `c_first c_last w` entries.
fn read_cid_widths(doc: &Document, items: &[Object], widths: &mut HashMap<u32, f32>) {
    let mut index = 0;
    while index < items.len() && widths.len() < MAX_CID_WIDTHS {
        let Some(first) = resolve_number(doc, &items[index]) else {
            index += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match items.get(index + 1).map(|object| resolve(doc, object)) {
            Some(Object::Array(list)) => {
                for (offset, width) in list.iter().enumerate() {
                    if let Some(value) = resolve_number(doc, width) {
                        widths.insert(first.saturating_add(offset as u32), value);
                    }
                }
                index += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) = (
                    resolve_number(doc, last),
                    items
                        .get(index + 2)
                        .and_then(|object| resolve_number(doc, object)),
                ) else {
                    index += 3;
                    continue;
                };
                let last = (last.max(0.0) as u32).min(first.saturating_add(MAX_CID_WIDTHS as u32));
                for cid in first..=last {
                    widths.insert(cid, width);
                }
                index += 3;
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    fn text_of(font: &Font, bytes: &[u8]) -> String {
        let mut out = String::new();
        let mut position = 0;
        while position < bytes.len() {
            let code = font.next_code(&bytes[position..]);
            font.append_text(code, &mut out);
            position += code.length;
        }
        out
    }

    #[test]
    fn winansi_and_differences() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), Object::Name(b"eacute".to_vec()), Object::Name(b"fi".to_vec())],
            },
        };
        let font = Font::load(&doc, &font, 1 << 20);
        assert_eq!(text_of(&font, b"ABC\xE9"), "é\u{FB01}Cé");
        // Standard 14 widths when /Widths is absent: Helvetica 'C' is 722.
        assert!(
            (font.width(Code {
                value: 67,
                length: 1
            }) - 0.722)
                .abs()
                < 1e-6
        );
    }

    #[test]
    fn macroman_and_widths_array() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+Georgia",
            "Encoding" => "MacRomanEncoding", "FirstChar" => 65, "Widths" => vec![700.into(), 650.into()],
        };
        let font = Font::load(&doc, &font, 1 << 20);
        assert_eq!(text_of(&font, b"A\x8E"), "Aé");
        assert!(
            (font.width(Code {
                value: 66,
                length: 1
            }) - 0.65)
                .abs()
                < 1e-6
        );
        assert_eq!(
            font.width(Code {
                value: 67,
                length: 1
            }),
            0.0
        );
    }

    #[test]
    fn type0_identity_with_to_unicode_and_cid_widths() {
        let mut doc = Document::with_version("1.5");
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                     1 beginbfrange <0001> <0003> <0057> endbfrange"
            .to_vec();
        let cmap_id = doc.add_object(Stream::new(dictionary! {}, cmap));
        let descendant = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "DW" => 500,
            "W" => vec![1.into(), Object::Array(vec![800.into(), 600.into()]), 10.into(), 12.into(), 300.into()],
        };
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(descendant)], "ToUnicode" => cmap_id,
        };
        let font = Font::load(&doc, &font, 1 << 20);
        assert_eq!(text_of(&font, &[0, 1, 0, 2, 0, 3]), "WXY");
        assert!(
            (font.width(Code {
                value: 2,
                length: 2
            }) - 0.6)
                .abs()
                < 1e-6
        );
        assert!(
            (font.width(Code {
                value: 11,
                length: 2
            }) - 0.3)
                .abs()
                < 1e-6
        );
        assert!(
            (font.width(Code {
                value: 99,
                length: 2
            }) - 0.5)
                .abs()
                < 1e-6
        );
    }

    #[test]
    fn type3_without_names_is_unreliable() {
        let doc = Document::with_version("1.5");
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type3", "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
            "Encoding" => dictionary! { "Differences" => vec![1.into(), Object::Name(b"g1".to_vec())] },
            "FirstChar" => 1, "Widths" => vec![50.into()],
        };
        let font = Font::load(&doc, &font, 1 << 20);
        let mut out = String::new();
        assert!(!font.append_text(
            Code {
                value: 1,
                length: 1
            },
            &mut out
        ));
        assert!(
            (font.width(Code {
                value: 1,
                length: 1
            }) - 0.5)
                .abs()
                < 1e-6
        );
        assert!((font.size_scale - 10.0).abs() < 1e-3);
    }
}
