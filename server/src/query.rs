//! User query text -> a validated tantivy query, and "Bedoelde u …?" suggestions.
//!
//! The query language (documented in README.md and on the HTML page):
//! - words are combined with AND; `OR` between alternatives; `-word` or `NOT word` excludes;
//!   `AND` may be written; `( … )` groups;
//! - `"exact phrase"` matches the unstemmed words in order; `"words near"~5` within 5 positions;
//! - `prefix*` (at least [`MIN_PREFIX_CHARS`] characters before the `*`, the
//!   [`MAX_PREFIX_EXPANSIONS`] most frequent completions); `word~` / `word~2` fuzzy (edit distance
//!   at most [`MAX_FUZZY_DISTANCE`], words of at least [`MIN_FUZZY_CHARS`] letters; distance 1
//!   for words under 6 letters) for bad OCR;
//! - field scopes `title:`, `text:`, `publisher:`, `category:`, `type:`, `ground:`,
//!   `judgement:`, `language:`, `year:`, `source:`, `id:` before a word, phrase or group, and
//!   `date:2021-03` / `date:[2021-01-01 TO 2021-06-30]` (`*` for an open end).
//!
//! How it runs: [`lex`] turns the text into tokens and enforces the limits of
//! ../shared/RELIABILITY.md §3.5 in reading order (length, nesting, term count, no regexes, no
//! large fuzzy distances or phrase slops, public field scopes only), so a hostile query is
//! refused before any work. [`parse`] is a recursive-descent parser (depth bounded by the lexer's
//! nesting limit) producing a [`Node`] tree; [`QueryBuilder::build`] turns it into tantivy
//! queries. A plain word matches, with these boosts: the whole document id (so an id typed as
//! the query ranks that document first), identifiers, the title (exact above stemmed), the page
//! text (exact above stemmed) and, lowest, the parts of compound words (`klacht` finds
//! `klachtenregeling`). Phrases match only the unstemmed fields. Facet scopes match the facet
//! values containing the given words, and score nothing.

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};
use woo_core::analysis::{analyze, fold, AnalysisMode};
use woo_core::schema::Fields;

use crate::error::{ApiError, Result};

/// Longest accepted query, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Deepest accepted bracket nesting.
pub const MAX_QUERY_DEPTH: usize = 8;
/// Most accepted words, phrases and operators.
pub const MAX_QUERY_CLAUSES: usize = 32;
/// Largest phrase slop (`"a b"~N`).
pub const MAX_PHRASE_SLOP: u32 = 20;
/// Largest fuzzy edit distance (`word~N`).
pub const MAX_FUZZY_DISTANCE: u8 = 2;
/// Shortest word accepted for fuzzy search.
pub const MIN_FUZZY_CHARS: usize = 4;
/// Characters needed before a `*`.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Most completions of one prefix (the most frequent ones are kept).
pub const MAX_PREFIX_EXPANSIONS: usize = 50;
/// Most terms of the dictionary looked at for one prefix or suggestion.
const MAX_TERMS_SCANNED: usize = 20_000;
/// Most prefix and fuzzy words in one query.
pub const MAX_EXPANDING_WORDS: usize = 4;
/// Most rare words of one query looked up for a suggestion.
const MAX_SUGGESTED_WORDS: usize = 3;
/// Most facet values one facet scope expands to.
const MAX_FACET_MATCHES: usize = 64;

/// Boosts of a plain word per field: exact above stemmed, title above text, compound parts lowest.
const BOOST_IDENTIFIERS: f32 = 8.0;
const BOOST_TITLE_EXACT: f32 = 2.5;
const BOOST_TITLE: f32 = 2.0;
const BOOST_TEXT_EXACT: f32 = 1.3;
const BOOST_TEXT: f32 = 1.0;
const BOOST_TEXT_PARTS: f32 = 0.3;
/// Score added when a word is a whole document or publication id, or a refusal-ground code.
const SCORE_WHOLE_ID: f32 = 50.0;
const SCORE_GROUND_CODE: f32 = 2.0;

/// Public field scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No scope: every text field.
    Any,
    /// `title:`.
    Title,
    /// `text:`.
    Text,
    /// `id:`: identifiers and whole ids.
    Id,
    /// `date:`.
    Date,
    /// A facet: `publisher:`, `category:`, `type:`, `ground:`, `judgement:`, `language:`,
    /// `year:`, `source:` (the schema field name).
    Facet(&'static str),
}

/// Public scope names.
const SCOPES: &[(&str, Scope)] = &[
    ("title", Scope::Title),
    ("text", Scope::Text),
    ("id", Scope::Id),
    ("date", Scope::Date),
    ("publisher", Scope::Facet("publisher")),
    ("category", Scope::Facet("category")),
    ("type", Scope::Facet("type")),
    ("ground", Scope::Facet("ground")),
    ("judgement", Scope::Facet("judgement")),
    ("language", Scope::Facet("language")),
    ("year", Scope::Facet("year")),
    ("source", Scope::Facet("text_source")),
];

/// What follows a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// Nothing.
    None,
    /// `word*`.
    Prefix,
    /// `word~N`.
    Fuzzy(u8),
}

/// One token of a query; `position` is the 1-based character position, `start..end` the bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// 1-based character position.
    pub position: usize,
    /// Byte range in the query.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// Token kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `[`.
    RangeOpen,
    /// `]`.
    RangeClose,
    /// `OR`.
    Or,
    /// `AND`.
    And,
    /// `NOT` or a leading `-`.
    Not,
    /// `name:`.
    Scope(Scope),
    /// A word with its modifier (the text without `*` or `~N`).
    Word(String, Modifier),
    /// A quoted phrase with its slop.
    Phrase(String, u32),
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word in a scope.
    Word {
        /// Scope.
        scope: Scope,
        /// Text as typed.
        text: String,
        /// Prefix or fuzzy.
        modifier: Modifier,
        /// Position, for errors.
        position: usize,
    },
    /// A phrase in a scope.
    Phrase {
        /// Scope.
        scope: Scope,
        /// Text inside the quotes.
        text: String,
        /// Slop.
        slop: u32,
    },
    /// A date range, days since 1970, inclusive.
    DateRange(Option<i64>, Option<i64>),
    /// All must match.
    And(Vec<Node>),
    /// One must match.
    Or(Vec<Node>),
    /// Must not match.
    Not(Box<Node>),
}

