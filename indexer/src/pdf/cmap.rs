//! CMaps: `ToUnicode` maps (code → text) and embedded encoding CMaps (code → CID), with
//! their codespace ranges (1–4 byte codes). Parsing is total: garbage gives an empty or partial
//! map, never a panic.

use std::collections::HashMap;

use super::encoding::decode_utf16_be;

/// Largest number of codes one `bfrange` or `cidrange` entry is expanded into.
const MAX_EXPANDED_RANGE: u32 = 0x1_0000;

/// Tokens read from a CMap before this many are ignored (a bound on hostile input).
const MAX_TOKENS: usize = 4_000_000;

/// One codespace range: codes of `length` bytes between `low` and `high`, byte by byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodespaceRange {
    /// Number of bytes of the codes in this range (1–4).
    pub length: usize,
    /// Lowest bytes, one per code byte.
    pub low: Vec<u8>,
    /// Highest bytes, one per code byte.
    pub high: Vec<u8>,
}

impl CodespaceRange {
    /// Whether the first `length` bytes of `bytes` fall in this range.
    fn matches(&self, bytes: &[u8]) -> bool {
        if bytes.len() < self.length {
            return false;
        }
        (0..self.length).all(|i| self.low[i] <= bytes[i] && bytes[i] <= self.high[i])
    }
}

/// A `bfrange` whose destination is a start value incremented along the range.
#[derive(Debug, Clone)]
struct IncrementingRange {
    length: usize,
    low: u32,
    high: u32,
    start: Vec<u16>,
}

/// A parsed CMap: codespace ranges plus the code → text (`bfchar`/`bfrange`) and code → CID
/// (`cidchar`/`cidrange`) mappings it holds.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    /// The codespace ranges, in file order.
    pub codespaces: Vec<CodespaceRange>,
    /// Single codes to text, keyed by `(code length, code)`.
    text_by_code: HashMap<(usize, u32), String>,
    /// Large incrementing ranges kept unexpanded.
    text_ranges: Vec<IncrementingRange>,
    /// Single codes to CIDs, keyed by `(code length, code)`.
    cid_by_code: HashMap<(usize, u32), u32>,
    /// CID ranges: `(code length, low, high, first cid)`.
    cid_ranges: Vec<(usize, u32, u32, u32)>,
}

