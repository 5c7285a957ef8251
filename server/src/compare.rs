//! Redaction differences of two documents (`GET /api/documents/{a}/compare/{b}`): their page
//! texts aligned word by word (Myers diff, `similar`), and every span that one of them redacts
//! — a refusal-ground stamp (`5.1.2e`), a redaction mark (`█████`), or words left out where a
//! redaction box was drawn — while the other shows the words.
//!
//! Input is what the index holds of each page (visible text only: words under a failed
//! redaction were never indexed), so a comparison never shows more than either document shows.

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// Words of a difference shown at most (a longer run is cut with `…`).
const MAX_SPAN_WORDS: usize = 60;
/// A run of words only one side has counts as a redaction box when it is at most this long;
/// longer runs are text that one document simply does not have.
const MAX_BOX_WORDS: usize = 12;

/// One word of a document and the page it is on.
#[derive(Debug, Clone)]
struct PageWord {
    text: String,
    folded: String,
    page: u32,
}

/// Which of the two documents a span belongs to.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The first document (`a`).
    First,
    /// The second document (`b`).
    Second,
}

/// A passage one document redacts and the other discloses.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RedactionDifference {
    /// The document that redacts it.
    pub redacted_in: Side,
    /// The page of the redacting document.
    pub redacted_page: u32,
    /// The page of the disclosing document.
    pub disclosed_page: u32,
    /// The words the other document shows.
    pub disclosed_text: String,
    /// What stands in their place: the stamp or mark, or empty for a box that left no text.
    pub redaction: String,
    /// Refusal grounds of the stamps in the redaction, canonical codes.
    pub grounds: Vec<String>,
}

/// One aligned stretch of the two texts, for the HTML page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlignedSpan {
    /// `equal`, `redacted_in_first`, `redacted_in_second` or `different`.
    pub kind: &'static str,
    /// The first document's words of the stretch.
    pub first: String,
    /// The second document's words of the stretch.
    pub second: String,
}

/// The comparison of two documents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    /// Words both show, in the same order.
    pub equal_words: usize,
    /// Words only the first shows (or shows differently).
    pub first_only_words: usize,
    /// Words only the second shows (or shows differently).
    pub second_only_words: usize,
    /// Passages one redacts and the other discloses, in the first document's order.
    pub redaction_differences: Vec<RedactionDifference>,
    /// Grounds stamped in passages the first redacts and the second does not.
    pub first_grounds: Vec<String>,
    /// Grounds stamped in passages the second redacts and the first does not.
    pub second_grounds: Vec<String>,
    /// The aligned texts.
    pub spans: Vec<AlignedSpan>,
}

fn page_words(pages: &[(u32, String)]) -> Vec<PageWord> {
    let mut words = Vec::new();
    for (page, text) in pages {
        for word in text.split_whitespace() {
            let trimmed =
                word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"'));
            let folded = woo_core::analysis::fold(trimmed.trim_end_matches('.'));
            words.push(PageWord {
                text: word.to_string(),
                folded,
                page: *page,
            });
        }
    }
    words
}

fn is_mark(word: &PageWord) -> bool {
    woo_core::similarity::is_redaction_mark(
        word.text
            .trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')')),
    )
}

fn joined(words: &[PageWord]) -> String {
    let mut text: Vec<&str> = words
        .iter()
        .take(MAX_SPAN_WORDS)
        .map(|word| word.text.as_str())
        .collect();
    if words.len() > MAX_SPAN_WORDS {
        text.push("…");
    }
    text.join(" ")
}

fn grounds_of(words: &[PageWord]) -> Vec<String> {
    let mut grounds: Vec<String> = Vec::new();
    for word in words {
        let code = word.text.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some(ground) = woo_core::woo::normalise_ground(code) {
            if !grounds.contains(&ground) {
                grounds.push(ground);
            }
        }
    }
    grounds
}

/// Whether a stretch is a redaction of the other side's words: only marks, or nothing (a box)
/// against a short run of words that are not marks themselves.
fn redacts(redacting: &[PageWord], disclosing: &[PageWord]) -> bool {
    let disclosing_has_words = disclosing.iter().any(|word| !is_mark(word));
    if !disclosing_has_words {
        return false;
    }
    if redacting.is_empty() {
        return disclosing.len() <= MAX_BOX_WORDS;
    }
    redacting.iter().all(is_mark)
}

