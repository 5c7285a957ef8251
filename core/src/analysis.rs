//! The Dutch analyzer: tokenize keeping identifiers whole, lowercase, fold diacritics, stem.
//!
//! Three tokenizers are registered on every index (see [`register_analyzers`]):
//! - [`STEMMED_TOKENIZER`] (`woo_nl`): words lowercased, diacritics folded, Snowball Dutch stems
//!   with an exception map for words the stemmer conflates (`gemeente` vs `gemeen`).
//! - [`EXACT_TOKENIZER`] (`woo_exact`): the same tokens, folded but not stemmed. Used for the
//!   exact-match field (boosted) and for identifiers.
//! - [`PARTS_TOKENIZER`] (`woo_parts`): only the stemmed parts of compound words
//!   (`klachtenregeling` -> `klacht`, `regel`), see [`crate::compound`].
//!
//! Token rules: a token is a run of letters and digits. Runs joined by `.`, `-` or `/` stay one
//! token when a digit is on either side of the joint, so `5.1.2e`, `10.2.e`, `2024-0001234` and
//! `covid-19` are findable as written; `Woo-verzoek` becomes `woo`, `verzoek`. For a joined token
//! its alphabetic parts of two or more letters are emitted at the same position too, so that
//! `covid` finds `COVID-19`. Stop words are kept (journalists search "wel of niet").

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the stemmed Dutch tokenizer.
pub const STEMMED_TOKENIZER: &str = "woo_nl";
/// Name of the folded, unstemmed tokenizer.
pub const EXACT_TOKENIZER: &str = "woo_exact";
/// Name of the tokenizer that emits only the stemmed parts of compound words.
pub const PARTS_TOKENIZER: &str = "woo_parts";

/// Tokens longer than this (in bytes) are dropped: they are never words.
const MAX_TOKEN_BYTES: usize = 64;

/// Words whose Snowball stem would collide with an unrelated word, mapped to a stem of their own.
/// Key: folded lowercase word; value: the stem to index.
const STEM_EXCEPTIONS: &[(&str, &str)] = &[
    ("gemeente", "gemeente"),
    ("gemeenten", "gemeente"),
    ("gemeentes", "gemeente"),
    ("gemeentelijk", "gemeentelijk"),
    ("gemeentelijke", "gemeentelijk"),
    ("woo", "woo"),
    ("wob", "wob"),
    ("media", "media"),
    ("ministerie", "ministerie"),
    ("ministeries", "ministerie"),
    ("provincie", "provincie"),
    ("provincies", "provincie"),
];

/// Whether the tokenizer stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisMode {
    /// Fold and stem (the `woo_nl` tokenizer).
    Stemmed,
    /// Fold only (the `woo_exact` tokenizer).
    Exact,
    /// Only the stemmed parts of compound words (the `woo_parts` tokenizer, see
    /// [`crate::compound`]); other words yield nothing.
    CompoundParts,
}

/// The tantivy tokenizer implementing the rules of this module.
#[derive(Clone)]
pub struct DutchTokenizer {
    mode: AnalysisMode,
}

impl DutchTokenizer {
    /// A tokenizer in the given mode.
    pub fn new(mode: AnalysisMode) -> DutchTokenizer {
        DutchTokenizer { mode }
    }
}

/// Token stream over a precomputed list of tokens.
pub struct ListTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for ListTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

impl Tokenizer for DutchTokenizer {
    type TokenStream<'a> = ListTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ListTokenStream {
        ListTokenStream {
            tokens: analyze(text, self.mode),
            index: 0,
        }
    }
}

/// Registers the tokenizers of this module on an index. Call on every opened index.
pub fn register_analyzers(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(
        STEMMED_TOKENIZER,
        tantivy::tokenizer::TextAnalyzer::from(DutchTokenizer::new(AnalysisMode::Stemmed)),
    );
    manager.register(
        EXACT_TOKENIZER,
        tantivy::tokenizer::TextAnalyzer::from(DutchTokenizer::new(AnalysisMode::Exact)),
    );
    manager.register(
        PARTS_TOKENIZER,
        tantivy::tokenizer::TextAnalyzer::from(DutchTokenizer::new(AnalysisMode::CompoundParts)),
    );
}

/// A raw word found in the text: byte range and whether it is a joined identifier.
struct RawWord {
    start: usize,
    end: usize,
    joined: bool,
}

