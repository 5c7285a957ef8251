//! Which words of a page a query matched, and the snippet around them.
//!
//! tantivy's `SnippetGenerator` only knows the terms of one field, so it cannot mark what our
//! query language matches in other fields: exact phrases (searched in `text_exact`), prefixes
//! and fuzzy words (expanded in `text_exact`), and compound parts (`text_parts`: `nerts` inside
//! `nertsensector`). A [`Highlighter`] is built from the parsed query ([`crate::query::Node`])
//! and applies the same analysis as the index to the page text, so every word that made the
//! page match is marked:
//! - a word: a token whose exact form, stem, or compound part equals the word's;
//! - `prefix*`: a token starting with the folded prefix;
//! - `word~N`: a token within N edits (a transposition is one edit), as tantivy's fuzzy query;
//! - `"a phrase"`: runs of tokens equal to the phrase's words in order (with slop: all words
//!   within the slop window);
//! - words under `NOT`/`-`, and scopes that do not search page text (`title:`, facets, dates),
//!   mark nothing.

use std::collections::HashSet;
use std::ops::Range;

use woo_core::analysis::{analyze, compound_part_stems, fold, for_each_term, stem, AnalysisMode};

use crate::error::Result;
use crate::markup::html_escape;
use crate::query::{edit_distance_within, parse, Modifier, Node, Scope};

/// Characters of page text in a snippet (before escaping).
pub const SNIPPET_CHARS: usize = 220;
/// Characters of context shown before the first highlighted word of a snippet.
const CONTEXT_BEFORE_CHARS: usize = 50;

/// One thing to look for in page text.
#[derive(Debug, Clone, PartialEq)]
enum Matcher {
    /// A word: its exact (folded) terms and its stemmed terms.
    Word {
        exact: Vec<String>,
        stemmed: Vec<String>,
    },
    /// Folded prefix.
    Prefix(String),
    /// Folded word and edit distance.
    Fuzzy(String, u8),
    /// Exact terms in order, with slop.
    Phrase(Vec<String>, u32),
}

/// The words a query looks for in page text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Highlighter {
    matchers: Vec<Matcher>,
}

/// One word of the page, analysed three ways; its exact terms are borrowed from the page's
/// [`PageTerms`].
struct PageWord<'a> {
    position: usize,
    range: Range<usize>,
    /// The word's exact term.
    term: &'a str,
    /// The exact terms of a joined identifier's parts (`covid-19`: `covid`), mostly none.
    part_terms: Vec<&'a str>,
    stemmed: Vec<String>,
    parts: Vec<String>,
}

impl PageWord<'_> {
    /// The word's exact terms: its own and its parts'.
    fn exact(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term).chain(self.part_terms.iter().copied())
    }
}

/// The exact terms of a page in one buffer (one allocation per page, not per word), with each
/// term's position, its range in the text and its range in the buffer.
struct PageTerms {
    buffer: String,
    terms: Vec<(usize, Range<usize>, Range<usize>)>,
}

impl PageTerms {
    fn of(text: &str) -> PageTerms {
        let mut page = PageTerms {
            buffer: String::with_capacity(text.len()),
            terms: Vec::new(),
        };
        for_each_term(text, AnalysisMode::Exact, |position, range, term| {
            let start = page.buffer.len();
            page.buffer.push_str(&term);
            page.terms.push((position, range, start..page.buffer.len()));
        });
        page
    }
}

impl Highlighter {
    /// The highlighter of a user query; browse mode (`""`, `*`) highlights nothing.
    pub fn from_query(user_query: &str) -> Result<Highlighter> {
        let mut highlighter = Highlighter::default();
        if let Some(node) = parse(user_query)? {
            highlighter.collect(&node);
        }
        Ok(highlighter)
    }

    /// Whether nothing would be marked.
    pub fn is_empty(&self) -> bool {
        self.matchers.is_empty()
    }

