//! Positioned characters → page text in reading order.
//!
//! Steps: characters are turned so their baseline runs left to right (per direction), grouped
//! into words in content-stream order (a space or a horizontal gap ends a word), cut into blocks
//! by whitespace (recursive XY-cut: full-width gaps between rows, then gaps between columns),
//! and each block is read line by line, top to bottom. Finally hyphenated line ends are joined.

use std::collections::HashMap;

use super::content::TextChar;

/// A gap wider than this share of the font size between two glyphs separates words.
const WORD_GAP: f32 = 0.15;

/// Baselines closer than this share of the font size belong to the same line.
const SAME_LINE: f32 = 0.5;

/// An empty horizontal band at least this share of the typical font size cuts a block in rows.
const ROW_GAP: f32 = 0.6;

/// An empty vertical band at least this share of the typical font size cuts a block in columns.
const COLUMN_GAP: f32 = 1.2;

/// Recursion bound of the XY-cut.
const MAX_CUT_DEPTH: usize = 40;

/// A word: characters on one baseline without a break, in reading coordinates
/// (`u` along the baseline, `v` up).
#[derive(Debug, Clone)]
struct Word {
    text: String,
    u_start: f32,
    u_end: f32,
    baseline: f32,
    size: f32,
    /// The word was ended by a space character in the content (always a word break).
    space_after: bool,
}

impl Word {
    fn top(&self) -> f32 {
        self.baseline + 0.75 * self.size
    }

    fn bottom(&self) -> f32 {
        self.baseline - 0.2 * self.size
    }
}

/// Lays out a page's characters as text: lines joined by `\n`, hyphenated line ends joined.
pub fn layout_text(chars: &[TextChar]) -> String {
    let mut counts = [0usize; 4];
    for character in chars {
        counts[usize::from(character.direction & 3)] += 1;
    }
    let mut directions: Vec<u8> = (0..4u8)
        .filter(|direction| counts[usize::from(*direction)] > 0)
        .collect();
    directions.sort_by_key(|direction| std::cmp::Reverse(counts[usize::from(*direction)]));

    let mut parts: Vec<String> = Vec::new();
    for direction in directions {
        let words = build_words(chars, direction);
        let text = words_to_text(words);
        if !text.is_empty() {
            parts.push(text);
        }
    }
    join_hyphenated_lines(&parts.join("\n"))
}

/// Whether a page's text may hold an inventory table (a judgement column header, or judgements
/// on many lines), so that its
/// [`table_lines`] are worth keeping.
pub fn may_hold_a_table(text: &str) -> bool {
    let lowered = text.to_lowercase();
    let has_header = [
        "beoordeling",
        "weigeringsgrond",
        "wob-grond",
        "woo-grond",
        "valuation",
    ]
    .iter()
    .any(|word| lowered.contains(word));
    // A page continuing a table has no header, but a judgement on many lines.
    let judgement_lines = lowered
        .lines()
        .filter(|line| line.contains("openbaar"))
        .count();
    has_header || judgement_lines >= 4
}

/// The page's left-to-right text as lines of positioned words, top to bottom (words on one
/// baseline form a line).
pub fn table_lines(chars: &[TextChar]) -> Vec<woo_core::model::TableLine> {
    let mut words = remove_duplicate_words(build_words(chars, 0));
    words.sort_by(|a, b| b.baseline.total_cmp(&a.baseline));
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line)
                if (line[0].baseline - word.baseline).abs()
                    < SAME_LINE * line[0].size.max(word.size).max(0.1) =>
            {
                line.push(word)
            }
            _ => lines.push(vec![word]),
        }
    }
    let mut table = Vec::with_capacity(lines.len());
    for mut line in lines {
        line.sort_by(|a, b| a.u_start.total_cmp(&b.u_start));
        let words = line
            .into_iter()
            .map(|word| woo_core::model::TableWord {
                x: word.u_start,
                x_end: word.u_end,
                size: word.size,
                text: word.text,
            })
            .collect();
        table.push(woo_core::model::TableLine { words });
    }
    table
}

