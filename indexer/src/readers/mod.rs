//! Readers: every file format a publication comes in -> an [`ExtractedPdf`] (pages of text
//! plus what the file says about itself), the same shape the PDF extractor gives, so that OCR,
//! document building, the worker process and the index treat every format alike.
//!
//! Each format says what its page is:
//! - `pdf`: a PDF page ([`crate::pdf`]);
//! - `text` (`.txt`, `.md`): form-feed pages, else pieces of at most [`MAX_PAGE_CHARS`]
//!   cut at paragraph ends ([`text`]);
//! - `docx`, `odt`: the pages the file itself marks (Word's rendered and explicit page
//!   breaks, OpenDocument's soft page breaks), else pieces as for text ([`office`]).
//!
//! - spreadsheets (xlsx, xls, xlsb, ods, csv) that are not inventory lists: a sheet, going on
//!   over more pages when long ([`sheet`]).
//!
//! - `xml`: KOOP official publications, CVDR and BWB regulations (an article a page) and
//!   rechtspraak.nl rulings (the summary, then the ruling) ([`xml`]).
//!
//! - `html`: the visible text, blocks as lines ([`html`]);
//! - `e-mail` (`.eml`, Outlook `.msg`): the message (headers, then text) is one page;
//!   attachments are files of their own ([`email`], [`outlook`]);
//! - `zip`: a page listing the members; each member a reader takes is a file of its own
//!   ([`archive`]), down to [`MAX_NESTING`] files deep;
//! - `image` (`.png`, `.jpg`, `.tif`): one page, read by OCR of the image itself ([`image`]);
//! - `json` dossiers (e-mails and chats taken apart): each e-mail and chat a file of its own
//!   ([`dossier`]); other JSON is metadata.
//!
//! Files inside files ([`read_attachments`]) become documents of their own, linked to the
//! file they came in (`crate::document`).
//!
//! Shared parts: [`container`] (zip containers opened with the upload's bounds) and
//! [`xml_walk`] (a bounded XML walk).
//!
//! The format is chosen by the file name ([`Format::of_name`]); the bytes must then be what the
//! name says (a `.docx` that is no zip is `malformed`, a `.pdf` without `%PDF` is
//! `unsupported_type`). Readers run where PDF extraction runs: in the `woo extract-worker`
//! child under its limits ([`crate::worker`]), or in process behind `catch_unwind`.

pub mod archive;
pub mod container;
pub mod dossier;
pub mod email;
pub mod html;
pub mod image;
pub mod office;
pub mod outlook;
pub mod sheet;
pub mod text;
pub mod xml;
pub mod xml_walk;

use std::path::Path;

use crate::error::Result;
use crate::pdf::{extract_pdf, PdfLimits};
use woo_core::model::{ExtractedAttachment, ExtractedPage, ExtractedPdf, TextSource};

/// Longest page a reader makes of a format without pages of its own, in characters.
pub const MAX_PAGE_CHARS: usize = 4_000;

/// The formats the indexer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PDF.
    Pdf,
    /// Plain text and Markdown.
    Text,
    /// Office Open XML word processing (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// Spreadsheets: xlsx, xls, xlsb, ods.
    Workbook,
    /// Comma- or semicolon-separated values.
    Csv,
    /// Official-publication, regulation and court XML.
    Xml,
    /// Web pages.
    Html,
    /// E-mail messages (MIME).
    Email,
    /// Outlook messages.
    Msg,
    /// Zip archives.
    Zip,
    /// Scans as images (PNG, JPEG, TIFF), read by OCR.
    Image,
    /// A dossier as structured JSON (e-mails and chats; only JSON of that shape).
    DossierJson,
}