/// Splits text into raw words following the module rules.
fn split_words(text: &str) -> Vec<RawWord> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut has_digit = false;
        let mut joined = false;
        // Consume the first segment.
        while i < chars.len() && chars[i].1.is_alphanumeric() {
            has_digit |= chars[i].1.is_ascii_digit();
            i += 1;
        }
        // Extend over `.`, `-`, `/` joints when a digit is on either side.
        while let Some(&(_, separator)) = chars.get(i) {
            if !matches!(separator, '.' | '-' | '/') {
                break;
            }
            let Some(&(_, next)) = chars.get(i + 1) else {
                break;
            };
            if !next.is_alphanumeric() {
                break;
            }
            if !(has_digit || next.is_ascii_digit()) {
                break;
            }
            i += 1;
            joined = true;
            while i < chars.len() && chars[i].1.is_alphanumeric() {
                has_digit |= chars[i].1.is_ascii_digit();
                i += 1;
            }
        }
        let end = chars
            .get(i)
            .map(|&(offset, _)| offset)
            .unwrap_or(text.len());
        words.push(RawWord { start, end, joined });
    }
    words
}

/// Lowercases and folds diacritics (`Financiële` -> `financiele`, `ĳ` -> `ij`).
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_into(word, &mut folded);
    folded
}

/// [`fold`] into a buffer that is cleared first (one buffer serves every word of a text).
pub fn fold_into(word: &str, folded: &mut String) {
    folded.clear();
    // Most words are plain ASCII: lowercase them without the Unicode tables.
    if word.is_ascii() {
        folded.push_str(word);
        folded.make_ascii_lowercase();
        return;
    }
    for character in word.chars() {
        for lower in character.to_lowercase() {
            push_folded(lower, folded);
        }
    }
}

fn push_folded(character: char, out: &mut String) {
    let replacement = match character {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ś' | 'š' | 'ş' => "s",
        'ź' | 'ż' | 'ž' => "z",
        'ł' => "l",
        'ř' => "r",
        'ť' => "t",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ĳ' => "ij",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬀ' => "ff",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        _ => {
            out.push(character);
            return;
        }
    };
    out.push_str(replacement);
}

/// Stems one folded word with Snowball Dutch, honouring [`STEM_EXCEPTIONS`].
/// Words containing digits are identifiers and are never stemmed.
pub fn stem_word(stemmer: &Stemmer, folded: &str) -> String {
    if folded.chars().any(|character| character.is_ascii_digit()) {
        return folded.to_string();
    }
    for (word, stem) in STEM_EXCEPTIONS {
        if *word == folded {
            return (*stem).to_string();
        }
    }
    if is_plural_in_s_after_vowel(folded) {
        return stemmer.stem(&folded[..folded.len() - 1]).into_owned();
    }
    stemmer.stem(folded).into_owned()
}

/// Singular words ending in consonant + `es` that [`is_plural_in_s_after_vowel`] must leave alone.
const SINGULARS_ENDING_IN_ES: &[&str] = &[
    "abces", "adres", "congres", "cipres", "diabetes", "expres", "herpes", "kompres", "proces",
    "progres", "mores",
];

/// Snowball Dutch removes a plural -s only after a consonant, so plurals in -s after a vowel
/// keep it and miss their singular: diminutives (`mondkapjes`), words in -e (`zonneweides`,
/// `procedures`, `offertes`, `fases`) and in -ie (`radiofrequenties`, `kopies`). Those get the
/// -s dropped before stemming. Singulars in -es (`proces`, `adres`) are listed apart.
fn is_plural_in_s_after_vowel(folded: &str) -> bool {
    if folded.len() <= 5 || !folded.ends_with("es") {
        return false;
    }
    if folded.ends_with("jes") || folded.ends_with("ies") {
        return true;
    }
    let before_e = folded[..folded.len() - 2].chars().next_back();
    let after_consonant = matches!(before_e, Some(character) if character.is_ascii_alphabetic()
        && !"aeiouy".contains(character));
    after_consonant && !SINGULARS_ENDING_IN_ES.contains(&folded)
}

/// Distinct words whose stems one thread keeps (about 10 MB); the cache is emptied when full.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// Stems of recent words: word frequencies follow Zipf's law, so most tokens of a page are
    /// words stemmed before, and Snowball is the costliest step of the analysis.
    static STEM_CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`stem_word`] through the thread's cache of recent stems.
