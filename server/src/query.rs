//! User query text -> a validated tantivy query.
//!
//! Before tantivy's parser sees a query, [`prescan`] enforces the limits of
//! ../shared/RELIABILITY.md §3.5 (length, nesting, clause count, no regexes, no large fuzzy
//! distances, public field scopes only) and rewrites the public field names to schema fields
//! (`id:` -> `identifiers:`). Then [`QueryBuilder::parse`] parses with AND as the default
//! operator over the title, text and identifier fields, with boosts: identifiers and exact
//! (unstemmed) matches rank above stemmed ones, title above body.

use tantivy::query::{Query, QueryParser};
use tantivy::Index;
use woo_indexer::schema::Fields;

use crate::error::{ApiError, Result};

/// Longest accepted query, in bytes.
pub const MAX_QUERY_BYTES: usize = 1_000;
/// Deepest accepted bracket nesting.
pub const MAX_QUERY_DEPTH: usize = 8;
/// Most accepted terms and operators.
pub const MAX_QUERY_CLAUSES: usize = 32;
/// Largest phrase slop (`"a b"~N`).
pub const MAX_PHRASE_SLOP: u32 = 20;

/// Public field scopes and the schema field each maps to.
const FIELD_SCOPES: &[(&str, &str)] = &[
    ("title", "title"),
    ("text", "text"),
    ("publisher", "publisher"),
    ("category", "category"),
    ("type", "type"),
    ("ground", "ground"),
    ("judgement", "judgement"),
    ("language", "language"),
    ("year", "year"),
    ("id", "identifiers"),
    ("source", "text_source"),
];

/// Checks the limits and rewrites field scopes. Returns the query text for tantivy.
pub fn prescan(query: &str) -> Result<String> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::QueryTooLong {
            limit: MAX_QUERY_BYTES,
        });
    }
    let characters: Vec<(usize, char)> = query.char_indices().collect();
    let mut rewritten = String::with_capacity(query.len() + 16);
    let mut depth = 0usize;
    let mut open_positions: Vec<usize> = Vec::new();
    let mut in_quotes = false;
    let mut quote_start = 0usize;
    let mut clauses = 0usize;
    let mut at_token_start = true;
    let mut index = 0usize;
    while index < characters.len() {
        let (offset, character) = characters[index];
        if in_quotes {
            rewritten.push(character);
            if character == '"' {
                in_quotes = false;
                index += 1;
                check_slop(&characters, &mut index, &mut rewritten)?;
                continue;
            }
            index += 1;
            continue;
        }
        match character {
            '"' => {
                in_quotes = true;
                quote_start = offset;
                clauses += 1;
                rewritten.push(character);
                at_token_start = false;
            }
            '(' | '[' | '{' => {
                depth += 1;
                open_positions.push(offset);
                if depth > MAX_QUERY_DEPTH {
                    return Err(ApiError::QueryTooComplex(format!(
                        "brackets nest deeper than {MAX_QUERY_DEPTH} levels at position {}",
                        offset + 1
                    )));
                }
                rewritten.push(character);
                at_token_start = true;
            }
            ')' | ']' | '}' => {
                if depth == 0 {
                    return Err(ApiError::QuerySyntax(format!(
                        "unbalanced {character:?} at position {}",
                        offset + 1
                    )));
                }
                depth -= 1;
                open_positions.pop();
                rewritten.push(character);
                at_token_start = false;
            }
            '/' if at_token_start => {
                return Err(ApiError::UnsupportedSyntax(format!(
                    "regular expressions are not supported (position {})",
                    offset + 1
                )));
            }
            '~' => {
                return Err(ApiError::UnsupportedSyntax(format!(
                    "'~' is only supported after a phrase, as in \"words near\"~5 (position {})",
                    offset + 1
                )));
            }
            character if character.is_whitespace() => {
                rewritten.push(character);
                at_token_start = true;
            }
            _ => {
                if at_token_start {
                    let token_start = index;
                    let scope_end = scan_field_scope(&characters, token_start);
                    if let Some(scope_end) = scope_end {
                        let name: String = characters[token_start..scope_end]
                            .iter()
                            .map(|&(_, c)| c)
                            .collect();
                        let Some(&(_, schema_field)) =
                            FIELD_SCOPES.iter().find(|(public, _)| *public == name)
                        else {
                            return Err(ApiError::UnknownField(name));
                        };
                        rewritten.push_str(schema_field);
                        rewritten.push(':');
                        index = scope_end + 1;
                        at_token_start = true;
                        continue;
                    }
                    if !matches!(character, '-' | '+') {
                        clauses += 1;
                    }
                }
                rewritten.push(character);
                at_token_start = matches!(character, '-' | '+');
            }
        }
        if clauses > MAX_QUERY_CLAUSES {
            return Err(ApiError::QueryTooComplex(format!(
                "more than {MAX_QUERY_CLAUSES} terms and operators"
            )));
        }
        index += 1;
    }
    if in_quotes {
        return Err(ApiError::QuerySyntax(format!(
            "unclosed '\"' at position {}",
            quote_start + 1
        )));
    }
    if let Some(position) = open_positions.last() {
        return Err(ApiError::QuerySyntax(format!(
            "unclosed bracket at position {}",
            position + 1
        )));
    }
    Ok(rewritten)
}