impl Format {
    /// The format of a file by its name's extension; `None` for a format no reader takes.
    pub fn of_name(name: &str) -> Option<Format> {
        let extension = Path::new(name)
            .extension()
            .and_then(|extension| extension.to_str())?
            .to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(Format::Pdf),
            "txt" | "md" => Some(Format::Text),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(Format::Workbook),
            "csv" => Some(Format::Csv),
            "xml" => Some(Format::Xml),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "eml" => Some(Format::Email),
            "msg" => Some(Format::Msg),
            "zip" => Some(Format::Zip),
            "png" | "jpg" | "jpeg" | "tif" | "tiff" => Some(Format::Image),
            "json" => Some(Format::DossierJson),
            _ => None,
        }
    }

    /// The value of the `format` facet.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Workbook => "spreadsheet",
            Format::Csv => "csv",
            Format::Xml => "xml",
            Format::Html => "html",
            Format::Email | Format::Msg => "e-mail",
            Format::Zip => "zip",
            Format::Image => "image",
            Format::DossierJson => "json",
        }
    }
}

/// Whether `path` is a document file some reader takes (by name; see [`Format::of_name`]).
pub fn is_document_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(Format::of_name)
        .is_some()
}

/// Reads one file by the format its name says.
pub fn read_file(name: &str, bytes: &[u8], limits: &PdfLimits) -> Result<ExtractedPdf> {
    read_file_at(name, bytes, limits, 0)
}

/// How deep files inside files are read (an attachment of a message in an archive is 2).
pub const MAX_NESTING: usize = 3;
/// Most files read from inside one file, at every depth together.
pub const MAX_ATTACHMENTS: usize = 1_000;

/// [`read_file`] for a file `depth` levels inside other files.
fn read_file_at(
    name: &str,
    bytes: &[u8],
    limits: &PdfLimits,
    depth: usize,
) -> Result<ExtractedPdf> {
    let Some(format) = Format::of_name(name) else {
        // Without a known extension the bytes decide: a PDF is still read.
        return extract_pdf(name, bytes, limits);
    };
    let mut extracted = match format {
        Format::Pdf => return extract_pdf(name, bytes, limits),
        Format::Text => text::read_text(name, bytes)?,
        Format::Docx => office::read_docx(name, bytes)?,
        Format::Odt => office::read_odt(name, bytes)?,
        Format::Workbook => sheet::read_workbook(name, bytes)?,
        Format::Csv => sheet::read_csv_document(name, bytes)?,
        Format::Xml => xml::read_xml(name, bytes)?,
        Format::Html => html::read_html(name, bytes)?,
        Format::Email => email::read_email(name, bytes, limits, depth)?,
        Format::Msg => outlook::read_msg(name, bytes, limits, depth)?,
        Format::Zip => archive::read_archive(name, bytes, limits, depth)?,
        Format::Image => image::read_image(name, bytes)?,
        Format::DossierJson => dossier::read_dossier(name, bytes)?,
    };
    extracted.format = Some(format.as_str().to_string());
    cut_to_page_limit(&mut extracted, limits);
    Ok(extracted)
}

/// Reads the files inside a file (attachments, archive members) by their own formats; a
/// file that cannot be read, or sits deeper than [`MAX_NESTING`], keeps its name and the
/// reason. At most [`MAX_ATTACHMENTS`] are read.
pub fn read_attachments(
    files: &[(String, Vec<u8>)],
    limits: &PdfLimits,
    depth: usize,
) -> Vec<ExtractedAttachment> {
    let mut attachments = Vec::new();
    for (name, bytes) in files.iter().take(MAX_ATTACHMENTS) {
        let outcome = if depth + 1 > MAX_NESTING {
            Err(format!(
                "{name}: nested deeper than {MAX_NESTING} files, not read"
            ))
        } else if Format::of_name(name).is_none() {
            Err(format!("{name}: a format no reader takes"))
        } else {
            read_file_at(name, bytes, limits, depth + 1).map_err(|error| error.to_string())
        };
        attachments.push(match outcome {
            Ok(extraction) => ExtractedAttachment {
                name: name.clone(),
                extraction: Some(extraction),
                error: None,
            },
            Err(error) => ExtractedAttachment {
                name: name.clone(),
                extraction: None,
                error: Some(error),
            },
        });
    }
    attachments
}