fn cached_stem(stemmer: &Stemmer, folded: &str) -> String {
    STEM_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(folded) {
            return stem.clone();
        }
        let stem = stem_word(stemmer, folded);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        cache.insert(folded.to_string(), stem.clone());
        stem
    })
}

/// The stemmed term of one folded word, as the stemmed fields index it (through the cache).
pub fn stem(folded: &str) -> String {
    cached_stem(&Stemmer::create(Algorithm::Dutch), folded)
}

/// The stemmed compound parts of one folded word, as the parts field indexes them (empty when
/// it is not a compound of known parts).
pub fn compound_part_stems(folded: &str) -> Vec<String> {
    let Some(parts) = crate::compound::split_compound(folded) else {
        return Vec::new();
    };
    let stemmer = Stemmer::create(Algorithm::Dutch);
    parts
        .into_iter()
        .map(|part| cached_stem(&stemmer, part))
        .collect()
}

/// Runs the whole analysis on `text` and returns tantivy tokens with byte offsets and positions.
pub fn analyze(text: &str, mode: AnalysisMode) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_term(text, mode, |position, range, term| {
        tokens.push(Token {
            offset_from: range.start,
            offset_to: range.end,
            position,
            text: term.into_owned(),
            position_length: 1,
        });
    });
    tokens
}

