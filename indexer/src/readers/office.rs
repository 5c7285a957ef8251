//! Word processing files: Office Open XML (`.docx`) and OpenDocument text (`.odt`).
//!
//! Both are zip containers of XML ([`super::container`]). The text is read paragraph by
//! paragraph (`w:p` / `text:p`, `text:h`), table cells separated by tabs, line breaks kept.
//! A page is what the file itself says a page is: Word's rendered page breaks
//! (`w:lastRenderedPageBreak`, written when the file was last laid out) and explicit page
//! breaks (`w:br w:type="page"`), OpenDocument's `text:soft-page-break`; a file without any
//! is cut into pages of whole paragraphs ([`super::pages_from_paragraphs`]).
//! Title, author and dates come from `docProps/core.xml` (docx) or `meta.xml` (odt).

use super::container::{member_text, open_container, read_member};
use super::xml_walk::{attribute, walk_xml, XmlVisitor};
use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Reads a `.docx`.
pub fn read_docx(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let mut archive = open_container(name, "docx", bytes)?;
    let Some(body) = read_member(&mut archive, name, "docx", "word/document.xml")? else {
        return Err(malformed(
            name,
            "docx",
            "no word/document.xml in the container",
        ));
    };
    let body = member_text(name, "docx", "word/document.xml", body)?;
    let mut collector = ParagraphCollector::new(WORD_MARKUP);
    walk_xml(&body, &mut collector).map_err(|reason| malformed(name, "docx", &reason))?;
    let info = match read_member(&mut archive, name, "docx", "docProps/core.xml")? {
        Some(core) => core_properties(&String::from_utf8_lossy(&core)),
        None => PdfInfo::default(),
    };
    Ok(ExtractedPdf {
        info,
        pages: super::pages_from_paragraphs(&collector.finish()),
        ..ExtractedPdf::default()
    })
}

/// Reads an `.odt`.
pub fn read_odt(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let mut archive = open_container(name, "odt", bytes)?;
    let Some(content) = read_member(&mut archive, name, "odt", "content.xml")? else {
        return Err(malformed(name, "odt", "no content.xml in the container"));
    };
    let content = member_text(name, "odt", "content.xml", content)?;
    let mut collector = ParagraphCollector::new(OPENDOCUMENT_MARKUP);
    walk_xml(&content, &mut collector).map_err(|reason| malformed(name, "odt", &reason))?;
    let info = match read_member(&mut archive, name, "odt", "meta.xml")? {
        Some(meta) => core_properties(&String::from_utf8_lossy(&meta)),
        None => PdfInfo::default(),
    };
    Ok(ExtractedPdf {
        info,
        pages: super::pages_from_paragraphs(&collector.finish()),
        ..ExtractedPdf::default()
    })
}

fn malformed(name: &str, format: &'static str, reason: &str) -> IndexerError {
    IndexerError::MalformedFile {
        name: name.to_string(),
        format,
        reason: reason.to_string(),
    }
}

/// The element names (local, without prefix) that carry text structure in one format.
struct Markup {
    /// Paragraph elements.
    paragraphs: &'static [&'static str],
    /// Elements whose text is the document's text (`w:t`); empty: all text inside paragraphs.
    text_runs: &'static [&'static str],
    /// A tab.
    tab: &'static str,
    /// A line break.
    line_break: &'static str,
    /// A table cell (its end adds a tab).
    cell: &'static str,
    /// Elements that are a page break wherever they stand.
    page_breaks: &'static [&'static str],
    /// Elements whose text is left out (deleted text, field codes, notes' anchors).
    skipped: &'static [&'static str],
    /// A space run (`text:s`, with `text:c` repeats).
    spaces: &'static str,
    /// The element holding the body text (ODT's `office:text`; its styles hold sample text
    /// too); `None`: the whole XML is the body.
    body: Option<&'static str>,
}

const WORD_MARKUP: Markup = Markup {
    paragraphs: &["p"],
    text_runs: &["t"],
    tab: "tab",
    line_break: "br",
    cell: "tc",
    page_breaks: &["lastRenderedPageBreak"],
    skipped: &["delText", "instrText"],
    spaces: "",
    body: None,
};