/// Reading coordinates `(u, v)` of a point for text running in `direction`.
fn reading_coordinates(x: f32, y: f32, direction: u8) -> (f32, f32) {
    match direction {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// Groups the characters of one direction into words, in content-stream order.
fn build_words(chars: &[TextChar], direction: u8) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    for character in chars.iter().filter(|c| c.direction & 3 == direction) {
        let (u, v) = reading_coordinates(character.x, character.y, direction);
        if character.character == ' ' {
            if let Some(mut word) = current.take() {
                word.space_after = true;
                words.push(word);
            }
            continue;
        }
        if let Some(word) = &mut current {
            let size = word.size.max(character.size).max(0.1);
            let gap = u - word.u_end;
            let same_baseline = (v - word.baseline).abs() < SAME_LINE * size;
            if same_baseline && gap < WORD_GAP * size && gap > -0.5 * size {
                word.text.push(character.character);
                word.u_end = word.u_end.max(u + character.width);
                word.size = word.size.max(character.size);
                continue;
            }
            if let Some(word) = current.take() {
                words.push(word);
            }
        }
        current = Some(Word {
            text: character.character.to_string(),
            u_start: u,
            u_end: u + character.width,
            baseline: v,
            size: character.size,
            space_after: false,
        });
    }
    if let Some(word) = current {
        words.push(word);
    }
    words
}

/// Cuts the words into blocks and reads each block line by line.
fn words_to_text(words: Vec<Word>) -> String {
    if words.is_empty() {
        return String::new();
    }
    let words = remove_duplicate_words(words);
    let typical_size = median_size(&words);
    let indices: Vec<usize> = (0..words.len()).collect();
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    xy_cut(&words, indices, typical_size, 0, &mut blocks);
    let mut lines_out: Vec<String> = Vec::new();
    for block in blocks {
        read_block(&words, block, &mut lines_out);
    }
    lines_out.join("\n")
}

/// Drops words drawn twice at (nearly) the same spot: fake bold and drop shadows repeat the
/// text with a small offset (the tolerances are pdftotext's: 0.1 em along the line, 0.2 across).
fn remove_duplicate_words(words: Vec<Word>) -> Vec<Word> {
    let mut seen: HashMap<String, Vec<(f32, f32)>> = HashMap::new();
    let mut kept = Vec::with_capacity(words.len());
    for word in words {
        let along = 0.1 * word.size;
        let across = 0.2 * word.size;
        let positions = seen.entry(word.text.clone()).or_default();
        let duplicate = positions
            .iter()
            .any(|(u, v)| (u - word.u_start).abs() < along && (v - word.baseline).abs() < across);
        if duplicate {
            continue;
        }
        positions.push((word.u_start, word.baseline));
        kept.push(word);
    }
    kept
}

/// The median font size of the words (at least 1).
fn median_size(words: &[Word]) -> f32 {
    let mut sizes: Vec<f32> = words.iter().map(|word| word.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes[sizes.len() / 2].max(1.0)
}

/// Recursive XY-cut: splits `indices` at empty full-width rows first, else at empty
/// full-height columns, and appends the leaves to `blocks` in reading order.
fn xy_cut(
    words: &[Word],
    indices: Vec<usize>,
    typical_size: f32,
    depth: usize,
    blocks: &mut Vec<Vec<usize>>,
) {
    if indices.len() <= 1 || depth >= MAX_CUT_DEPTH {
        blocks.push(indices);
        return;
    }
    // Rows: intervals on the v axis, top to bottom.
    let rows = split_by_gaps(
        &indices,
        |index| (-words[index].top(), -words[index].bottom()),
        ROW_GAP * typical_size,
    );
    if rows.len() > 1 {
        for row in rows {
            xy_cut(words, row, typical_size, depth + 1, blocks);
        }
        return;
    }
    if count_lines(words, &indices) >= 2 {
        let columns = split_by_gaps(
            &indices,
            |index| (words[index].u_start, words[index].u_end),
            COLUMN_GAP * typical_size,
        );
        if columns.len() > 1 {
            for column in columns {
                xy_cut(words, column, typical_size, depth + 1, blocks);
            }
            return;
        }
    }
    blocks.push(indices);
}

/// Splits items whose intervals (from `interval`) are separated by an empty gap of at least
/// `min_gap`, in increasing interval order.
fn split_by_gaps(
    indices: &[usize],
    interval: impl Fn(usize) -> (f32, f32),
    min_gap: f32,
) -> Vec<Vec<usize>> {
    let mut spans: Vec<(f32, f32, usize)> = indices
        .iter()
        .map(|&index| {
            let (start, end) = interval(index);
            (start.min(end), start.max(end), index)
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut reach = f32::NEG_INFINITY;
    for (start, end, index) in spans {
        if !current.is_empty() && start - reach >= min_gap {
            groups.push(std::mem::take(&mut current));
        }
        current.push(index);
        reach = reach.max(end);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Number of distinct baselines among the words (at most 2 are counted).
fn count_lines(words: &[Word], indices: &[usize]) -> usize {
    let first = &words[indices[0]];
    let other_line = indices.iter().any(|&index| {
        (words[index].baseline - first.baseline).abs()
            >= SAME_LINE * first.size.max(words[index].size)
    });
    if other_line {
        2
    } else {
        1
    }
}

/// Reads one block: groups words into lines by baseline (top to bottom), words left to right.
fn read_block(words: &[Word], mut block: Vec<usize>, lines_out: &mut Vec<String>) {
    block.sort_by(|&a, &b| words[b].baseline.total_cmp(&words[a].baseline));
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut line_baseline = f32::NAN;
    let mut line_size = 0.0f32;
    for index in block {
        let word = &words[index];
        let tolerance = SAME_LINE * line_size.max(word.size).max(0.1);
        if let Some(line) = lines.last_mut() {
            if (line_baseline - word.baseline).abs() < tolerance {
                line.push(index);
                line_size = line_size.max(word.size);
                continue;
            }
        }
        lines.push(vec![index]);
        line_baseline = word.baseline;
        line_size = word.size;
    }
    for mut line in lines {
        line.sort_by(|&a, &b| words[a].u_start.total_cmp(&words[b].u_start));
        let mut text = String::new();
        let mut previous_end = f32::NEG_INFINITY;
        let mut previous_size = 0.0f32;
        let mut previous_space_after = false;
        for index in line {
            let word = &words[index];
            if !text.is_empty() {
                let gap = word.u_start - previous_end;
                // Words split only by content-stream order but touching are one word.
                if previous_space_after
                    || gap >= WORD_GAP * previous_size.max(word.size)
                    || gap < -0.5 * word.size
                {
                    text.push(' ');
                }
            }
            text.push_str(&word.text);
            previous_end = word.u_end;
            previous_size = word.size;
            previous_space_after = word.space_after;
        }
        lines_out.push(text);
    }
}

/// Joins `verant-\nwoordelijk` into `verantwoordelijk`: a line ending in a letter and a hyphen
/// (`-`) followed by a line starting with a lowercase letter, or ending in a soft hyphen followed
/// by a letter. A real hyphen (U+2010) is kept. Soft hyphens elsewhere are removed.
pub fn join_hyphenated_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (index, line) in lines.iter().enumerate() {
        let next_first = lines
            .get(index + 1)
            .and_then(|next| next.trim_start().chars().next());
        let mut reversed = line.chars().rev();
        let last = reversed.next();
        let before_last_is_letter = reversed.next().is_some_and(char::is_alphabetic);
        let join = before_last_is_letter
            && match last {
                Some('-') => next_first.is_some_and(char::is_lowercase),
                Some('\u{00AD}') => next_first.is_some_and(char::is_alphabetic),
                _ => false,
            };
        if join {
            let mut chars = line.chars();
            chars.next_back();
            out.push_str(chars.as_str());
            continue;
        }
        out.push_str(line);
        if index + 1 < lines.len() {
            out.push('\n');
        }
    }
    out.retain(|character| character != '\u{00AD}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters of `text` starting at `(x, y)`, 10 pt, each 5 pt wide.
    fn run(text: &str, x: f32, y: f32) -> Vec<TextChar> {
        text.chars()
            .enumerate()
            .map(|(index, character)| TextChar {
                x: x + index as f32 * 5.0,
                y,
                width: 5.0,
                size: 10.0,
                character,
                direction: 0,
            })
            .collect()
    }

    #[test]
    fn gaps_make_spaces_and_touching_runs_do_not() {
        let mut chars = run("Woo", 100.0, 700.0);
        chars.extend(run("besluit", 118.0, 700.0));
        chars.extend(run("en", 153.5, 700.0));
        assert_eq!(layout_text(&chars), "Woo besluiten");
    }

    #[test]
    fn lines_read_top_to_bottom_whatever_the_stream_order() {
        let mut chars = run("tweede", 100.0, 680.0);
        chars.extend(run("eerste", 100.0, 692.0));
        assert_eq!(layout_text(&chars), "eerste\ntweede");
    }

    #[test]
    fn two_columns_are_not_interleaved() {
        let mut chars = Vec::new();
        for line in 0..3 {
            let y = 700.0 - line as f32 * 12.0;
            chars.extend(run(&format!("links{line}"), 50.0, y));
            chars.extend(run(&format!("rechts{line}"), 300.0, y));
        }
        assert_eq!(
            layout_text(&chars),
            "links0\nlinks1\nlinks2\nrechts0\nrechts1\nrechts2"
        );
    }

    #[test]
    fn single_line_with_a_tab_gap_stays_one_line() {
        let mut chars = run("Datum", 50.0, 700.0);
        chars.extend(run("12", 300.0, 700.0));
        assert_eq!(layout_text(&chars), "Datum 12");
    }

    #[test]
    fn words_drawn_twice_for_fake_bold_are_kept_once() {
        let mut chars = run("KOERS", 100.0, 700.0);
        chars.extend(run("KOERS", 100.3, 700.2));
        chars.extend(run("BESLUIT", 130.0, 700.0));
        assert_eq!(layout_text(&chars), "KOERS BESLUIT");
    }

    #[test]
    fn rotated_text_reads_along_its_baseline() {
        let chars: Vec<TextChar> = "omhoog"
            .chars()
            .enumerate()
            .map(|(index, character)| TextChar {
                x: 50.0,
                y: 100.0 + index as f32 * 5.0,
                width: 5.0,
                size: 10.0,
                character,
                direction: 1,
            })
            .collect();
        assert_eq!(layout_text(&chars), "omhoog");
    }

    #[test]
    fn hyphenated_line_ends_are_joined_only_before_lowercase() {
        assert_eq!(
            join_hyphenated_lines("de verant-\nwoordelijke"),
            "de verantwoordelijke"
        );
        assert_eq!(join_hyphenated_lines("Noord-\nHolland"), "Noord-\nHolland");
        assert_eq!(join_hyphenated_lines("a -\nb"), "a -\nb");
        assert_eq!(join_hyphenated_lines("eind-"), "eind-");
        assert_eq!(
            join_hyphenated_lines("test\u{2010}\nof"),
            "test\u{2010}\nof"
        );
        assert_eq!(
            join_hyphenated_lines("Ver\u{AD}\nenigde be\u{AD}sluit"),
            "Verenigde besluit"
        );
    }
}