/// Compares two documents given as (page number, page text) lists.
pub fn compare_documents(first: &[(u32, String)], second: &[(u32, String)]) -> Comparison {
    let first_words = page_words(first);
    let second_words = page_words(second);
    let first_keys: Vec<&str> = first_words
        .iter()
        .map(|word| word.folded.as_str())
        .collect();
    let second_keys: Vec<&str> = second_words
        .iter()
        .map(|word| word.folded.as_str())
        .collect();
    let operations = capture_diff_slices(Algorithm::Myers, &first_keys, &second_keys);
    let mut comparison = Comparison {
        equal_words: 0,
        first_only_words: 0,
        second_only_words: 0,
        redaction_differences: Vec::new(),
        first_grounds: Vec::new(),
        second_grounds: Vec::new(),
        spans: Vec::new(),
    };
    for operation in operations {
        let (first_range, second_range) = match operation {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index..old_index + len, new_index..new_index + len),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index..old_index + old_len, new_index..new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index..old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        let anchors = (
            anchor_page(&first_words, first_range.start),
            anchor_page(&second_words, second_range.start),
        );
        let first_part = &first_words[first_range];
        let second_part = &second_words[second_range];
        if matches!(operation, DiffOp::Equal { .. }) {
            comparison.equal_words += first_part.len();
            comparison.spans.push(AlignedSpan {
                kind: "equal",
                first: joined(first_part),
                second: joined(second_part),
            });
            continue;
        }
        comparison.first_only_words += first_part.len();
        comparison.second_only_words += second_part.len();
        add_difference(&mut comparison, first_part, second_part, anchors);
    }
    comparison
}

/// The page of the word at `start` (where a stretch begins), or of the word before it when
/// the stretch is empty at the end of the text.
fn anchor_page(words: &[PageWord], start: usize) -> u32 {
    words
        .get(start)
        .or_else(|| start.checked_sub(1).and_then(|before| words.get(before)))
        .map_or(1, |word| word.page)
}

fn add_difference(
    comparison: &mut Comparison,
    first_part: &[PageWord],
    second_part: &[PageWord],
    (first_page, second_page): (u32, u32),
) {
    let kind = if redacts(first_part, second_part) {
        "redacted_in_first"
    } else if redacts(second_part, first_part) {
        "redacted_in_second"
    } else {
        "different"
    };
    comparison.spans.push(AlignedSpan {
        kind,
        first: joined(first_part),
        second: joined(second_part),
    });
    let (redacted_in, redacting, disclosing, redacted_page, disclosed_page) = match kind {
        "redacted_in_first" => (
            Side::First,
            first_part,
            second_part,
            first_page,
            second_page,
        ),
        "redacted_in_second" => (
            Side::Second,
            second_part,
            first_part,
            second_page,
            first_page,
        ),
        _ => return,
    };
    let grounds = grounds_of(redacting);
    let side_grounds = match redacted_in {
        Side::First => &mut comparison.first_grounds,
        Side::Second => &mut comparison.second_grounds,
    };
    for ground in &grounds {
        if !side_grounds.contains(ground) {
            side_grounds.push(ground.clone());
        }
    }
    comparison.redaction_differences.push(RedactionDifference {
        redacted_in,
        redacted_page,
        disclosed_page,
        disclosed_text: joined(disclosing),
        redaction: joined(redacting),
        grounds,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_boxes_on_either_side_are_listed_with_their_grounds() {
        let first = vec![(
            1,
            "Op cel 10.2.e zaten de heer Jansen en de heer Pietersen. De directeur Bakker was er."
                .to_string(),
        )];
        let second = vec![
            (
                1,
                "Op cel 14 zaten de heer 5.1.2e en de heer Pietersen.".to_string(),
            ),
            (2, "De directeur was er.".to_string()),
        ];
        let comparison = compare_documents(&first, &second);
        let differences = &comparison.redaction_differences;
        assert_eq!(differences.len(), 3, "{differences:#?}");
        assert_eq!(differences[0].redacted_in, Side::First);
        assert_eq!(differences[0].disclosed_text, "14");
        assert_eq!(differences[0].grounds, ["5.1.2e"]);
        assert_eq!(differences[1].redacted_in, Side::Second);
        assert_eq!(differences[1].disclosed_text, "Jansen");
        assert_eq!(differences[2].redacted_in, Side::Second);
        assert_eq!(differences[2].disclosed_text, "Bakker");
        assert_eq!(differences[2].redaction, "");
        assert_eq!(differences[2].redacted_page, 2);
        assert_eq!(comparison.first_grounds, ["5.1.2e"]);
        assert_eq!(comparison.second_grounds, ["5.1.2e"]);
        let different = compare_documents(
            &[(1, "een heel ander verhaal over iets".to_string())],
            &[(1, "een geheel andere tekst".to_string())],
        );
        assert!(different.redaction_differences.is_empty());
        assert!(different.spans.iter().any(|span| span.kind == "different"));
    }
}
