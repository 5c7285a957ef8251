//! The data that flows from extraction to the index: a [`Document`] with its [`Page`]s.

use serde::{Deserialize, Serialize};

/// How the text of a page was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TextSource {
    /// From the PDF's own text layer.
    Text,
    /// From optical character recognition of the page image.
    Ocr,
    /// No usable text (no text layer and no OCR, or OCR found nothing).
    #[default]
    None,
}

impl TextSource {
    /// The lowercase name used in the index, the API and facets.
    pub fn as_str(self) -> &'static str {
        match self {
            TextSource::Text => "text",
            TextSource::Ocr => "ocr",
            TextSource::None => "none",
        }
    }
}

/// One extracted page of a PDF, before Woo analysis.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExtractedPage {
    /// Page number, starting at 1.
    pub page: u32,
    /// The page text in reading order, lines separated by `\n`.
    pub text: String,
    /// How the text was obtained.
    pub source: TextSource,
    /// Mean OCR word confidence (0–100) when `source` is `Ocr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<f32>,
    /// The page is covered by an image (a scan) or has no usable text layer, so OCR may help.
    pub needs_ocr: bool,
    /// Why the page text is missing or partial (a limit hit, a broken content stream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Words drawn and then covered by an opaque box (a failed redaction): left out of `text`
    /// and counted here, so the publisher can be told.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub covered_words: u32,
    /// On pages that may hold a table (an inventory list): each text line as positioned words,
    /// top to bottom (read into table rows by `woo_indexer::inventory`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table_lines: Vec<TableLine>,
}

fn is_zero(number: &u32) -> bool {
    *number == 0
}

/// One text line of a page as positioned words, left to right.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TableLine {
    /// The words, left to right.
    pub words: Vec<TableWord>,
}

/// One word of a [`TableLine`] (or a cell made of several): its text, horizontal extent
/// (points from the left edge) and font size.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TableWord {
    /// Left edge.
    pub x: f32,
    /// Right edge.
    pub x_end: f32,
    /// Font size.
    pub size: f32,
    /// The text.
    pub text: String,
}

/// One entry of a PDF's outline (bookmarks), flattened in order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OutlineEntry {
    /// Title of the bookmark.
    pub title: String,
    /// Page it points to, starting at 1.
    pub page: u32,
    /// Depth: 0 for top-level entries.
    pub level: u32,
}

/// Facts from the PDF itself (info dictionary, page count).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PdfInfo {
    /// `/Title` of the info dictionary, if any and not empty.
    pub title: Option<String>,
    /// `/Author` of the info dictionary.
    pub author: Option<String>,
    /// `/CreationDate` as `YYYY-MM-DD`.
    pub creation_date: Option<String>,
    /// `/ModDate` as `YYYY-MM-DD`.
    pub modification_date: Option<String>,
    /// The file was encrypted (and decrypted with the empty user password).
    pub encrypted: bool,
    /// The identifier the file gives itself (an ECLI, `kst-32545-143`, a CVDR or BWB id):
    /// indexed with the document's identifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The kind of document the file says it is (`uitspraak`, `Kamerstuk`, `regeling`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// The court of a court ruling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    /// A summary the file carries (a ruling's `inhoudsindicatie`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A whole file after extraction: a PDF, or any other format a reader turned into pages
/// (`woo_indexer::readers`; each format says what its page is).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExtractedPdf {
    /// The file format (`docx`, `e-mail`, `xml`...); `None` for a PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Info dictionary facts (for other formats: what their metadata says).
    pub info: PdfInfo,
    /// Every page in order.
    pub pages: Vec<ExtractedPage>,
    /// The outline (bookmarks), flattened in order; empty when the PDF has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outline: Vec<OutlineEntry>,
    /// Pages beyond the page limit were not extracted.
    #[serde(default)]
    pub truncated: bool,
    /// Files inside this one (an e-mail's attachments, a zip archive's members), each read
    /// by its own format; each becomes a document of its own, linked to this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<ExtractedAttachment>,
}

/// A file inside another one, read by its own format.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExtractedAttachment {
    /// Its name (an attachment's file name, a member's path in the archive).
    pub name: String,
    /// The extraction; `None` when it could not be read (see `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<ExtractedPdf>,
    /// Why it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A page as indexed: extracted text plus what the indexer derived from it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Page {
    /// Page number, starting at 1.
    pub page: u32,
    /// The page text.
    pub text: String,
    /// How the text was obtained.
    pub source: TextSource,
    /// Mean OCR confidence when OCR'd.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<f32>,
    /// ISO 639-1 code of the detected language (`nl`, `en`, ...), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Refusal-ground codes stamped on this page, normalised (`5.1.2e`), one entry per stamp.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
}