const OPENDOCUMENT_MARKUP: Markup = Markup {
    paragraphs: &["p", "h"],
    text_runs: &[],
    tab: "tab",
    line_break: "line-break",
    cell: "table-cell",
    page_breaks: &["soft-page-break"],
    skipped: &["tracked-changes", "annotation", "note-citation"],
    spaces: "s",
    body: Some("text"),
};

/// Collects paragraphs (and page breaks as `None`) from a walk over a body.
struct ParagraphCollector {
    markup: Markup,
    paragraphs: Vec<Option<String>>,
    current: String,
    /// Open paragraph elements (a paragraph inside a table cell inside a paragraph...).
    open_paragraphs: usize,
    /// Inside a text run (`w:t`), when the format has them.
    in_run: usize,
    /// Inside skipped elements.
    in_skipped: usize,
    /// Inside the office body (ODT: `office:text`; not the styles or the automatic styles).
    in_body: bool,
}

impl ParagraphCollector {
    fn new(markup: Markup) -> ParagraphCollector {
        let in_body = markup.body.is_none();
        ParagraphCollector {
            markup,
            paragraphs: Vec::new(),
            current: String::new(),
            open_paragraphs: 0,
            in_run: 0,
            in_skipped: 0,
            in_body,
        }
    }

    fn page_break(&mut self) {
        self.end_paragraph();
        self.paragraphs.push(None);
    }

    fn end_paragraph(&mut self) {
        if !self.current.trim().is_empty() {
            self.paragraphs
                .push(Some(std::mem::take(&mut self.current)));
        }
        self.current.clear();
    }

    fn finish(mut self) -> Vec<Option<String>> {
        self.end_paragraph();
        self.paragraphs
    }
}

impl XmlVisitor for ParagraphCollector {
    fn start(&mut self, name: &str, attributes: &[(String, String)]) {
        if !self.in_body && self.markup.body == Some(name) {
            self.in_body = true;
        }
        if self.markup.skipped.contains(&name) {
            self.in_skipped += 1;
            return;
        }
        if !self.in_body || self.in_skipped > 0 {
            return;
        }
        if self.markup.paragraphs.contains(&name) {
            self.open_paragraphs += 1;
        } else if self.markup.text_runs.contains(&name) {
            self.in_run += 1;
        } else if self.markup.page_breaks.contains(&name) {
            self.page_break();
        } else if name == self.markup.line_break {
            if attribute(attributes, "type") == Some("page") {
                self.page_break();
            } else {
                self.current.push('\n');
            }
        } else if name == self.markup.tab {
            self.current.push('\t');
        } else if !self.markup.spaces.is_empty() && name == self.markup.spaces {
            let count = attribute(attributes, "c")
                .and_then(|count| count.parse::<usize>().ok())
                .unwrap_or(1)
                .min(100);
            self.current.push_str(&" ".repeat(count));
        }
    }

    fn text(&mut self, text: &str) {
        if !self.in_body || self.in_skipped > 0 || self.open_paragraphs == 0 {
            return;
        }
        if !self.markup.text_runs.is_empty() && self.in_run == 0 {
            return;
        }
        self.current.push_str(text);
    }

    fn end(&mut self, name: &str) {
        if self.markup.skipped.contains(&name) {
            self.in_skipped = self.in_skipped.saturating_sub(1);
            return;
        }
        if self.markup.paragraphs.contains(&name) && self.open_paragraphs > 0 {
            self.open_paragraphs -= 1;
            self.end_paragraph();
        } else if self.markup.text_runs.contains(&name) {
            self.in_run = self.in_run.saturating_sub(1);
        } else if name == self.markup.cell {
            self.current.push('\t');
        }
    }
}