/// Keeps at most the page limit's pages (marking the extraction truncated).
fn cut_to_page_limit(extracted: &mut ExtractedPdf, limits: &PdfLimits) {
    if extracted.pages.len() > limits.max_pages {
        extracted.pages.truncate(limits.max_pages);
        extracted.truncated = true;
    }
}

/// Pages of text from paragraphs: a paragraph `None` is a hard page break; otherwise pages
/// are filled with whole paragraphs up to [`MAX_PAGE_CHARS`] (a longer paragraph is a page of
/// its own, cut at [`MAX_PAGE_CHARS`] on a character boundary).
pub fn pages_from_paragraphs(paragraphs: &[Option<String>]) -> Vec<ExtractedPage> {
    let mut texts: Vec<String> = Vec::new();
    let mut current = String::new();
    for paragraph in paragraphs {
        let Some(paragraph) = paragraph else {
            texts.push(std::mem::take(&mut current));
            continue;
        };
        let paragraph = paragraph.trim_end();
        if paragraph.trim().is_empty() {
            continue;
        }
        if !current.is_empty()
            && current.chars().count() + paragraph.chars().count() + 1 > MAX_PAGE_CHARS
        {
            texts.push(std::mem::take(&mut current));
        }
        for piece in split_long(paragraph) {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(&piece);
            if current.chars().count() >= MAX_PAGE_CHARS {
                texts.push(std::mem::take(&mut current));
            }
        }
    }
    texts.push(current);
    // Empty pages at the end (a trailing break) are dropped; a file without text keeps one
    // empty page, so it is still a document (classified `no_text`).
    while texts.len() > 1 && texts.last().is_some_and(|text| text.trim().is_empty()) {
        texts.pop();
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(index, text)| text_page(index + 1, text))
        .collect()
}

/// A page whose text came from the file itself.
pub fn text_page(number: usize, text: String) -> ExtractedPage {
    ExtractedPage {
        page: u32::try_from(number).unwrap_or(u32::MAX),
        source: if text.trim().is_empty() {
            TextSource::None
        } else {
            TextSource::Text
        },
        text,
        ..ExtractedPage::default()
    }
}

/// A paragraph longer than [`MAX_PAGE_CHARS`] in pieces of at most that many characters.
fn split_long(paragraph: &str) -> Vec<String> {
    let characters: Vec<char> = paragraph.chars().collect();
    if characters.len() <= MAX_PAGE_CHARS {
        return vec![paragraph.to_string()];
    }
    characters
        .chunks(MAX_PAGE_CHARS)
        .map(|chunk| chunk.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_name() {
        assert_eq!(Format::of_name("a/B.PDF"), Some(Format::Pdf));
        assert_eq!(Format::of_name("notes.md"), Some(Format::Text));
        assert_eq!(Format::of_name("archive.tar"), None);
        assert_eq!(Format::of_name("no-extension"), None);
    }

    #[test]
    fn paragraphs_fill_pages_and_breaks_start_new_ones() {
        let long = "woord ".repeat(1_000);
        let paragraphs = vec![
            Some("Eerste alinea.".to_string()),
            None,
            Some("Tweede pagina.".to_string()),
            Some(long.clone()),
            None,
        ];
        let pages = pages_from_paragraphs(&paragraphs);
        assert_eq!(pages[0].text, "Eerste alinea.");
        assert_eq!(pages[1].text, "Tweede pagina.");
        assert!(pages.len() >= 3, "the long paragraph starts its own page");
        assert!(pages
            .iter()
            .all(|page| page.text.chars().count() <= MAX_PAGE_CHARS));
        assert_eq!(pages.last().unwrap().page as usize, pages.len());
    }

    #[test]
    fn an_empty_file_is_one_empty_page() {
        let pages = pages_from_paragraphs(&[]);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].source, TextSource::None);
    }
}