    fn collect(&mut self, node: &Node) {
        match node {
            Node::And(items) | Node::Or(items) => {
                for item in items {
                    self.collect(item);
                }
            }
            Node::Not(_) | Node::DateRange(..) => {}
            Node::Word {
                scope,
                text,
                modifier,
                ..
            } => {
                if !matches!(scope, Scope::Any | Scope::Text) {
                    return;
                }
                let matcher = match modifier {
                    Modifier::None => Matcher::Word {
                        exact: unique_terms(text, AnalysisMode::Exact),
                        stemmed: unique_terms(text, AnalysisMode::Stemmed),
                    },
                    Modifier::Prefix => Matcher::Prefix(fold(text)),
                    Modifier::Fuzzy(distance) => Matcher::Fuzzy(fold(text), *distance),
                };
                self.matchers.push(matcher);
            }
            Node::Phrase { scope, text, slop } => {
                if !matches!(scope, Scope::Any | Scope::Text) {
                    return;
                }
                let words: Vec<String> = analyze(text, AnalysisMode::Exact)
                    .into_iter()
                    .map(|token| token.text)
                    .collect();
                if !words.is_empty() {
                    self.matchers.push(Matcher::Phrase(words, *slop));
                }
            }
        }
    }

    /// The first two letters of every stem a word matcher looks for. Snowball never changes a
    /// word's first two letters (suffixes go from its R1 region, which starts after the third
    /// letter, and undoubling a vowel, `maan` -> `man`, drops the third letter at the
    /// earliest), so a page word whose stem or compound part could equal a wanted stem
    /// contains that stem's first two letters: other words are not stemmed at all.
    fn stem_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for matcher in &self.matchers {
            let Matcher::Word { stemmed, .. } = matcher else {
                continue;
            };
            for stem in stemmed {
                let key: String = stem.chars().take(2).collect();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// Byte ranges of `text` to mark, sorted and without overlaps.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        if self.matchers.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let terms = PageTerms::of(text);
        let words = page_words(&terms, &self.stem_keys());
        let mut marked = vec![false; words.len()];
        for matcher in &self.matchers {
            mark_matches(matcher, &words, &mut marked);
        }
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (word, is_marked) in words.iter().zip(marked) {
            if !is_marked {
                continue;
            }
            match ranges.last_mut() {
                Some(last) if word.range.start <= last.end => {
                    last.end = last.end.max(word.range.end)
                }
                _ => ranges.push(word.range.clone()),
            }
        }
        ranges
    }
}

fn unique_terms(text: &str, mode: AnalysisMode) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for token in analyze(text, mode) {
        if !terms.contains(&token.text) {
            terms.push(token.text);
        }
    }
    terms
}

/// The words of a page with their exact terms, stems and compound parts, in text order. The
/// text is split once; stems and parts come from each word's exact terms (the same terms the
/// stemmed and parts fields index, through the analyzer's stem cache), and only for words
/// containing one of `stem_keys` (see [`Highlighter::stem_keys`]).
fn page_words<'a>(page: &'a PageTerms, stem_keys: &[String]) -> Vec<PageWord<'a>> {
    let mut words: Vec<PageWord> = Vec::new();
    for (position, range, in_buffer) in &page.terms {
        let term = &page.buffer[in_buffer.clone()];
        match words.last_mut() {
            // A joined identifier's parts share its position and range.
            Some(last) if last.position == *position => last.part_terms.push(term),
            _ => words.push(PageWord {
                position: *position,
                range: range.clone(),
                term,
                part_terms: Vec::new(),
                stemmed: Vec::new(),
                parts: Vec::new(),
            }),
        }
    }
    if stem_keys.is_empty() {
        return words;
    }
    for word in &mut words {
        if !stem_keys.iter().any(|key| word.term.contains(key.as_str())) {
            continue;
        }
        word.stemmed = word.exact().map(stem).collect();
        word.parts = compound_part_stems(word.term);
    }
    words
}

