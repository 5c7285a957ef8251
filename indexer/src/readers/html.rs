//! Web pages (`.html`, `.htm`): the visible text only. Scripts, styles, templates, embedded
//! objects and the `head` (but its `title`) are left out; block elements (paragraphs,
//! headings, list items, table rows, `div`s, line breaks) end a line and table cells are
//! tab-separated. The page's `<title>` is the title, `<meta name="description">` the summary
//! and a `DC.date`/`date` meta the date. Blocks fill pages of at most
//! [`super::MAX_PAGE_CHARS`]; html5ever (through `scraper`) parses the page the way a browser
//! does, so broken markup is read, not refused.

use scraper::{ElementRef, Html, Node};

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest page read, in bytes.
pub const MAX_HTML_BYTES: usize = 32 * 1024 * 1024;

/// Elements whose content is never shown.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "iframe", "object", "embed", "svg",
    "canvas", "select",
];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
    "table",
    "ul",
    "ol",
    "dl",
    "address",
    "hr",
    "form",
    "fieldset",
    "caption",
];

/// Reads a web page.
pub fn read_html(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("web page larger than {MAX_HTML_BYTES} bytes"),
        });
    }
    let text = super::text::decode_text(bytes);
    let document = Html::parse_document(&text);
    let mut lines: Vec<String> = vec![String::new()];
    collect_visible_text(document.root_element(), &mut lines, 0);
    let paragraphs: Vec<Option<String>> = lines
        .into_iter()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .map(Some)
        .collect();
    Ok(ExtractedPdf {
        info: page_facts(&document),
        pages: super::pages_from_paragraphs(&paragraphs),
        ..ExtractedPdf::default()
    })
}

/// Deepest element nesting followed (deeper content is left out).
const MAX_DEPTH: usize = 512;

/// Appends the visible text under `element` to `lines` (a new line after every block).
fn collect_visible_text(element: ElementRef, lines: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                if let Some(line) = lines.last_mut() {
                    line.push_str(text);
                }
            }
            Node::Element(child_element) => {
                let tag = child_element.name();
                if INVISIBLE.contains(&tag) {
                    continue;
                }
                let is_block = BLOCKS.contains(&tag);
                if is_block {
                    lines.push(String::new());
                }
                if let Some(child_ref) = ElementRef::wrap(child) {
                    collect_visible_text(child_ref, lines, depth + 1);
                }
                if matches!(tag, "td" | "th") {
                    if let Some(line) = lines.last_mut() {
                        line.push('\t');
                    }
                }
                if is_block {
                    lines.push(String::new());
                }
            }
            _ => {}
        }
    }
}

/// Title, description and date from the page's head.
fn page_facts(document: &Html) -> PdfInfo {
    let mut info = PdfInfo::default();
    for node in document.tree.nodes() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        match element.name() {
            "title" if info.title.is_none() => {
                let title: String = node
                    .children()
                    .filter_map(|child| child.value().as_text().map(|text| text.to_string()))
                    .collect();
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                if !title.is_empty() {
                    info.title = Some(title);
                }
            }
            "meta" => {
                let meta_name = element.attr("name").unwrap_or_default().to_lowercase();
                let content = element.attr("content").unwrap_or_default().trim();
                if content.is_empty() {
                    continue;
                }
                match meta_name.as_str() {
                    "description" | "dc.description" => info.summary = Some(content.to_string()),
                    "dc.date" | "date" | "dcterms.issued" | "dcterms.created" => {
                        info.creation_date = woo_core::dates::normalise_date(content)
                    }
                    "author" | "dc.creator" => info.author = Some(content.to_string()),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_visible_text_with_blocks_as_lines() {
        let page = r#"<!doctype html><html><head><title>Woo-besluit  mondkapjes</title>
            <meta name="description" content="Besluit op een Woo-verzoek">
            <meta name="DC.date" content="2024-03-15">
            <style>p { color: red }</style><script>alert("geheim")</script></head>
            <body><h1>Besluit</h1><p>Het verzoek is <b>deels</b> toegewezen.<br>Tweede regel</p>
            <table><tr><td>nummer</td><td>oordeel</td></tr></table>
            <noscript>zet javascript aan</noscript><p>Onafgesloten alinea<div>blok</div></body></html>"#;
        let extracted = read_html("besluit.html", page.as_bytes()).unwrap();
        let text = &extracted.pages[0].text;
        assert_eq!(
            extracted.info.title.as_deref(),
            Some("Woo-besluit mondkapjes")
        );
        assert_eq!(
            extracted.info.summary.as_deref(),
            Some("Besluit op een Woo-verzoek")
        );
        assert_eq!(extracted.info.creation_date.as_deref(), Some("2024-03-15"));
        assert!(
            text.starts_with("Besluit\nHet verzoek is deels toegewezen.\nTweede regel"),
            "{text}"
        );
        assert!(text.contains("nummer oordeel"), "{text}");
        assert!(text.contains("Onafgesloten alinea\nblok"), "{text}");
        for hidden in ["geheim", "color", "javascript"] {
            assert!(!text.contains(hidden), "{hidden} in {text}");
        }
    }
}
