//! Failed redactions: text that is drawn and then covered by an opaque dark filled rectangle
//! (a black box: one `re`, or one closed four-corner path, filled; luminance below 0.35; at
//! least half a glyph high) later in the content stream. A viewer shows the
//! box; the text is still in the file. Such text is left out of the page's text: our search
//! must never be where a failed redaction is read. The count of covered words is reported
//! (`ExtractedPage::covered_words`, the file report's `redaction_leaks`, `woo
//! check-redactions`) so the publisher can withdraw and fix the file.
//!
//! Text drawn *after* the box (the white `5.1.2e` stamp on it) is visible and kept. A fill
//! under a transparent graphics state (`/ca` below 1, or a blend mode other than Normal: a
//! highlighter) covers nothing. Light fills (white-out) are not counted: table cells drawn
//! over their text by some producers made them a source of false alarms. Images drawn over
//! text are not counted yet.

pub use super::content::FilledShape;
use super::content::TextChar;

/// For every character: whether a shape filled after it covers its middle.
pub fn covered_chars(chars: &[TextChar], fills: &[FilledShape]) -> Vec<bool> {
    let mut covered = vec![false; chars.len()];
    for fill in fills {
        let [x0, y0, x1, y1] = fill.bounds;
        if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
            continue; // a line, not a box
        }
        for (index, character) in chars.iter().enumerate().take(fill.chars_before) {
            if covered[index] || character.character.is_whitespace() {
                continue;
            }
            // A box lower than half the glyph is an underline or a border, not a redaction.
            if (y1 - y0).min(x1 - x0) < character.size * 0.5 {
                continue;
            }
            let (middle_x, middle_y) = glyph_middle(character);
            if middle_x >= x0 && middle_x <= x1 && middle_y >= y0 && middle_y <= y1 {
                covered[index] = true;
            }
        }
    }
    covered
}

/// The middle of a glyph's box: half its advance along the baseline, a third of the font
/// size above it.
fn glyph_middle(character: &TextChar) -> (f32, f32) {
    let half = character.width / 2.0;
    let up = character.size / 3.0;
    match character.direction {
        1 => (character.x - up, character.y + half),
        2 => (character.x - half, character.y - up),
        3 => (character.x + up, character.y - half),
        _ => (character.x + half, character.y + up),
    }
}

/// Words (runs of covered non-space characters) that are covered.
pub fn covered_word_count(chars: &[TextChar], covered: &[bool]) -> u32 {
    let mut words = 0u32;
    let mut in_word = false;
    for (character, &is_covered) in chars.iter().zip(covered) {
        if is_covered && !character.character.is_whitespace() {
            if !in_word {
                words = words.saturating_add(1);
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(word: &str, x: f32, y: f32) -> Vec<TextChar> {
        word.chars()
            .enumerate()
            .map(|(index, character)| TextChar {
                x: x + index as f32 * 6.0,
                y,
                width: 6.0,
                size: 12.0,
                character,
                direction: 0,
            })
            .collect()
    }

    #[test]
    fn a_box_drawn_after_text_covers_it_and_one_drawn_before_does_not() {
        let mut chars = text("Jansen 0612345678", 72.0, 720.0);
        let before = chars.len();
        chars.extend(text("5.1.2e", 80.0, 716.0)); // the stamp, drawn on the box
        let fills = [FilledShape {
            bounds: [70.0, 712.0, 370.0, 732.0],
            chars_before: before,
        }];
        let covered = covered_chars(&chars, &fills);
        assert!(covered[..before]
            .iter()
            .zip(&chars)
            .all(|(&is_covered, c)| is_covered || c.character == ' '));
        assert!(covered[before..].iter().all(|&is_covered| !is_covered));
        assert_eq!(covered_word_count(&chars, &covered), 2);
    }

    #[test]
    fn a_box_elsewhere_or_a_line_covers_nothing() {
        let chars = text("openbaar", 72.0, 500.0);
        let fills = [
            FilledShape {
                bounds: [70.0, 700.0, 370.0, 720.0],
                chars_before: chars.len(),
            },
            FilledShape {
                bounds: [70.0, 503.0, 370.0, 503.5],
                chars_before: chars.len(),
            },
        ];
        let covered = covered_chars(&chars, &fills);
        assert_eq!(covered_word_count(&chars, &covered), 0);
    }
}