/// After a closing quote: accepts `~N` with N ≤ [`MAX_PHRASE_SLOP`], copying it.
fn check_slop(characters: &[(usize, char)], index: &mut usize, out: &mut String) -> Result<()> {
    let Some(&(offset, '~')) = characters.get(*index) else {
        return Ok(());
    };
    let mut digits = String::new();
    let mut cursor = *index + 1;
    while let Some(&(_, digit)) = characters.get(cursor) {
        if !digit.is_ascii_digit() {
            break;
        }
        digits.push(digit);
        cursor += 1;
    }
    let slop: u32 = digits.parse().map_err(|_| {
        ApiError::QuerySyntax(format!(
            "'~' after a phrase needs a number, as in \"a b\"~5 (position {})",
            offset + 1
        ))
    })?;
    if slop > MAX_PHRASE_SLOP {
        return Err(ApiError::UnsupportedSyntax(format!(
            "phrase distance {slop} is larger than {MAX_PHRASE_SLOP}"
        )));
    }
    out.push('~');
    out.push_str(&digits);
    *index = cursor;
    Ok(())
}

/// If a field scope `name:` starts at `start`, returns the index of the ':'.
fn scan_field_scope(characters: &[(usize, char)], start: usize) -> Option<usize> {
    let mut cursor = start;
    while let Some(&(_, character)) = characters.get(cursor) {
        if character.is_ascii_alphabetic() || character == '_' {
            cursor += 1;
            continue;
        }
        break;
    }
    if cursor == start {
        return None;
    }
    let (_, colon) = characters.get(cursor)?;
    if *colon != ':' {
        return None;
    }
    // `https://...` is text, not a field scope.
    if let Some(&(_, '/')) = characters.get(cursor + 1) {
        return None;
    }
    Some(cursor)
}

/// Parses prescanned queries against the index's fields.
pub struct QueryBuilder {
    parser: QueryParser,
}

impl QueryBuilder {
    /// A parser over the default search fields with their boosts.
    pub fn new(index: &Index, fields: &Fields) -> QueryBuilder {
        let mut parser = QueryParser::for_index(
            index,
            vec![
                fields.title,
                fields.title_exact,
                fields.text,
                fields.text_exact,
                fields.identifiers,
            ],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.0);
        parser.set_field_boost(fields.title_exact, 2.5);
        parser.set_field_boost(fields.text, 1.0);
        parser.set_field_boost(fields.text_exact, 1.3);
        parser.set_field_boost(fields.identifiers, 6.0);
        QueryBuilder { parser }
    }

    /// Validates and parses a user query.
    pub fn parse(&self, user_query: &str) -> Result<Box<dyn Query>> {
        let rewritten = prescan(user_query)?;
        self.parser
            .parse_query(&rewritten)
            .map_err(|error| ApiError::QuerySyntax(format!("cannot parse the query: {error}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(query: &str) -> &'static str {
        match prescan(query) {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
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
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let error = prescan("title:(a").unwrap_err();
        assert_eq!(error.code(), "query_syntax");
        assert!(error.to_string().contains("position 7"), "{error}");
        assert_eq!(code("\"abc"), "query_syntax");
        assert_eq!(code("a)"), "query_syntax");
    }

    #[test]
    fn regex_fuzzy_and_unknown_fields_are_refused() {
        assert_eq!(code("/.*/"), "unsupported_syntax");
        assert_eq!(code("jansen~3"), "unsupported_syntax");
        assert_eq!(code("\"a b\"~99"), "unsupported_syntax");
        assert_eq!(code("interne_notitie:x"), "unknown_field");
        assert_eq!(code("meta:x"), "unknown_field");
    }

    #[test]
    fn public_scopes_are_rewritten() {
        assert_eq!(
            prescan("id:0001 title:besluit").unwrap(),
            "identifiers:0001 title:besluit"
        );
        assert_eq!(prescan("\"a b\"~5").unwrap(), "\"a b\"~5");
        assert_eq!(
            prescan("zie https://open.overheid.nl").unwrap(),
            "zie https://open.overheid.nl"
        );
        assert_eq!(prescan("a -b").unwrap(), "a -b");
    }
}
