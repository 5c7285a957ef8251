//! HTML escaping and `<mark>` rendering of page text: the markup every snippet, highlighted
//! page and HTML page is built from. Depends on nothing else in the crate.

use std::ops::Range;

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Escapes `text` and wraps the byte `ranges` (in any order, possibly overlapping) in `<mark>`.
pub fn render_highlighted_text(text: &str, ranges: &[Range<usize>]) -> String {
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .filter(|range| {
            range.start < range.end
                && range.end <= text.len()
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end)
        })
        .cloned()
        .collect();
    sorted.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut html = String::with_capacity(text.len() + 16 * merged.len());
    let mut cursor = 0;
    for range in merged {
        html.push_str(&html_escape(&text[cursor..range.start]));
        html.push_str("<mark>");
        html.push_str(&html_escape(&text[range.start..range.end]));
        html.push_str("</mark>");
        cursor = range.end;
    }
    html.push_str(&html_escape(&text[cursor..]));
    html
}

/// The first words of a page, escaped, for a hit without highlights.
pub fn opening_words(text: &str) -> String {
    let beginning: String = text.chars().take(200).collect();
    html_escape(beginning.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_page_highlighting_merges_overlaps_and_escapes() {
        let text = "a <b> mondkapjes\nmondkapjes";
        let html = render_highlighted_text(text, &[17..27, 6..16, 6..12, 40..50]);
        assert_eq!(
            html,
            "a &lt;b&gt; <mark>mondkapjes</mark>\n<mark>mondkapjes</mark>"
        );
    }
}