/// The analysis of [`analyze`] as a stream: `each(position, byte range, term)` for every term,
/// in text order (a joined identifier's parts share its position and range). Exact terms are
/// borrowed from one folding buffer, so a caller that only looks at them (the highlighter)
/// allocates nothing per word.
pub fn for_each_term(
    text: &str,
    mode: AnalysisMode,
    mut each: impl FnMut(usize, std::ops::Range<usize>, Cow<'_, str>),
) {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let mut position = 0usize;
    // One folding buffer for every word.
    let mut folded = String::new();
    for word in split_words(text) {
        let raw = &text[word.start..word.end];
        if raw.len() > MAX_TOKEN_BYTES {
            continue;
        }
        fold_into(raw, &mut folded);
        let folded = folded.as_str();
        let range = word.start..word.end;
        if mode == AnalysisMode::CompoundParts {
            if let Some(parts) = crate::compound::split_compound(folded) {
                for part in parts {
                    each(
                        position,
                        range.clone(),
                        Cow::Owned(cached_stem(&stemmer, part)),
                    );
                }
            }
            position += 1;
            continue;
        }
        let term = match mode {
            AnalysisMode::Exact => Cow::Borrowed(folded),
            AnalysisMode::Stemmed | AnalysisMode::CompoundParts => {
                Cow::Owned(cached_stem(&stemmer, folded))
            }
        };
        each(position, range.clone(), term);
        if word.joined {
            for part in folded.split(['.', '-', '/']) {
                let alphabetic = part.chars().all(|character| character.is_alphabetic());
                if part.chars().count() < 2 || !alphabetic {
                    continue;
                }
                let part_term = match mode {
                    AnalysisMode::Exact => Cow::Borrowed(part),
                    AnalysisMode::Stemmed | AnalysisMode::CompoundParts => {
                        Cow::Owned(cached_stem(&stemmer, part))
                    }
                };
                each(position, range.clone(), part_term);
            }
        }
        position += 1;
    }
}

/// The terms `analyze` produces for `text`, for tests and query tooling.
pub fn terms(text: &str, mode: AnalysisMode) -> Vec<String> {
    analyze(text, mode)
        .into_iter()
        .map(|token| token.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stemmed(text: &str) -> Vec<String> {
        terms(text, AnalysisMode::Stemmed)
    }

    #[test]
    fn ground_codes_and_case_numbers_stay_whole() {
        assert_eq!(stemmed("5.1.2e"), vec!["5.1.2e"]);
        assert_eq!(stemmed("10.2.e"), vec!["10.2.e"]);
        assert_eq!(
            stemmed("kenmerk 2024-0001234."),
            vec!["kenmerk", "2024-0001234"]
        );
        assert_eq!(stemmed("(5.1.2e)"), vec!["5.1.2e"]);
    }

    #[test]
    fn hyphenated_words_without_digits_split() {
        assert_eq!(stemmed("Woo-verzoek"), vec!["woo", "verzoek"]);
    }

    #[test]
    fn joined_identifier_also_yields_its_word_parts_at_the_same_position() {
        let tokens = analyze("COVID-19 vaccin", AnalysisMode::Exact);
        let listed: Vec<(&str, usize)> = tokens
            .iter()
            .map(|token| (token.text.as_str(), token.position))
            .collect();
        assert_eq!(listed, vec![("covid-19", 0), ("covid", 0), ("vaccin", 1)]);
    }

    #[test]
    fn diacritics_fold_so_both_spellings_match() {
        assert_eq!(stemmed("financiële"), stemmed("financiele"));
        assert_eq!(stemmed("geïnteresseerd"), stemmed("geinteresseerd"));
        assert_eq!(terms("Één", AnalysisMode::Exact), vec!["een"]);
    }

    #[test]
    fn gemeente_does_not_collide_with_menen_or_gemeen() {
        let gemeente = stemmed("gemeente");
        assert_eq!(gemeente, stemmed("gemeenten"));
        assert_ne!(gemeente, stemmed("menen"));
        assert_ne!(gemeente, stemmed("gemeen"));
    }

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stemmed("besluiten"), stemmed("besluit"));
        assert_eq!(stemmed("documenten"), stemmed("document"));
        assert_eq!(stemmed("verzoeken"), stemmed("verzoek"));
        assert_eq!(stemmed("mondkapjes"), stemmed("mondkapje"));
        assert_eq!(stemmed("zonneweides"), stemmed("zonneweide"));
        assert_eq!(stemmed("procedures"), stemmed("procedure"));
        assert_eq!(stemmed("radiofrequenties"), stemmed("radiofrequentie"));
        assert_eq!(stemmed("offertes"), stemmed("offerte"));
        assert!(!is_plural_in_s_after_vowel("proces"));
        assert!(!is_plural_in_s_after_vowel("adres"));
        assert!(is_plural_in_s_after_vowel("websites"));
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let text = "De financiële stukken";
        let tokens = analyze(text, AnalysisMode::Stemmed);
        assert_eq!(
            &text[tokens[1].offset_from..tokens[1].offset_to],
            "financiële"
        );
    }

    #[test]
    fn compound_parts_are_stemmed_like_the_words_a_query_names() {
        let parts = terms(
            "De klachtenregeling en de mondkapjesdeal",
            AnalysisMode::CompoundParts,
        );
        assert_eq!(
            parts,
            vec![
                stemmed("klacht")[0].clone(),
                stemmed("regeling")[0].clone(),
                stemmed("mondkapje")[0].clone(),
                stemmed("deal")[0].clone(),
            ]
        );
        assert_eq!(
            terms("subsidieaanvraag", AnalysisMode::CompoundParts)[0],
            stemmed("subsidie")[0]
        );
        assert!(terms("gemeente overheid", AnalysisMode::CompoundParts).is_empty());
    }

    #[test]
    fn stemming_never_changes_the_first_two_letters() {
        // The highlighter relies on this to skip words that cannot match (see
        // `Highlighter::stem_keys` in the server).
        let words = [
            "maan",
            "manen",
            "brood",
            "broden",
            "straten",
            "gemeenten",
            "mogelijkheden",
            "bedden",
            "yoghurt",
            "ijzeren",
            "vaccinaties",
            "mondkapjes",
            "klachten",
            "regelingen",
            "beslissingen",
            "openbaarheid",
            "uitvoerende",
            "zee",
            "zeeen",
            "aanvragen",
            "overheden",
            "gegevens",
            "kopies",
            "fases",
            "ministeries",
        ];
        for word in words {
            let stem = stem(word);
            let key: String = word.chars().take(2).collect();
            assert!(
                stem.starts_with(&key) || word.starts_with(&stem),
                "{word} -> {stem}"
            );
        }
    }

    #[test]
    fn word_level_stems_and_parts_agree_with_the_field_analysis() {
        let text = "klachtenregeling mondkapjes COVID-19 gemeenten 5.1.2e Woo-verzoeken";
        let exact = terms(text, AnalysisMode::Exact);
        let word_stems: Vec<String> = exact.iter().map(|term| stem(term)).collect();
        assert_eq!(word_stems, stemmed(text));
        let word_parts: Vec<String> = exact
            .iter()
            .flat_map(|term| compound_part_stems(term))
            .collect();
        assert_eq!(word_parts, terms(text, AnalysisMode::CompoundParts));
        assert!(!word_parts.is_empty());
    }

    #[test]
    fn stop_words_are_kept_and_overlong_tokens_dropped() {
        assert_eq!(stemmed("wel of niet"), vec!["wel", "of", "niet"]);
        let long = "a".repeat(100);
        assert!(stemmed(&long).is_empty());
    }
}