fn syntax(message: String) -> ApiError {
    ApiError::QuerySyntax(message)
}

/// Splits a query into tokens, enforcing every limit in reading order.
pub fn lex(query: &str) -> Result<Vec<Token>> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::QueryTooLong {
            limit: MAX_QUERY_BYTES,
        });
    }
    let mut lexer = Lexer {
        query,
        characters: query.char_indices().collect(),
        tokens: Vec::new(),
        open_positions: Vec::new(),
        clauses: 0,
        expanding: 0,
    };
    let mut index = 0usize;
    while index < lexer.characters.len() {
        let (_, character) = lexer.characters[index];
        if character.is_whitespace() {
            index += 1;
            continue;
        }
        index = lexer.read_token(index)?;
        if lexer.clauses > MAX_QUERY_CLAUSES {
            return Err(ApiError::QueryTooComplex(format!(
                "more than {MAX_QUERY_CLAUSES} terms and operators"
            )));
        }
    }
    if let Some(position) = lexer.open_positions.last() {
        return Err(syntax(format!("unclosed bracket at position {position}")));
    }
    Ok(lexer.tokens)
}

/// The state of [`lex`]: the query's characters, the tokens so far, and the counts its
/// limits are checked against.
struct Lexer<'a> {
    query: &'a str,
    /// Byte offset and character, by character index.
    characters: Vec<(usize, char)>,
    tokens: Vec<Token>,
    /// Positions of the brackets not closed yet.
    open_positions: Vec<usize>,
    /// Words and phrases read.
    clauses: usize,
    /// Prefix and fuzzy words read.
    expanding: usize,
}

impl Lexer<'_> {
    /// The byte offset of the character at `index` (the query's length past its end).
    fn byte_at(&self, index: usize) -> usize {
        self.characters
            .get(index)
            .map_or(self.query.len(), |&(byte, _)| byte)
    }

    /// The character at `index`, if any.
    fn character_at(&self, index: usize) -> Option<char> {
        self.characters.get(index).map(|&(_, character)| character)
    }

    /// Adds a token of the single character at `index`.
    fn push_single(&mut self, index: usize, kind: TokenKind) {
        let (offset, character) = self.characters[index];
        self.tokens.push(Token {
            kind,
            position: index + 1,
            start: offset,
            end: offset + character.len_utf8(),
        });
    }

    /// Reads the token starting at the (non-space) character `index`; returns the index of
    /// the character after it.
    fn read_token(&mut self, index: usize) -> Result<usize> {
        let (_, character) = self.characters[index];
        let position = index + 1;
        match character {
            '(' => {
                self.open_positions.push(position);
                if self.open_positions.len() > MAX_QUERY_DEPTH {
                    return Err(ApiError::QueryTooComplex(format!(
                        "brackets nest deeper than {MAX_QUERY_DEPTH} levels at position {position}"
                    )));
                }
                self.push_single(index, TokenKind::Open);
                Ok(index + 1)
            }
            ')' => {
                if self.open_positions.pop().is_none() {
                    return Err(syntax(format!("unbalanced ')' at position {position}")));
                }
                self.push_single(index, TokenKind::Close);
                Ok(index + 1)
            }
            '[' => {
                self.push_single(index, TokenKind::RangeOpen);
                Ok(index + 1)
            }
            ']' => {
                self.push_single(index, TokenKind::RangeClose);
                Ok(index + 1)
            }
            '{' | '}' => Err(syntax(format!(
                "unexpected {character:?} at position {position}"
            ))),
            '"' => self.read_phrase(index),
            '/' => Err(ApiError::UnsupportedSyntax(format!(
                "regular expressions are not supported (position {position})"
            ))),
            '-' if self
                .character_at(index + 1)
                .is_some_and(|next| !next.is_whitespace()) =>
            {
                self.push_single(index, TokenKind::Not);
                Ok(index + 1)
            }
            '+' => Ok(index + 1),
            _ => self.read_word(index),
        }
    }

    /// Reads a quoted phrase starting at the `"` at `index`, with its optional `~N` slop.
    fn read_phrase(&mut self, index: usize) -> Result<usize> {
        let (offset, _) = self.characters[index];
        let position = index + 1;
        let Some(length) = self.characters[index + 1..]
            .iter()
            .position(|&(_, c)| c == '"')
        else {
            return Err(syntax(format!("unclosed '\"' at position {position}")));
        };
        let close = index + 1 + length;
        let text = self.query[self.byte_at(index + 1)..self.byte_at(close)].to_string();
        let mut cursor = close + 1;
        let mut slop = 0u32;
        if self.character_at(cursor) == Some('~') {
            let digits_start = cursor + 1;
            cursor = digits_start;
            while self
                .character_at(cursor)
                .is_some_and(|c| c.is_ascii_digit())
            {
                cursor += 1;
            }
            let digits = &self.query[self.byte_at(digits_start)..self.byte_at(cursor)];
            slop = digits.parse().map_err(|_| {
                syntax(format!(
                    "'~' after a phrase needs a number, as in \"a b\"~5 (position {})",
                    digits_start
                ))
            })?;
            if slop > MAX_PHRASE_SLOP {
                return Err(ApiError::UnsupportedSyntax(format!(
                    "phrase distance {slop} is larger than {MAX_PHRASE_SLOP} (position {digits_start})"
                )));
            }
        }
        self.clauses += 1;
        self.tokens.push(Token {
            kind: TokenKind::Phrase(text, slop),
            position,
            start: offset,
            end: self.byte_at(cursor),
        });
        Ok(cursor)
    }

    /// The index just past the word starting at `cursor`: up to a space, a bracket, a quote,
    /// or (when `stop_at_colon`) a colon after its first character.
    fn word_end(&self, word_start: usize, mut cursor: usize, stop_at_colon: bool) -> usize {
        while let Some(c) = self.character_at(cursor) {
            if c.is_whitespace() || "()[]\"{}".contains(c) {
                break;
            }
            if stop_at_colon && c == ':' && cursor > word_start {
                break;
            }
            cursor += 1;
        }
        cursor
    }

    /// Reads a field scope `name:`, an operator, or a word with its modifier, starting at
    /// `index`.
    fn read_word(&mut self, index: usize) -> Result<usize> {
        let (offset, _) = self.characters[index];
        let position = index + 1;
        let word_start = index;
        let mut cursor = self.word_end(word_start, index, true);
        // A field scope `name:` (but `https://…` is text).
        if self.character_at(cursor) == Some(':') {
            let word = &self.query[self.byte_at(word_start)..self.byte_at(cursor)];
            let is_name = word.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
            let is_url = self.character_at(cursor + 1) == Some('/');
            if is_name && !is_url {
                let Some(&(_, scope)) = SCOPES.iter().find(|(name, _)| *name == word) else {
                    return Err(ApiError::UnknownField(word.to_string()));
                };
                self.tokens.push(Token {
                    kind: TokenKind::Scope(scope),
                    position,
                    start: offset,
                    end: self.byte_at(cursor + 1),
                });
                return Ok(cursor + 1);
            }
            // Not a scope: the colon belongs to the word.
            cursor = self.word_end(word_start, cursor, false);
        }
        let word = &self.query[self.byte_at(word_start)..self.byte_at(cursor)];
        let kind = self.word_kind(word, position)?;
        self.clauses += 1;
        self.tokens.push(Token {
            kind,
            position,
            start: offset,
            end: self.byte_at(cursor),
        });
        Ok(cursor)
    }

    /// An operator (`OR`, `AND`, `NOT`) or a word with its modifier, counting prefix and
    /// fuzzy words against [`MAX_EXPANDING_WORDS`].
    fn word_kind(&mut self, word: &str, position: usize) -> Result<TokenKind> {
        match word {
            "OR" => return Ok(TokenKind::Or),
            "AND" => return Ok(TokenKind::And),
            "NOT" => return Ok(TokenKind::Not),
            _ => {}
        }
        let (text, modifier) = word_modifier(word, position)?;
        if modifier != Modifier::None {
            self.expanding += 1;
            if self.expanding > MAX_EXPANDING_WORDS {
                return Err(ApiError::QueryTooComplex(format!(
                    "more than {MAX_EXPANDING_WORDS} prefix and fuzzy words"
                )));
            }
        }
        Ok(TokenKind::Word(text, modifier))
    }
}