impl CMap {
    /// Parses CMap program text. Never fails: what cannot be read is skipped.
    pub fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut index = 0;
        while index < tokens.len() {
            let Token::Keyword(keyword) = &tokens[index] else {
                index += 1;
                continue;
            };
            index += 1;
            match keyword.as_slice() {
                b"begincodespacerange" => index = cmap.read_codespaces(&tokens, index),
                b"beginbfchar" => index = cmap.read_bfchars(&tokens, index),
                b"beginbfrange" => index = cmap.read_bfranges(&tokens, index),
                b"begincidchar" => index = cmap.read_cidchars(&tokens, index),
                b"begincidrange" => index = cmap.read_cidranges(&tokens, index),
                _ => {}
            }
        }
        cmap
    }

    /// Whether the CMap maps any code to text.
    pub fn has_text_mappings(&self) -> bool {
        !self.text_by_code.is_empty() || !self.text_ranges.is_empty()
    }

    /// The length of the code at the start of `bytes` according to the codespace ranges, or
    /// `None` when there are no ranges or none matches.
    pub fn code_length(&self, bytes: &[u8]) -> Option<usize> {
        self.codespaces
            .iter()
            .find(|range| range.matches(bytes))
            .map(|range| range.length)
    }

    /// The text for a code of `length` bytes, appended to `out`; `false` if unmapped.
    pub fn append_text(&self, length: usize, code: u32, out: &mut String) -> bool {
        if self.append_text_exact(length, code, out) {
            return true;
        }
        // Producers sometimes declare 1-byte codespaces but show 2-byte codes (Identity-H) or
        // the other way round: try the same value at the other code lengths.
        for other_length in 1..=4usize {
            let fits = other_length == 4 || code < (1u32 << (8 * other_length));
            if other_length != length && fits && self.append_text_exact(other_length, code, out) {
                return true;
            }
        }
        false
    }

    /// [`CMap::append_text`] for exactly this code length.
    fn append_text_exact(&self, length: usize, code: u32, out: &mut String) -> bool {
        if let Some(text) = self.text_by_code.get(&(length, code)) {
            out.push_str(text);
            return true;
        }
        for range in &self.text_ranges {
            if range.length == length && range.low <= code && code <= range.high {
                let mut units = range.start.clone();
                let offset = code - range.low;
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(offset as u16);
                }
                out.extend(
                    char::decode_utf16(units)
                        .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)),
                );
                return true;
            }
        }
        false
    }

    /// The CID for a code of `length` bytes, if mapped.
    pub fn cid(&self, length: usize, code: u32) -> Option<u32> {
        if let Some(cid) = self.cid_by_code.get(&(length, code)) {
            return Some(*cid);
        }
        self.cid_ranges
            .iter()
            .find(|(range_length, low, high, _)| {
                *range_length == length && *low <= code && code <= *high
            })
            .map(|(_, low, _, first)| first.saturating_add(code - low))
    }

    fn read_codespaces(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while index + 1 < tokens.len() {
            let (Token::Hex(low), Token::Hex(high)) = (&tokens[index], &tokens[index + 1]) else {
                break;
            };
            if (1..=4).contains(&low.len()) && low.len() == high.len() {
                self.codespaces.push(CodespaceRange {
                    length: low.len(),
                    low: low.clone(),
                    high: high.clone(),
                });
            }
            index += 2;
        }
        index
    }

    fn read_bfchars(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while index + 1 < tokens.len() {
            let Token::Hex(source) = &tokens[index] else {
                break;
            };
            let text = match &tokens[index + 1] {
                Token::Hex(destination) => decode_utf16_be(destination),
                Token::Name(name) => {
                    super::encoding::glyph_name_to_unicode(name).unwrap_or_default()
                }
                _ => break,
            };
            if let Some(code) = code_value(source) {
                self.text_by_code.insert((source.len(), code), text);
            }
            index += 2;
        }
        index
    }

    fn read_bfranges(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while index + 2 < tokens.len() {
            let (Token::Hex(low_bytes), Token::Hex(high_bytes)) =
                (&tokens[index], &tokens[index + 1])
            else {
                break;
            };
            let (Some(low), Some(high)) = (code_value(low_bytes), code_value(high_bytes)) else {
                index += 3;
                continue;
            };
            let length = low_bytes.len();
            match &tokens[index + 2] {
                Token::Hex(start) => {
                    let units: Vec<u16> = start
                        .chunks(2)
                        .map(|pair| {
                            let high_byte = pair[0];
                            let low_byte = pair.get(1).copied().unwrap_or(0);
                            u16::from_be_bytes([high_byte, low_byte])
                        })
                        .collect();
                    if high >= low && !units.is_empty() {
                        self.add_incrementing_range(IncrementingRange {
                            length,
                            low,
                            high,
                            start: units,
                        });
                    }
                    index += 3;
                }
                Token::ArrayStart => {
                    let mut position = index + 3;
                    let mut code = low;
                    while position < tokens.len() {
                        match &tokens[position] {
                            Token::Hex(destination) => {
                                if code <= high && code - low < MAX_EXPANDED_RANGE {
                                    self.text_by_code
                                        .insert((length, code), decode_utf16_be(destination));
                                }
                                code = code.saturating_add(1);
                                position += 1;
                            }
                            Token::ArrayEnd => {
                                position += 1;
                                break;
                            }
                            _ => break,
                        }
                    }
                    index = position;
                }
                _ => break,
            }
        }
        index
    }

    /// Small ranges are expanded into the code map (fast lookups); large ones are kept.
    fn add_incrementing_range(&mut self, range: IncrementingRange) {
        if range.high - range.low >= 256 {
            self.text_ranges.push(range);
            return;
        }
        for code in range.low..=range.high {
            let mut units = range.start.clone();
            if let Some(last) = units.last_mut() {
                *last = last.wrapping_add((code - range.low) as u16);
            }
            let text = char::decode_utf16(units)
                .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            self.text_by_code.insert((range.length, code), text);
        }
    }

    fn read_cidchars(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while index + 1 < tokens.len() {
            let (Token::Hex(source), Token::Number(cid)) = (&tokens[index], &tokens[index + 1])
            else {
                break;
            };
            if let Some(code) = code_value(source) {
                self.cid_by_code.insert((source.len(), code), *cid);
            }
            index += 2;
        }
        index
    }

    fn read_cidranges(&mut self, tokens: &[Token], mut index: usize) -> usize {
        while index + 2 < tokens.len() {
            let (Token::Hex(low_bytes), Token::Hex(high_bytes), Token::Number(cid)) =
                (&tokens[index], &tokens[index + 1], &tokens[index + 2])
            else {
                break;
            };
            if let (Some(low), Some(high)) = (code_value(low_bytes), code_value(high_bytes)) {
                if high >= low {
                    self.cid_ranges.push((low_bytes.len(), low, high, *cid));
                }
            }
            index += 3;
        }
        index
    }
}