/// Title, author and dates of `docProps/core.xml` or `meta.xml`.
pub fn core_properties(xml: &str) -> PdfInfo {
    struct Properties {
        open: String,
        info: PdfInfo,
    }
    impl XmlVisitor for Properties {
        fn start(&mut self, name: &str, _attributes: &[(String, String)]) {
            self.open = name.to_string();
        }
        fn text(&mut self, text: &str) {
            let value = text.trim();
            if value.is_empty() {
                return;
            }
            let date = || woo_core::dates::normalise_date(value);
            match self.open.as_str() {
                "title" => self.info.title = Some(value.to_string()),
                "creator" | "initial-creator" if self.info.author.is_none() => {
                    self.info.author = Some(value.to_string())
                }
                "created" | "creation-date" => self.info.creation_date = date(),
                "modified" | "date" => self.info.modification_date = date(),
                _ => {}
            }
        }
        fn end(&mut self, _name: &str) {
            self.open.clear();
        }
    }
    let mut properties = Properties {
        open: String::new(),
        info: PdfInfo::default(),
    };
    // Broken metadata leaves the fields found so far; the text is what matters.
    let _ = walk_xml(xml, &mut properties);
    properties.info
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, text) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const DOCX_BODY: &str = r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
      <w:p><w:r><w:t>Besluit op uw Woo-verzoek</w:t></w:r></w:p>
      <w:p><w:r><w:t xml:space="preserve">Geachte </w:t></w:r><w:r><w:t>heer,</w:t></w:r><w:del><w:r><w:delText>weg</w:delText></w:r></w:del></w:p>
      <w:p><w:r><w:br w:type="page"/><w:t>Tweede pagina</w:t><w:tab/><w:t>met tab</w:t></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cel 1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>cel 2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    </w:body></w:document>"#;

    const CORE: &str = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t"><dc:title>Woo-besluit stikstof</dc:title><dc:creator>Ministerie van LNV</dc:creator><dcterms:created>2023-05-04T10:00:00Z</dcterms:created></cp:coreProperties>"#;

    #[test]
    fn docx_paragraphs_page_breaks_and_properties() {
        let bytes = zip_of(&[
            ("word/document.xml", DOCX_BODY),
            ("docProps/core.xml", CORE),
        ]);
        let extracted = read_docx("besluit.docx", &bytes).unwrap();
        assert_eq!(extracted.pages.len(), 2, "{:?}", extracted.pages);
        assert_eq!(
            extracted.pages[0].text,
            "Besluit op uw Woo-verzoek\nGeachte heer,"
        );
        assert!(extracted.pages[1]
            .text
            .starts_with("Tweede pagina\tmet tab"));
        assert!(extracted.pages[1].text.contains("cel 1"));
        assert!(
            !extracted.pages[0].text.contains("weg"),
            "deleted text left out"
        );
        assert_eq!(
            extracted.info.title.as_deref(),
            Some("Woo-besluit stikstof")
        );
        assert_eq!(extracted.info.author.as_deref(), Some("Ministerie van LNV"));
        assert_eq!(extracted.info.creation_date.as_deref(), Some("2023-05-04"));
    }

    #[test]
    fn odt_paragraphs_spaces_and_soft_page_breaks() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:automatic-styles><style:style xmlns:style="s"><text:p>stijl</text:p></style:style></office:automatic-styles><office:body><office:text>
          <text:h>Kamerstuk 32545</text:h><text:p>Een<text:s text:c="2"/>zin<text:line-break/>tweede regel</text:p>
          <text:soft-page-break/><text:p>Volgende pagina</text:p></office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="o" xmlns:dc="d" xmlns:meta="m"><office:meta><dc:title>Brief</dc:title><meta:creation-date>2021-02-03T00:00:00</meta:creation-date></office:meta></office:document-meta>"#;
        let bytes = zip_of(&[("content.xml", content), ("meta.xml", meta)]);
        let extracted = read_odt("kst.odt", &bytes).unwrap();
        assert_eq!(extracted.pages.len(), 2, "{:?}", extracted.pages);
        assert_eq!(
            extracted.pages[0].text,
            "Kamerstuk 32545\nEen  zin\ntweede regel"
        );
        assert_eq!(extracted.pages[1].text, "Volgende pagina");
        assert_eq!(extracted.info.title.as_deref(), Some("Brief"));
        assert_eq!(extracted.info.creation_date.as_deref(), Some("2021-02-03"));
    }

    #[test]
    fn broken_containers_are_malformed_not_a_panic() {
        assert!(matches!(
            read_docx("x.docx", b"PK\x03\x04 not really"),
            Err(IndexerError::MalformedFile { .. })
        ));
        let without_body = zip_of(&[("other.xml", "<a/>")]);
        assert!(matches!(
            read_docx("x.docx", &without_body),
            Err(IndexerError::MalformedFile { .. })
        ));
        let broken_xml = zip_of(&[("content.xml", "<office:text><text:p>open</text:q>")]);
        assert!(read_odt("x.odt", &broken_xml).is_err());
    }
}