/// Splits `word*`, `word~` and `word~N` into the word and its modifier, checking the bounds.
fn word_modifier(word: &str, position: usize) -> Result<(String, Modifier)> {
    if word == "*" {
        return Ok((word.to_string(), Modifier::None));
    }
    if let Some(star) = word.find('*') {
        let before = &word[..star];
        if star + 1 != word.len() {
            return Err(ApiError::UnsupportedSyntax(format!(
                "'*' is only supported at the end of a word, as in verzoek* (position {})",
                position + before.chars().count()
            )));
        }
        if before.chars().filter(|c| c.is_alphanumeric()).count() < MIN_PREFIX_CHARS
            || before.contains('~')
        {
            return Err(ApiError::UnsupportedSyntax(format!(
                "a prefix search needs at least {MIN_PREFIX_CHARS} letters before '*' (position {position})"
            )));
        }
        return Ok((before.to_string(), Modifier::Prefix));
    }
    let Some(tilde) = word.find('~') else {
        return Ok((word.to_string(), Modifier::None));
    };
    let before = &word[..tilde];
    let after = &word[tilde + 1..];
    let tilde_position = position + before.chars().count();
    let requested: u32 = if after.is_empty() {
        u32::from(MAX_FUZZY_DISTANCE)
    } else {
        after.parse().map_err(|_| {
            ApiError::UnsupportedSyntax(format!(
                "'~' after a word takes a distance of 1 or 2, as in jansen~1 (position {tilde_position})"
            ))
        })?
    };
    if requested > u32::from(MAX_FUZZY_DISTANCE) {
        return Err(ApiError::UnsupportedSyntax(format!(
            "fuzzy distance {requested} is larger than {MAX_FUZZY_DISTANCE} (position {tilde_position})"
        )));
    }
    let letters = before.chars().filter(|c| c.is_alphanumeric()).count();
    if letters < MIN_FUZZY_CHARS {
        return Err(ApiError::UnsupportedSyntax(format!(
            "fuzzy search needs a word of at least {MIN_FUZZY_CHARS} letters (position {position})"
        )));
    }
    let distance = if letters < 6 {
        requested.min(1)
    } else {
        requested
    };
    if distance == 0 {
        return Ok((before.to_string(), Modifier::None));
    }
    Ok((before.to_string(), Modifier::Fuzzy(distance as u8)))
}

/// Recursive-descent parser over the tokens of [`lex`].
struct Parser<'a> {
    tokens: &'a [Token],
    cursor: usize,
    query_chars: usize,
}

/// Parses a query into a [`Node`]; `None` for a query without any term.
pub fn parse(query: &str) -> Result<Option<Node>> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        tokens: &tokens,
        cursor: 0,
        query_chars: query.chars().count(),
    };
    let node = parser.parse_or(0)?;
    if let Some(token) = parser.peek() {
        return Err(syntax(format!(
            "unexpected {} at position {}",
            describe(&token.kind),
            token.position
        )));
    }
    Ok(Some(node))
}