/// The big-endian value of a 1–4 byte code.
fn code_value(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0u32, |value, byte| (value << 8) | u32::from(*byte)),
    )
}

/// A lexical token of a CMap program.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Name(Vec<u8>),
    Number(u32),
    Keyword(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    Other,
}

/// Splits CMap program text into tokens; strings and dictionaries become `Other`.
fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    while position < data.len() && tokens.len() < MAX_TOKENS {
        let byte = data[position];
        if byte.is_ascii_whitespace() || byte == 0 {
            position += 1;
            continue;
        }
        match byte {
            b'%' => {
                while position < data.len() && data[position] != b'\n' && data[position] != b'\r' {
                    position += 1;
                }
            }
            b'<' if data.get(position + 1) == Some(&b'<') => {
                tokens.push(Token::Other);
                position += 2;
            }
            b'<' => {
                let mut digits = Vec::new();
                position += 1;
                while position < data.len() && data[position] != b'>' {
                    if let Some(value) = hex_value(data[position]) {
                        digits.push(value);
                    }
                    position += 1;
                }
                position += 1;
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                let bytes = digits
                    .chunks(2)
                    .map(|pair| (pair[0] << 4) | pair[1])
                    .collect();
                tokens.push(Token::Hex(bytes));
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                position += 1;
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                position += 1;
            }
            b'(' => {
                // Skip a literal string with nesting and escapes.
                let mut depth = 0usize;
                while position < data.len() {
                    match data[position] {
                        b'\\' => position += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                position += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    position += 1;
                }
                tokens.push(Token::Other);
            }
            b'/' => {
                let start = position + 1;
                position += 1;
                while position < data.len() && is_regular(data[position]) {
                    position += 1;
                }
                tokens.push(Token::Name(data[start..position].to_vec()));
            }
            _ if is_regular(byte) => {
                let start = position;
                while position < data.len() && is_regular(data[position]) {
                    position += 1;
                }
                let word = &data[start..position];
                if word.iter().all(u8::is_ascii_digit) {
                    let value = std::str::from_utf8(word)
                        .ok()
                        .and_then(|text| text.parse().ok());
                    tokens.push(value.map_or(Token::Other, Token::Number));
                } else {
                    tokens.push(Token::Keyword(word.to_vec()));
                }
            }
            _ => {
                tokens.push(Token::Other);
                position += 1;
            }
        }
    }
    tokens
}