/// The fields a document has wherever it is: built by the indexer ([`Document`]), stored in
/// the index ([`StoredDocument`]), read back by the server. One list, flattened into both (the
/// JSON of each is as if the fields were its own).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DocumentFields {
    /// Stable id: from the metadata, or derived from the source path.
    pub id: String,
    /// Title shown in results.
    pub title: String,
    /// Path of the original file relative to the indexed input folder.
    pub source: String,
    /// Absolute path of the original file on disk (for the file endpoint).
    pub file_path: String,
    /// SHA-256 of the original file, hex.
    pub content_hash: String,
    /// Publication (dossier) this document belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_id: Option<String>,
    /// Title of that publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_title: Option<String>,
    /// Publishing organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Information category as art. 3.3 letter code (`2i`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Document type (`besluit`, `inventaris`, `e-mail`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// Main date of the document, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Judgement (`openbaar`, `deels openbaar`, `reeds openbaar`, `niet openbaar`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub judgement: Option<String>,
    /// Free-text summary from the metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Reference numbers found in the text (`kenmerk`, `zaaknummer`...), searchable as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Decision letters: the letter's date, `YYYY-MM-DD` (see `woo_indexer::decision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<String>,
    /// Decision letters: the date of the request answered, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_date: Option<String>,
    /// Decision letters: `openbaar`, `deels openbaar`, `niet openbaar` or
    /// `geen documenten aangetroffen`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Decision letters: refusal-ground articles cited, canonical Woo codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<String>,
    /// Complaint judgements: `gegrond`, `deels gegrond`, `ongegrond`, `niet-ontvankelijk`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Complaint judgements: subject (theme) of the complaint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Complaint judgements: date the complaint was received, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_date: Option<String>,
    /// Complaint judgements: the parts of the complaint, each judged on its own (a letter that
    /// judges one complaint as a whole has one part; records without parts have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complaint_parts: Vec<ComplaintPart>,
    /// Complaint judgements: the norms of proper conduct (behoorlijkheidsnormen,
    /// `woo_core::complaints::NORMS`) the judgement cites, in the list's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<String>,
    /// Parts of a bundle (`woo_indexer::bundle`): the page of the original file that is page 1 of
    /// this part (its pages are numbered from 1; `source` ends in `#pages=FIRST-LAST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<u32>,
    /// The file format the document came in (`pdf`, `docx`, `e-mail`, `xml`...); `None` for
    /// documents without a file (and for indexes older than the field, read as `pdf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The court of a court ruling (rechtspraak.nl XML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    /// Words of its pages left under a black box drawn after them (failed redactions; not
    /// indexed). Non-zero: the publisher should withdraw and fix the file.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub covered_words: u32,
    /// E-mails: the message's headers (`Van`/`From`, `Aan`/`To`, `Cc`, `Verzonden`/`Datum`/
    /// `Sent`, `Onderwerp`/`Subject`) at the top of its first page, then those of the messages
    /// quoted in it, in printed order; redacted values kept as printed. Empty for documents
    /// that are not e-mails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<EmailHeaders>,
    /// MinHash signature of its pages' visible words (`woo_core::similarity`), for finding
    /// its near-duplicates; empty for documents without (enough) text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_signature: Vec<u32>,
}

/// The headers of one e-mail message as printed in a document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct EmailHeaders {
    /// `Van`/`From`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// `Aan`/`To` and `Cc`, one entry per address or name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<String>,
    /// `Verzonden`/`Datum`/`Sent`: `YYYY-MM-DD`, with `THH:MM` when the time is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
    /// `Onderwerp`/`Subject` as printed (with its `RE:`/`FW:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The page (1-based) its headers are printed on.
    #[serde(default)]
    pub page: u32,
}

/// One part of a complaint (klachtonderdeel) and how it was judged.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ComplaintPart {
    /// What this part is about, as the judgement words it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// One of `woo_core::complaints::OUTCOMES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The norms of proper conduct this part was judged against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<String>,
}

/// A document ready to be written to the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Document {
    /// Id, title, metadata and the fields of decision letters and complaint judgements.
    #[serde(flatten)]
    pub fields: DocumentFields,
    /// Refusal grounds from the metadata, normalised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
    /// Language named by the metadata (DiWoo `language`), ISO 639-1; added to the languages
    /// detected on the pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The pages, in order.
    pub pages: Vec<Page>,
}

/// What the index stores of a document (the `meta` field of its document record).
/// The server reads it back for results, facets and `GET /api/documents/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StoredDocument {
    /// The same fields as the [`Document`] it was made of.
    #[serde(flatten)]
    pub fields: DocumentFields,
    /// Every refusal ground of the document: from the metadata and stamped on its pages.
    #[serde(default)]
    pub grounds: Vec<String>,
    /// Number of ground stamps found on its pages.
    #[serde(default)]
    pub ground_stamps: u32,
    /// Number of pages.
    pub page_count: u32,
    /// Languages of its pages (ISO 639-1 where known).
    #[serde(default)]
    pub languages: Vec<String>,
    /// How its pages' text was obtained (`text`, `ocr`, `none`), distinct values.
    #[serde(default)]
    pub text_sources: Vec<String>,
    /// Pages without any text.
    #[serde(default)]
    pub pages_without_text: u32,
    /// Pages whose text came from OCR.
    #[serde(default)]
    pub ocr_pages: u32,
}

/// What the index stores per page besides its text (the `page_meta` field).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StoredPage {
    /// How the text was obtained.
    pub source: TextSource,
    /// Mean OCR confidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_confidence: Option<f32>,
    /// Detected language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Ground stamps on the page (one per stamp).
    #[serde(default)]
    pub grounds: Vec<String>,
}