fn describe(kind: &TokenKind) -> String {
    match kind {
        TokenKind::Open => "'('".to_string(),
        TokenKind::Close => "')'".to_string(),
        TokenKind::RangeOpen => "'['".to_string(),
        TokenKind::RangeClose => "']'".to_string(),
        TokenKind::Or => "OR".to_string(),
        TokenKind::And => "AND".to_string(),
        TokenKind::Not => "NOT".to_string(),
        TokenKind::Scope(_) => "field scope".to_string(),
        TokenKind::Word(word, _) => format!("{word:?}"),
        TokenKind::Phrase(..) => "phrase".to_string(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.cursor)
    }

    fn end_position(&self) -> usize {
        self.query_chars + 1
    }

    fn here(&self) -> usize {
        self.peek()
            .map_or(self.end_position(), |token| token.position)
    }

    fn parse_or(&mut self, depth: usize) -> Result<Node> {
        let mut alternatives = vec![self.parse_and(depth)?];
        while let Some(TokenKind::Or) = self.peek().map(|token| &token.kind) {
            self.cursor += 1;
            alternatives.push(self.parse_and(depth)?);
        }
        if alternatives.len() == 1 {
            return Ok(alternatives.remove(0));
        }
        Ok(Node::Or(alternatives))
    }

    fn parse_and(&mut self, depth: usize) -> Result<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek().map(|token| &token.kind) {
                None | Some(TokenKind::Close) | Some(TokenKind::Or) => break,
                Some(TokenKind::And) => {
                    self.cursor += 1;
                    continue;
                }
                Some(_) => items.push(self.parse_unary(depth)?),
            }
        }
        if items.is_empty() {
            return Err(syntax(format!(
                "a word or phrase is missing at position {}",
                self.here()
            )));
        }
        if items.len() == 1 && !matches!(items[0], Node::Not(_)) {
            return Ok(items.remove(0));
        }
        Ok(Node::And(items))
    }

    fn parse_unary(&mut self, depth: usize) -> Result<Node> {
        if let Some(TokenKind::Not) = self.peek().map(|token| &token.kind) {
            self.cursor += 1;
            if self.peek().is_none() {
                return Err(syntax(format!(
                    "NOT or '-' needs a word after it (position {})",
                    self.end_position()
                )));
            }
            let inner = self.parse_unary(depth)?;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.parse_primary(depth, Scope::Any)
    }

    fn parse_primary(&mut self, depth: usize, scope: Scope) -> Result<Node> {
        let Some(token) = self.peek().cloned() else {
            return Err(syntax(format!(
                "a word or phrase is missing at position {}",
                self.end_position()
            )));
        };
        self.cursor += 1;
        match token.kind {
            TokenKind::Open => {
                if depth >= MAX_QUERY_DEPTH {
                    return Err(ApiError::QueryTooComplex(format!(
                        "brackets nest deeper than {MAX_QUERY_DEPTH} levels at position {}",
                        token.position
                    )));
                }
                let inner = self.parse_or(depth + 1)?;
                match self.peek().map(|next| &next.kind) {
                    Some(TokenKind::Close) => self.cursor += 1,
                    _ => {
                        return Err(syntax(format!(
                            "unclosed bracket at position {}",
                            token.position
                        )))
                    }
                }
                Ok(apply_scope(inner, scope))
            }
            TokenKind::Word(text, modifier) => Ok(Node::Word {
                scope,
                text,
                modifier,
                position: token.position,
            }),
            TokenKind::Phrase(text, slop) => Ok(Node::Phrase { scope, text, slop }),
            TokenKind::Scope(Scope::Date) => self.parse_date(token.position),
            TokenKind::Scope(inner_scope) => {
                if scope != Scope::Any {
                    return Err(syntax(format!(
                        "a field scope inside a field scope at position {}",
                        token.position
                    )));
                }
                match self.peek().map(|next| &next.kind) {
                    Some(TokenKind::Open | TokenKind::Word(..) | TokenKind::Phrase(..)) => {
                        self.parse_primary(depth, inner_scope)
                    }
                    _ => Err(syntax(format!(
                        "a word, phrase or ( … ) must follow the field scope at position {}",
                        token.position
                    ))),
                }
            }
            other => Err(syntax(format!(
                "unexpected {} at position {}",
                describe(&other),
                token.position
            ))),
        }
    }

    /// After `date:`: `YYYY[-MM[-DD]]` or `[FROM TO TO]` with `*` for an open end.
    fn parse_date(&mut self, scope_position: usize) -> Result<Node> {
        let Some(token) = self.peek().cloned() else {
            return Err(syntax(format!(
                "a date must follow date: at position {scope_position}"
            )));
        };
        self.cursor += 1;
        match token.kind {
            TokenKind::Word(text, Modifier::None) => {
                let from = date_days(&text, false, token.position)?;
                let to = date_days(&text, true, token.position)?;
                Ok(Node::DateRange(from, to))
            }
            TokenKind::RangeOpen => {
                let from = self.range_bound(false)?;
                match self.peek().map(|next| &next.kind) {
                    Some(TokenKind::Word(word, _)) if word == "TO" => self.cursor += 1,
                    _ => {
                        return Err(syntax(format!(
                            "a date range reads [2021-01-01 TO 2021-06-30]; TO is missing at position {}",
                            self.here()
                        )))
                    }
                }
                let to = self.range_bound(true)?;
                match self.peek().map(|next| &next.kind) {
                    Some(TokenKind::RangeClose) => self.cursor += 1,
                    _ => {
                        return Err(syntax(format!(
                            "the date range opened at position {} is not closed with ']'",
                            token.position
                        )))
                    }
                }
                if let (Some(from), Some(to)) = (from, to) {
                    if from > to {
                        return Err(syntax(format!(
                            "the date range at position {} ends before it starts",
                            token.position
                        )));
                    }
                }
                Ok(Node::DateRange(from, to))
            }
            _ => Err(syntax(format!(
                "date: takes YYYY, YYYY-MM, YYYY-MM-DD or [FROM TO TO] (position {})",
                token.position
            ))),
        }
    }

    fn range_bound(&mut self, end: bool) -> Result<Option<i64>> {
        let position = self.here();
        let Some(Token {
            kind: TokenKind::Word(text, modifier),
            ..
        }) = self.peek().cloned()
        else {
            return Err(syntax(format!("a date is missing at position {position}")));
        };
        self.cursor += 1;
        if modifier != Modifier::None {
            return Err(syntax(format!("invalid date at position {position}")));
        }
        date_days(&text, end, position)
    }
}