/// Whether `byte` is a regular character (not white space, not a delimiter).
fn is_regular(byte: u8) -> bool {
    !byte.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&byte) && byte != 0
}

/// The value of one hex digit.
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(cmap: &CMap, length: usize, code: u32) -> Option<String> {
        let mut out = String::new();
        cmap.append_text(length, code, &mut out).then_some(out)
    }

    #[test]
    fn bfchar_and_bfrange_in_both_forms() {
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0044> <00660069> endbfchar\n\
              2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<00E9> <D83DDE00>] endbfrange\n\
              endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        assert_eq!(cmap.code_length(&[0, 3]), Some(2));
        assert_eq!(text(&cmap, 2, 3).as_deref(), Some(" "));
        assert_eq!(text(&cmap, 2, 0x44).as_deref(), Some("fi"));
        assert_eq!(text(&cmap, 2, 0x11).as_deref(), Some("B"));
        assert_eq!(text(&cmap, 2, 0x12).as_deref(), Some("C"));
        assert_eq!(text(&cmap, 2, 0x20).as_deref(), Some("é"));
        assert_eq!(text(&cmap, 2, 0x21).as_deref(), Some("😀"));
        assert_eq!(text(&cmap, 2, 0x13), None);
        // A 1-byte code falls back to the 2-byte mapping of the same value.
        assert_eq!(text(&cmap, 1, 0x11).as_deref(), Some("B"));
    }

    #[test]
    fn mixed_length_codespaces() {
        let cmap = CMap::parse(b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange");
        assert_eq!(cmap.code_length(&[0x41, 0x81]), Some(1));
        assert_eq!(cmap.code_length(&[0x81, 0x40]), Some(2));
        assert_eq!(cmap.code_length(&[0x81]), None);
    }

    #[test]
    fn cid_ranges_and_chars() {
        let cmap = CMap::parse(
            b"1 begincodespacerange <00> <FF> endcodespacerange\n\
              1 begincidrange <20> <7E> 1 endcidrange 1 begincidchar <80> 500 endcidchar",
        );
        assert_eq!(cmap.cid(1, 0x20), Some(1));
        assert_eq!(cmap.cid(1, 0x41), Some(34));
        assert_eq!(cmap.cid(1, 0x80), Some(500));
        assert_eq!(cmap.cid(1, 0x10), None);
    }

    #[test]
    fn truncated_and_garbage_cmaps_do_not_panic() {
        let _ = CMap::parse(b"beginbfrange <00> <ff");
        let _ = CMap::parse(b"beginbfrange <FF> <00> <0041> endbfrange");
        let _ = CMap::parse(b"beginbfrange <00> <FF> [ <0041> ");
        let _ = CMap::parse(b"begincodespacerange <0000000000> <FFFFFFFFFF> endcodespacerange");
        let cmap = CMap::parse(b"beginbfchar <> <0041> <01> <> endbfchar");
        assert_eq!(text(&cmap, 1, 1).as_deref(), Some(""));
    }

    proptest! {
        #[test]
        fn parse_never_panics(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let cmap = CMap::parse(&data);
            let mut out = String::new();
            cmap.append_text(2, 0x41, &mut out);
            let _ = cmap.code_length(&data);
        }

        #[test]
        fn parse_never_panics_on_cmap_like_text(words in proptest::collection::vec(
            prop_oneof![Just("<00>"), Just("<FFFF>"), Just("[") , Just("]"), Just("beginbfrange"),
                Just("beginbfchar"), Just("begincodespacerange"), Just("begincidrange"), Just("12"),
                Just("<D800>"), Just("/a")], 0..60)) {
            let cmap = CMap::parse(words.join(" ").as_bytes());
            let mut out = String::new();
            cmap.append_text(2, 0, &mut out);
            let _ = cmap.cid(2, 0xFFFF);
        }
    }
}