fn mark_matches(matcher: &Matcher, words: &[PageWord], marked: &mut [bool]) {
    match matcher {
        Matcher::Word { exact, stemmed } => {
            for (index, word) in words.iter().enumerate() {
                let hit = word
                    .exact()
                    .any(|term| exact.iter().any(|wanted| wanted == term))
                    || word.stemmed.iter().any(|term| stemmed.contains(term))
                    || word.parts.iter().any(|term| stemmed.contains(term));
                if hit {
                    marked[index] = true;
                }
            }
        }
        Matcher::Prefix(prefix) => {
            for (index, word) in words.iter().enumerate() {
                if word.exact().any(|term| term.starts_with(prefix.as_str())) {
                    marked[index] = true;
                }
            }
        }
        Matcher::Fuzzy(wanted, distance) => {
            for (index, word) in words.iter().enumerate() {
                let near = word
                    .exact()
                    .any(|term| within_edits(term, wanted, usize::from(*distance)));
                if near {
                    marked[index] = true;
                }
            }
        }
        Matcher::Phrase(phrase, slop) => mark_phrase(phrase, *slop as usize, words, marked),
    }
}

/// Marks each occurrence of the phrase: its words in order at consecutive positions, or, with
/// slop, every phrase word within `phrase length + slop` positions of an occurrence of the
/// first word when all of them are there.
fn mark_phrase(phrase: &[String], slop: usize, words: &[PageWord], marked: &mut [bool]) {
    let has = |word: &PageWord, term: &String| word.exact().any(|exact| exact == term.as_str());
    for start in 0..words.len() {
        if !has(&words[start], &phrase[0]) {
            continue;
        }
        if slop == 0 {
            let fits = start + phrase.len() <= words.len()
                && phrase.iter().enumerate().all(|(offset, term)| {
                    let word = &words[start + offset];
                    word.position == words[start].position + offset && has(word, term)
                });
            if fits {
                for flag in &mut marked[start..start + phrase.len()] {
                    *flag = true;
                }
            }
            continue;
        }
        let window_end = (start + phrase.len() + slop).min(words.len());
        let low = start.saturating_sub(slop);
        let window = low..window_end;
        let mut found: HashSet<usize> = HashSet::new();
        let mut complete = true;
        for term in phrase {
            match window.clone().find(|&index| has(&words[index], term)) {
                Some(index) => {
                    found.insert(index);
                }
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if complete {
            for index in found {
                marked[index] = true;
            }
        }
    }
}

/// Whether `a` is within `limit` edits of `b` (insert, delete, substitute, transpose adjacent;
/// the distance of [`edit_distance_within`]).
fn within_edits(a: &str, b: &str, limit: usize) -> bool {
    // Most words of a page differ in length by more than the limit: decided without
    // allocating (this check was most of a fuzzy query's highlighting time).
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return false;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_within(&a, &b, limit).is_some()
}

/// A snippet of about [`SNIPPET_CHARS`] characters around the densest group of marked ranges,
/// escaped, with `<mark>` highlights and `…` where text was cut; `None` without ranges.
pub fn snippet(text: &str, ranges: &[Range<usize>]) -> Option<String> {
    let window_bytes = byte_length_of_chars(text, SNIPPET_CHARS);
    // The first range of the densest window of ranges.
    let mut best_first = 0;
    let mut best_count = 0;
    for (first, range) in ranges.iter().enumerate() {
        let count = ranges[first..]
            .iter()
            .take_while(|later| later.end <= range.start + window_bytes)
            .count();
        if count > best_count {
            best_first = first;
            best_count = count;
        }
    }
    let anchor = ranges.get(best_first)?.start;
    // Start a little before the anchor, at a word boundary.
    let mut start = anchor;
    let mut stepped = 0;
    while start > 0 && stepped < CONTEXT_BEFORE_CHARS {
        start -= 1;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        stepped += 1;
    }
    if start > 0 {
        start = text[start..anchor]
            .find(char::is_whitespace)
            .map_or(start, |offset| start + offset + 1);
    }
    let mut end = (start + window_bytes).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        let last_space = text[anchor.min(end)..end].rfind(char::is_whitespace);
        if let Some(offset) = last_space {
            end = anchor.min(end) + offset;
        }
    }
    let mut html = String::with_capacity(end - start + 64);
    if start > 0 {
        html.push('…');
    }
    let mut cursor = start;
    for range in ranges {
        if range.start < cursor || range.end > end {
            continue;
        }
        html.push_str(&html_escape(&text[cursor..range.start]));
        html.push_str("<mark>");
        html.push_str(&html_escape(&text[range.start..range.end]));
        html.push_str("</mark>");
        cursor = range.end;
    }
    html.push_str(&html_escape(&text[cursor..end]));
    if end < text.len() {
        html.push('…');
    }
    Some(html.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Bytes taken by the first `chars` characters of `text` (or all of it).
fn byte_length_of_chars(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(offset, _)| offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(query: &str, text: &str) -> Vec<String> {
        let highlighter = Highlighter::from_query(query).unwrap();
        highlighter
            .ranges(text)
            .into_iter()
            .map(|range| text[range].to_string())
            .collect()
    }

    #[test]
    fn words_match_by_exact_form_stem_and_compound_part() {
        let text = "De mondkapjes en de mondkapjesdeal; het Mondkapje.";
        assert_eq!(
            marked("mondkapje", text),
            vec!["mondkapjes", "mondkapjesdeal", "Mondkapje"]
        );
        assert_eq!(
            marked("klacht", "Over de klachtenregeling"),
            vec!["klachtenregeling"]
        );
        // Stemming undoubles the vowel of `maan`: its stem `man` is not a prefix of the word.
        assert_eq!(
            marked("maan", "De maan en de manen, niet de mand"),
            vec!["maan", "manen"]
        );
    }

    #[test]
    fn phrases_mark_only_the_words_in_order() {
        let text =
            "persoonlijke opvattingen; persoonlijke beleidsopvattingen en beleidsopvattingen";
        assert_eq!(
            marked("\"persoonlijke beleidsopvattingen\"", text),
            vec!["persoonlijke", "beleidsopvattingen"]
        );
        assert_eq!(
            marked(
                "\"zwarte lijst\"~2",
                "de zwarte en geheime lijst; een lijst"
            ),
            vec!["zwarte", "lijst"]
        );
    }

    #[test]
    fn prefix_and_fuzzy_words_are_marked() {
        assert_eq!(
            marked("privacy*", "privacybescherming en privacy, niet prive"),
            vec!["privacybescherming", "privacy"]
        );
        assert_eq!(
            marked("coronamleder~1", "De CoronaMelder app; coronamelders"),
            vec!["CoronaMelder"]
        );
        assert_eq!(
            marked("coronamleder~2", "De CoronaMelder app; coronamelders"),
            vec!["CoronaMelder", "coronamelders"]
        );
    }

    #[test]
    fn negated_words_and_other_scopes_mark_nothing() {
        assert_eq!(marked("-nertsen", "nertsen"), Vec::<String>::new());
        assert_eq!(marked("title:nertsen", "nertsen"), Vec::<String>::new());
        assert_eq!(marked("nertsen NOT mink", "nertsen mink"), vec!["nertsen"]);
    }

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert!(within_edits("melder", "mledre", 2));
        assert!(within_edits("melder", "mleder", 1));
        assert!(!within_edits("melder", "mldr", 1));
        assert!(within_edits("", "ab", 2));
    }

    #[test]
    fn snippet_shows_the_densest_group_with_context_and_ellipses() {
        let text = format!(
            "{} nerts hier {} nerts en nog een nerts daar {}",
            "woord ".repeat(60),
            "vul ".repeat(80),
            "eind ".repeat(60)
        );
        let highlighter = Highlighter::from_query("nerts").unwrap();
        let html = snippet(&text, &highlighter.ranges(&text)).unwrap();
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert_eq!(html.matches("<mark>nerts</mark>").count(), 2, "{html}");
        assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
        assert_eq!(snippet("geen treffer", &[]), None);
        let only_range: Vec<Range<usize>> = std::iter::once(6..11).collect();
        let escaped = snippet("a <b> nerts", &only_range).unwrap();
        assert_eq!(escaped, "a &lt;b&gt; <mark>nerts</mark>");
    }
}