/// `*` is an open end; otherwise a date as the `from`/`to` parameters take it.
fn date_days(text: &str, end: bool, position: usize) -> Result<Option<i64>> {
    if text == "*" {
        return Ok(None);
    }
    crate::dates::parse_date_param("q", text, end)
        .map(Some)
        .map_err(|_| {
            syntax(format!(
                "invalid date {text:?} at position {position}: use YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        })
}

/// Gives every unscoped word and phrase of `node` the scope `scope`.
fn apply_scope(node: Node, scope: Scope) -> Node {
    if scope == Scope::Any {
        return node;
    }
    match node {
        Node::Word {
            scope: Scope::Any,
            text,
            modifier,
            position,
        } => Node::Word {
            scope,
            text,
            modifier,
            position,
        },
        Node::Phrase {
            scope: Scope::Any,
            text,
            slop,
        } => Node::Phrase { scope, text, slop },
        Node::And(items) => Node::And(items.into_iter().map(|n| apply_scope(n, scope)).collect()),
        Node::Or(items) => Node::Or(items.into_iter().map(|n| apply_scope(n, scope)).collect()),
        Node::Not(inner) => Node::Not(Box::new(apply_scope(*inner, scope))),
        other => other,
    }
}

/// The analysed terms of a text, one per position (the first token at each position).
fn terms_by_position(text: &str, mode: AnalysisMode) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut last_position = usize::MAX;
    for token in analyze(text, mode) {
        if token.position == last_position {
            continue;
        }
        last_position = token.position;
        terms.push(token.text);
    }
    terms
}

fn boxed_boost(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// A term query, or a phrase query for several terms, on one field.
fn term_or_phrase(field: Field, terms: &[String], slop: u32) -> Box<dyn Query> {
    match terms {
        [] => Box::new(EmptyQuery),
        [single] => Box::new(TermQuery::new(
            Term::from_field_text(field, single),
            IndexRecordOption::WithFreqs,
        )),
        several => {
            let mut phrase = PhraseQuery::new(
                several
                    .iter()
                    .map(|term| Term::from_field_text(field, term))
                    .collect(),
            );
            phrase.set_slop(slop);
            Box::new(phrase)
        }
    }
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn io_error(error: std::io::Error) -> ApiError {
    ApiError::Internal(format!("term dictionary: {error}"))
}

/// Terms of `field` starting with `prefix`, summed over segments, at most `limit` scanned.
fn terms_with_prefix(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    limit: usize,
) -> Result<BTreeMap<Vec<u8>, u64>> {
    let mut doc_freqs: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(io_error)?;
        let mut scanned = 0usize;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) || scanned >= limit {
                break;
            }
            scanned += 1;
            *doc_freqs.entry(key.to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(doc_freqs)
}

/// Builds tantivy queries from parsed user queries.
pub struct QueryBuilder {
    fields: Fields,
}

impl QueryBuilder {
    /// A builder over the index's fields.
    pub fn new(fields: &Fields) -> QueryBuilder {
        QueryBuilder { fields: *fields }
    }

    /// Validates, parses and builds a user query (prefixes and facet scopes read `searcher`).
    pub fn parse(&self, searcher: &Searcher, user_query: &str) -> Result<Box<dyn Query>> {
        match parse(user_query)? {
            None => Ok(Box::new(EmptyQuery)),
            Some(node) => self.build(searcher, &node),
        }
    }

    /// Turns a node into a tantivy query.
    pub fn build(&self, searcher: &Searcher, node: &Node) -> Result<Box<dyn Query>> {
        match node {
            Node::And(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for item in items {
                    match item {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.build(searcher, inner)?))
                        }
                        other => clauses.push((Occur::Must, self.build(searcher, other)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(items) => {
                let mut alternatives = Vec::new();
                for item in items {
                    alternatives.push(self.build(searcher, item)?);
                }
                Ok(any_of(alternatives))
            }
            Node::Not(inner) => Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.build(searcher, inner)?),
            ]))),
            Node::DateRange(from, to) => {
                let field = self.fields.date_days;
                let lower = from.map_or(Bound::Unbounded, |days| {
                    Bound::Included(Term::from_field_i64(field, days))
                });
                let upper = to.map_or(Bound::Unbounded, |days| {
                    Bound::Included(Term::from_field_i64(field, days))
                });
                Ok(Box::new(ConstScoreQuery::new(
                    Box::new(RangeQuery::new(lower, upper)),
                    0.0,
                )))
            }
            Node::Phrase { scope, text, slop } => self.phrase(searcher, *scope, text, *slop),
            Node::Word {
                scope,
                text,
                modifier,
                ..
            } => match modifier {
                Modifier::None => self.word(searcher, *scope, text),
                Modifier::Prefix => self.prefix(searcher, *scope, text),
                Modifier::Fuzzy(distance) => Ok(self.fuzzy(*scope, text, *distance)),
            },
        }
    }

    /// A plain word in a scope.
    fn word(&self, searcher: &Searcher, scope: Scope, text: &str) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let exact = terms_by_position(text, AnalysisMode::Exact);
        let stemmed = terms_by_position(text, AnalysisMode::Stemmed);
        if text == "*" {
            return Ok(Box::new(AllQuery));
        }
        match scope {
            Scope::Facet(name) => return self.facet(searcher, name, text),
            Scope::Title => {
                return Ok(any_of(vec![
                    boxed_boost(term_or_phrase(f.title, &stemmed, 0), BOOST_TITLE),
                    boxed_boost(term_or_phrase(f.title_exact, &exact, 0), BOOST_TITLE_EXACT),
                ]))
            }
            Scope::Id => return Ok(self.identifier(text, &exact)),
            Scope::Text | Scope::Any | Scope::Date => {}
        }
        let mut alternatives = vec![
            boxed_boost(term_or_phrase(f.text, &stemmed, 0), BOOST_TEXT),
            boxed_boost(term_or_phrase(f.text_exact, &exact, 0), BOOST_TEXT_EXACT),
        ];
        if let [single] = stemmed.as_slice() {
            alternatives.push(boxed_boost(
                term_or_phrase(f.text_parts, std::slice::from_ref(single), 0),
                BOOST_TEXT_PARTS,
            ));
        }
        if scope == Scope::Any {
            alternatives.push(boxed_boost(
                term_or_phrase(f.title, &stemmed, 0),
                BOOST_TITLE,
            ));
            alternatives.push(boxed_boost(
                term_or_phrase(f.title_exact, &exact, 0),
                BOOST_TITLE_EXACT,
            ));
            alternatives.push(self.identifier(text, &exact));
            if text.contains('.') && text.chars().any(|c| c.is_ascii_digit()) {
                if let Some(code) = woo_core::woo::normalise_ground(text) {
                    alternatives.push(Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.ground, &code),
                            IndexRecordOption::Basic,
                        )),
                        SCORE_GROUND_CODE,
                    )));
                }
            }
        }
        Ok(any_of(alternatives))
    }

    /// Identifier matches: the analysed identifiers field, and the whole document or
    /// publication id as typed (which puts that document first).
    fn identifier(&self, text: &str, exact: &[String]) -> Box<dyn Query> {
        let f = &self.fields;
        let mut alternatives = vec![boxed_boost(
            term_or_phrase(f.identifiers, exact, 0),
            BOOST_IDENTIFIERS,
        )];
        for field in [f.doc_id, f.publication_id] {
            alternatives.push(Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                )),
                SCORE_WHOLE_ID,
            )));
        }
        any_of(alternatives)
    }

    /// A phrase: only the unstemmed fields.
    fn phrase(
        &self,
        searcher: &Searcher,
        scope: Scope,
        text: &str,
        slop: u32,
    ) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let exact = terms_by_position(text, AnalysisMode::Exact);
        if exact.len() > MAX_QUERY_CLAUSES {
            return Err(ApiError::QueryTooComplex(format!(
                "a phrase of more than {MAX_QUERY_CLAUSES} words"
            )));
        }
        let query = match scope {
            Scope::Facet(name) => return self.facet(searcher, name, text),
            Scope::Title => term_or_phrase(f.title_exact, &exact, slop),
            Scope::Text => term_or_phrase(f.text_exact, &exact, slop),
            Scope::Id => self.identifier(text, &exact),
            Scope::Any | Scope::Date => any_of(vec![
                boxed_boost(term_or_phrase(f.text_exact, &exact, slop), BOOST_TEXT_EXACT),
                boxed_boost(
                    term_or_phrase(f.title_exact, &exact, slop),
                    BOOST_TITLE_EXACT,
                ),
                boxed_boost(
                    term_or_phrase(f.identifiers, &exact, slop),
                    BOOST_IDENTIFIERS,
                ),
            ]),
        };
        Ok(query)
    }

    /// The fields a prefix or fuzzy word searches in a scope.
    fn expansion_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = &self.fields;
        match scope {
            Scope::Title => vec![(f.title_exact, BOOST_TITLE_EXACT)],
            Scope::Text => vec![(f.text_exact, BOOST_TEXT_EXACT)],
            Scope::Id => vec![(f.identifiers, BOOST_IDENTIFIERS)],
            _ => vec![
                (f.text_exact, BOOST_TEXT_EXACT),
                (f.title_exact, BOOST_TITLE_EXACT),
                (f.identifiers, BOOST_IDENTIFIERS),
            ],
        }
    }

    /// `prefix*`: the most frequent completions, per field.
    fn prefix(&self, searcher: &Searcher, scope: Scope, text: &str) -> Result<Box<dyn Query>> {
        if let Scope::Facet(name) = scope {
            return self.facet(searcher, name, text);
        }
        let prefix = fold(text);
        let mut alternatives = Vec::new();
        for (field, boost) in self.expansion_fields(scope) {
            let doc_freqs = terms_with_prefix(searcher, field, &prefix, MAX_TERMS_SCANNED)?;
            let mut by_frequency: Vec<(Vec<u8>, u64)> = doc_freqs.into_iter().collect();
            by_frequency.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            by_frequency.truncate(MAX_PREFIX_EXPANSIONS);
            for (term, _) in by_frequency {
                let term_text = String::from_utf8_lossy(&term);
                alternatives.push(boxed_boost(
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &term_text),
                        IndexRecordOption::WithFreqs,
                    )),
                    boost,
                ));
            }
        }
        Ok(any_of(alternatives))
    }

    /// `word~N`: Levenshtein automaton on the unstemmed fields.
    fn fuzzy(&self, scope: Scope, text: &str, distance: u8) -> Box<dyn Query> {
        let folded = fold(text);
        let mut alternatives = Vec::new();
        for (field, boost) in self.expansion_fields(scope) {
            alternatives.push(boxed_boost(
                Box::new(FuzzyTermQuery::new(
                    Term::from_field_text(field, &folded),
                    distance,
                    true,
                )),
                boost,
            ));
        }
        any_of(alternatives)
    }

    /// A facet scope: the values of the facet that equal the text or contain all its words
    /// (`publisher:utrecht` finds `Gemeente Utrecht`), scoring nothing.
    fn facet(&self, searcher: &Searcher, name: &str, text: &str) -> Result<Box<dyn Query>> {
        let field = searcher.schema().get_field(name)?;
        let wanted = if name == "ground" {
            woo_core::woo::normalise_ground(text).unwrap_or_else(|| fold(text))
        } else {
            fold(text)
        };
        let wanted_words: Vec<&str> = wanted
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .collect();
        let values = terms_with_prefix(searcher, field, "", MAX_TERMS_SCANNED)?;
        let mut matches = Vec::new();
        for value in values.keys() {
            let value_text = String::from_utf8_lossy(value);
            let folded_value = fold(&value_text);
            let value_words: Vec<&str> =
                folded_value.split(|c: char| !c.is_alphanumeric()).collect();
            let contains_all = !wanted_words.is_empty()
                && wanted_words.iter().all(|word| value_words.contains(word));
            if folded_value == wanted || contains_all {
                matches.push(Box::new(TermQuery::new(
                    Term::from_field_text(field, &value_text),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>);
                if matches.len() == MAX_FACET_MATCHES {
                    break;
                }
            }
        }
        if matches.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        Ok(Box::new(ConstScoreQuery::new(any_of(matches), 0.0)))
    }

    /// "Bedoelde u …?": the query with every rare plain word replaced by the most frequent
    /// indexed word within edit distance 1 (2 for words of 6 letters or more), or `None`
    /// when nothing better is known.
    pub fn suggest(&self, searcher: &Searcher, user_query: &str) -> Option<String> {
        let tokens = lex(user_query).ok()?;
        let mut suggestion = String::with_capacity(user_query.len());
        let mut copied_to = 0usize;
        let mut changed = false;
        let mut previous_was_scope = false;
        let mut looked_up = 0usize;
        for token in &tokens {
            let after_scope = previous_was_scope;
            previous_was_scope = matches!(token.kind, TokenKind::Scope(_));
            let TokenKind::Word(word, Modifier::None) = &token.kind else {
                continue;
            };
            if after_scope || !word.chars().all(char::is_alphabetic) {
                continue;
            }
            let folded = fold(word);
            if folded.chars().count() < 4 || looked_up == MAX_SUGGESTED_WORDS {
                continue;
            }
            looked_up += 1;
            let Some(replacement) = self.better_word(searcher, &folded) else {
                continue;
            };
            suggestion.push_str(&user_query[copied_to..token.start]);
            suggestion.push_str(&replacement);
            copied_to = token.end;
            changed = true;
        }
        if !changed {
            return None;
        }
        suggestion.push_str(&user_query[copied_to..]);
        Some(suggestion)
    }

    /// The indexed word closest to a rare `folded` word, if one is clearly more frequent.
    fn better_word(&self, searcher: &Searcher, folded: &str) -> Option<String> {
        let field = self.fields.text_exact;
        let own_frequency = searcher
            .doc_freq(&Term::from_field_text(field, folded))
            .unwrap_or(0);
        if own_frequency >= 3 {
            return None;
        }
        let max_distance = if folded.chars().count() < 6 { 1 } else { 2 };
        let first: String = folded.chars().take(1).collect();
        let candidates = terms_with_prefix(searcher, field, &first, MAX_TERMS_SCANNED * 5).ok()?;
        let wanted: Vec<char> = folded.chars().collect();
        let mut best: Option<(usize, u64, String)> = None;
        for (term, frequency) in candidates {
            if frequency <= own_frequency.max(1) {
                continue;
            }
            let Ok(term_text) = String::from_utf8(term) else {
                continue;
            };
            let candidate: Vec<char> = term_text.chars().collect();
            if candidate.len().abs_diff(wanted.len()) > max_distance
                || !candidate.iter().all(|c| c.is_alphabetic())
            {
                continue;
            }
            let distance = edit_distance(&wanted, &candidate);
            if distance == 0 || distance > max_distance {
                continue;
            }
            let better = match &best {
                None => true,
                Some((best_distance, best_frequency, _)) => {
                    (distance, std::cmp::Reverse(frequency))
                        < (*best_distance, std::cmp::Reverse(*best_frequency))
                }
            };
            if better {
                best = Some((distance, frequency, term_text));
            }
        }
        best.map(|(_, _, word)| word)
    }
}

/// Levenshtein distance with adjacent transpositions counted as one edit (optimal string
/// alignment; words are short).
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    edit_distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The edit distance of `a` and `b` (as [`edit_distance`]) when it is at most `limit`, else
/// `None`; a row of the dynamic programme whose every value is over `limit` ends it early (a
/// row's lowest value never decreases from one row to the next). The one implementation of
/// the edit distance: suggestions ([`edit_distance`]) and the highlighting of fuzzy words use
/// it.
pub fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    // Rows of the dynamic programme: the one before the previous one (for transpositions),
    // the previous one, and the current one.
    let mut before_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_previous[j - 2] + 1);
            }
            current[j] = best;
        }
        if current.iter().min().is_some_and(|&lowest| lowest > limit) {
            return None;
        }
        before_previous = previous;
        previous = current;
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(query: &str) -> &'static str {
        match parse(query) {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
    }

    fn word(scope: Scope, text: &str, modifier: Modifier, position: usize) -> Node {
        Node::Word {
            scope,
            text: text.to_string(),
            modifier,
            position,
        }
    }

    fn parsed(query: &str) -> Node {
        parse(query).unwrap().unwrap()
    }

    #[test]
    fn limits_are_enforced_before_parsing() {
        assert_eq!(code(&"a".repeat(1001)), "query_too_long");
        assert_eq!(
            code(&format!("{}x{}", "(".repeat(9), ")".repeat(9))),
            "query_too_complex"
        );
        assert_eq!(code(&"(".repeat(20_000)), "query_too_long");
        let many_terms: Vec<String> = (0..33).map(|n| format!("w{n}")).collect();
        assert_eq!(code(&many_terms.join(" ")), "query_too_complex");
        assert_eq!(code(&"(x)".repeat(8)), "ok");
        assert_eq!(code("abc* abd* abe* abf* abg*"), "query_too_complex");
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let error = parse("title:(a").unwrap_err();
        assert_eq!(error.code(), "query_syntax");
        assert!(error.to_string().contains("position 7"), "{error}");
        assert_eq!(code("\"abc"), "query_syntax");
        assert_eq!(code("a)"), "query_syntax");
        let dangling = parse("mondkapjes OR").unwrap_err();
        assert!(dangling.to_string().contains("position 14"), "{dangling}");
        let empty_group = parse("a ()").unwrap_err();
        assert!(
            empty_group.to_string().contains("position 4"),
            "{empty_group}"
        );
        assert_eq!(code("date:2021-13"), "query_syntax");
        assert_eq!(code("date:[2021-01-01 2021-06-30]"), "query_syntax");
        assert_eq!(code("date:[2021-06-01 TO 2021-01-01]"), "query_syntax");
        assert_eq!(code("title:"), "query_syntax");
        assert_eq!(code("a ] b"), "query_syntax");
    }

    #[test]
    fn regex_fuzzy_wildcards_and_unknown_fields_are_bounded() {
        assert_eq!(code("/.*/"), "unsupported_syntax");
        assert_eq!(code("jansen~3"), "unsupported_syntax");
        assert_eq!(code("jansen~99999999999"), "unsupported_syntax");
        assert_eq!(code("\"a b\"~99"), "unsupported_syntax");
        assert_eq!(code("*a*"), "unsupported_syntax");
        assert_eq!(code("ab*"), "unsupported_syntax");
        assert_eq!(code("a*b"), "unsupported_syntax");
        assert_eq!(code("abc~"), "unsupported_syntax");
        assert_eq!(code("interne_notitie:x"), "unknown_field");
        assert_eq!(code("meta:x"), "unknown_field");
        assert_eq!(code("zie https://open.overheid.nl"), "ok");
    }

    #[test]
    fn words_default_to_and_with_or_not_and_groups() {
        assert_eq!(
            parsed("mondkapjes deal"),
            Node::And(vec![
                word(Scope::Any, "mondkapjes", Modifier::None, 1),
                word(Scope::Any, "deal", Modifier::None, 12),
            ])
        );
        assert_eq!(
            parsed("a OR b -c"),
            Node::Or(vec![
                word(Scope::Any, "a", Modifier::None, 1),
                Node::And(vec![
                    word(Scope::Any, "b", Modifier::None, 6),
                    Node::Not(Box::new(word(Scope::Any, "c", Modifier::None, 9))),
                ]),
            ])
        );
        assert_eq!(
            parsed("NOT a"),
            Node::And(vec![Node::Not(Box::new(word(
                Scope::Any,
                "a",
                Modifier::None,
                5
            )))])
        );
        assert_eq!(
            parsed("(a OR b) AND c"),
            Node::And(vec![
                Node::Or(vec![
                    word(Scope::Any, "a", Modifier::None, 2),
                    word(Scope::Any, "b", Modifier::None, 7),
                ]),
                word(Scope::Any, "c", Modifier::None, 14),
            ])
        );
        assert_eq!(
            parsed("Woo-verzoek"),
            word(Scope::Any, "Woo-verzoek", Modifier::None, 1)
        );
    }

    #[test]
    fn phrases_prefixes_and_fuzzy_words() {
        assert_eq!(
            parsed("\"financiële afspraken\"~5"),
            Node::Phrase {
                scope: Scope::Any,
                text: "financiële afspraken".to_string(),
                slop: 5
            }
        );
        assert_eq!(
            parsed("verzoek*"),
            word(Scope::Any, "verzoek", Modifier::Prefix, 1)
        );
        assert_eq!(
            parsed("jansen~"),
            word(Scope::Any, "jansen", Modifier::Fuzzy(2), 1)
        );
        assert_eq!(
            parsed("jansen~1"),
            word(Scope::Any, "jansen", Modifier::Fuzzy(1), 1)
        );
        // Short words get distance 1 at most.
        assert_eq!(
            parsed("klok~2"),
            word(Scope::Any, "klok", Modifier::Fuzzy(1), 1)
        );
    }

    #[test]
    fn field_scopes_and_dates() {
        assert_eq!(
            parsed("title:besluit"),
            word(Scope::Title, "besluit", Modifier::None, 7)
        );
        assert_eq!(
            parsed("publisher:(utrecht OR amersfoort)"),
            Node::Or(vec![
                word(Scope::Facet("publisher"), "utrecht", Modifier::None, 12),
                word(Scope::Facet("publisher"), "amersfoort", Modifier::None, 23),
            ])
        );
        assert_eq!(
            parsed("ground:5.1.2e"),
            word(Scope::Facet("ground"), "5.1.2e", Modifier::None, 8)
        );
        assert_eq!(
            parsed("id:0001"),
            word(Scope::Id, "0001", Modifier::None, 4)
        );
        let march = parsed("date:2021-03");
        let Node::DateRange(Some(from), Some(to)) = march else {
            panic!("{march:?}")
        };
        assert_eq!(to - from, 30);
        assert!(matches!(
            parsed("date:[2021-01-01 TO *]"),
            Node::DateRange(Some(_), None)
        ));
        assert!(matches!(
            parsed("date:[2021-01-01 TO 2021-06-30]"),
            Node::DateRange(Some(_), Some(_))
        ));
    }

    #[test]
    fn empty_queries_parse_to_nothing() {
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let chars = |text: &str| text.chars().collect::<Vec<char>>();
        assert_eq!(edit_distance(&chars("mondkapjes"), &chars("mondkapjse")), 1);
        assert_eq!(edit_distance(&chars("subsidie"), &chars("subsdie")), 1);
        assert_eq!(edit_distance(&chars("klacht"), &chars("kl4cht")), 1);
        assert_eq!(edit_distance(&chars("abc"), &chars("xyz")), 3);
    }

    proptest::proptest! {
        #[test]
        fn any_query_parses_or_fails_cleanly(query in "[a-z0-9 ()\"*~:\\-\\[\\]ORNTA]{0,80}") {
            let _ = parse(&query);
        }
    }
}
