//! PDF -> text per page, on lopdf's parser (see the module map in `lib.rs`).
//!
//! Entry point: [`extract_pdf`]. It never panics on input (a panic inside is caught and
//! reported as [`IndexerError::Panicked`]) and bounds decompression, pages and work per page.
//!
//! Inside:
//! - `objects`   total accessors over lopdf objects (references, numbers, bounded streams)
//! - `encoding`  simple-font encodings, glyph names, PDF text strings and dates
//! - `tables`    generated encoding, glyph-name and standard-font width tables
//! - `cmap`      ToUnicode and encoding CMaps
//! - `font`      fonts: code splitting, code -> text, glyph widths
//! - `content`   the content-stream walker: positioned characters and image coverage
//! - `layout`    positioned characters -> lines and blocks in reading order

mod cmap;
mod content;
mod encoding;
mod font;
mod layout;
mod objects;
mod outline;
mod redaction;
mod tables;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use lopdf::{Document, LoadOptions, Object, ObjectId};
use rayon::prelude::*;

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPage, ExtractedPdf, PdfInfo, TextSource};

use content::{FontCache, WalkLimits};
use objects::{get, resolve, resolve_dict, resolve_number};

/// A page whose images cover at least this share of it is a scan.
const SCAN_IMAGE_COVERAGE: f32 = 0.5;

/// A scanned page with fewer letters and digits of text than this still needs OCR.
const MIN_TEXT_ALPHANUMERICS: usize = 40;

/// Page boxes are searched this many levels up the page tree.
const MAX_PAGE_TREE_DEPTH: usize = 32;

/// Bounds applied while extracting one PDF.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    /// Largest decompressed size of one stream, in bytes.
    pub max_decompressed_bytes: usize,
    /// Pages beyond this are not extracted (the document is marked truncated).
    pub max_pages: usize,
    /// Content-stream operators processed per page before the page is cut short.
    pub max_operations_per_page: usize,
    /// Nesting depth of form XObjects followed.
    pub max_xobject_depth: usize,
    /// Characters of text kept per page.
    pub max_chars_per_page: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_decompressed_bytes: 256 * 1024 * 1024,
            max_pages: 5_000,
            max_operations_per_page: 2_000_000,
            max_xobject_depth: 8,
            max_chars_per_page: 1_000_000,
        }
    }
}

/// Extracts the text of every page of the PDF in `bytes`. `name` is used in error messages.
pub fn extract_pdf(name: &str, bytes: &[u8], limits: &PdfLimits) -> Result<ExtractedPdf> {
    if !looks_like_pdf(bytes) {
        return Err(IndexerError::NotPdf(name.to_string()));
    }
    let loaded = catch_unwind(AssertUnwindSafe(|| load_document(name, bytes, limits)));
    let (doc, was_encrypted) = match loaded {
        Ok(result) => result?,
        Err(panic) => {
            return Err(IndexerError::Panicked {
                name: name.to_string(),
                message: panic_message(panic.as_ref()),
            })
        }
    };
    let mut info = read_info(&doc);
    info.encrypted = was_encrypted;

    let page_ids: Vec<ObjectId> = doc.page_iter().collect();
    if page_ids.is_empty() {
        return Err(IndexerError::MalformedPdf {
            name: name.to_string(),
            reason: "no pages found".to_string(),
        });
    }
    let total_pages = page_ids.len();
    let kept_pages = total_pages.min(limits.max_pages);
    let fonts = FontCache::default();
    // Decoded content bytes of the whole document, against `max_decompressed_bytes`: ten
    // streams just under the per-stream limit are a bomb too.
    let decoded = AtomicUsize::new(0);
    let over_limit = AtomicBool::new(false);
    let mut pages: Vec<ExtractedPage> = page_ids[..kept_pages]
        .par_iter()
        .enumerate()
        .map(|(index, page_id)| {
            let page_number = (index + 1) as u32;
            if over_limit.load(Ordering::Relaxed) {
                return ExtractedPage {
                    page: page_number,
                    ..ExtractedPage::default()
                };
            }
            let extracted = catch_unwind(AssertUnwindSafe(|| {
                extract_page(
                    &doc,
                    *page_id,
                    page_number,
                    &fonts,
                    limits,
                    &decoded,
                    &over_limit,
                )
            }));
            extracted.unwrap_or_else(|panic| ExtractedPage {
                page: page_number,
                problem: Some(format!(
                    "extractor crashed on this page: {}",
                    panic_message(panic.as_ref())
                )),
                ..ExtractedPage::default()
            })
        })
        .collect();
    if over_limit.load(Ordering::Relaxed) {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!(
                "page content decompresses to more than {} bytes (a decompression bomb?)",
                limits.max_decompressed_bytes
            ),
        });
    }
    if kept_pages < total_pages {
        if let Some(last) = pages.last_mut() {
            let note = format!(
                "document has {total_pages} pages; only the first {kept_pages} were extracted"
            );
            last.problem = Some(match last.problem.take() {
                Some(existing) => format!("{existing}; {note}"),
                None => note,
            });
        }
    }
    let outline =
        catch_unwind(AssertUnwindSafe(|| outline::read_outline(&doc))).unwrap_or_default();
    Ok(ExtractedPdf {
        format: None,
        info,
        pages,
        outline,
        truncated: kept_pages < total_pages,
        attachments: Vec::new(),
    })
}

/// Whether `bytes` has a `%PDF-` header in its first kilobyte (as readers accept).
fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|window| window == b"%PDF-")
}

/// Loads the document with lopdf (decrypting with the empty user password when possible),
/// retrying with a rebuilt cross-reference table when the first attempt fails. Returns the
/// document and whether it was encrypted.
fn load_document(name: &str, bytes: &[u8], limits: &PdfLimits) -> Result<(Document, bool)> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed_bytes),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) if doc.page_iter().next().is_some() || doc.trailer.has(b"Encrypt") => doc,
        first_attempt => {
            let rebuilt = LoadOptions {
                max_decompressed_size: Some(limits.max_decompressed_bytes),
                force_reconstruct: true,
                ..LoadOptions::default()
            };
            match Document::load_mem_with_options(bytes, rebuilt) {
                Ok(doc) if doc.page_iter().next().is_some() => doc,
                _ => match first_attempt {
                    Ok(doc) => doc,
                    Err(lopdf::Error::InvalidPassword) => {
                        return Err(IndexerError::Encrypted(name.to_string()))
                    }
                    Err(error) => {
                        return Err(IndexerError::MalformedPdf {
                            name: name.to_string(),
                            reason: error.to_string(),
                        })
                    }
                },
            }
        }
    };
    // lopdf decrypts with the empty user password while loading and then drops /Encrypt; a
    // remaining /Encrypt means a real password is needed.
    if doc.trailer.has(b"Encrypt") {
        return Err(IndexerError::Encrypted(name.to_string()));
    }
    let was_encrypted = doc.was_encrypted();
    Ok((doc, was_encrypted))
}

/// The text of a caught panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        return (*text).to_string();
    }
    if let Some(text) = payload.downcast_ref::<String>() {
        return text.clone();
    }
    "unknown panic".to_string()
}

/// Reads title, author and dates from the info dictionary.
fn read_info(doc: &Document) -> PdfInfo {
    let mut info = PdfInfo::default();
    let Some(dictionary) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|object| resolve_dict(doc, object))
    else {
        return info;
    };
    let text = |key: &[u8]| -> Option<String> {
        match get(doc, dictionary, key) {
            Some(Object::String(bytes, _)) => {
                let value = encoding::decode_text_string(bytes).trim().to_string();
                (!value.is_empty()).then_some(value)
            }
            _ => None,
        }
    };
    info.title = text(b"Title");
    info.author = text(b"Author");
    info.creation_date = text(b"CreationDate").and_then(|date| encoding::pdf_date_to_iso(&date));
    info.modification_date = text(b"ModDate").and_then(|date| encoding::pdf_date_to_iso(&date));
    info
}

/// The page's crop box (else media box, else US Letter) as `[x0, y0, x1, y1]`, inherited
/// through the page tree.
fn page_box(doc: &Document, page_id: ObjectId) -> [f32; 4] {
    let mut media_box = None;
    let mut crop_box = None;
    let mut node = doc
        .objects
        .get(&page_id)
        .and_then(|object| resolve_dict(doc, object));
    for _ in 0..MAX_PAGE_TREE_DEPTH {
        let Some(dictionary) = node else {
            break;
        };
        if crop_box.is_none() {
            crop_box = dictionary
                .get(b"CropBox")
                .ok()
                .and_then(|object| read_box(doc, object));
        }
        if media_box.is_none() {
            media_box = dictionary
                .get(b"MediaBox")
                .ok()
                .and_then(|object| read_box(doc, object));
        }
        node = dictionary
            .get(b"Parent")
            .ok()
            .and_then(|object| resolve_dict(doc, object));
    }
    let media_box = media_box.unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match crop_box {
        // A crop box is clipped to the media box; a nonsensical one is ignored.
        Some(crop) => {
            let clipped = [
                crop[0].max(media_box[0]),
                crop[1].max(media_box[1]),
                crop[2].min(media_box[2]),
                crop[3].min(media_box[3]),
            ];
            if clipped[2] > clipped[0] && clipped[3] > clipped[1] {
                clipped
            } else {
                media_box
            }
        }
        None => media_box,
    }
}

/// Reads a rectangle array, normalised so that `x0 < x1` and `y0 < y1`.
fn read_box(doc: &Document, object: &Object) -> Option<[f32; 4]> {
    let Object::Array(items) = resolve(doc, object) else {
        return None;
    };
    if items.len() != 4 {
        return None;
    }
    let values: Vec<f32> = items
        .iter()
        .filter_map(|item| resolve_number(doc, item))
        .collect();
    if values.len() != 4 {
        return None;
    }
    let rectangle = [
        values[0].min(values[2]),
        values[1].min(values[3]),
        values[0].max(values[2]),
        values[1].max(values[3]),
    ];
    (rectangle[2] > rectangle[0] && rectangle[3] > rectangle[1]).then_some(rectangle)
}

/// Extracts one page: walk, lay out, and judge whether the text is usable.
fn extract_page(
    doc: &Document,
    page_id: ObjectId,
    page_number: u32,
    fonts: &FontCache,
    limits: &PdfLimits,
    decoded: &AtomicUsize,
    over_limit: &AtomicBool,
) -> ExtractedPage {
    let bounds = page_box(doc, page_id);
    let walk_limits = WalkLimits {
        max_operations: limits.max_operations_per_page,
        max_xobject_depth: limits.max_xobject_depth,
        max_chars: limits.max_chars_per_page,
        max_stream_bytes: limits.max_decompressed_bytes,
    };
    let walked = content::walk_page(doc, page_id, bounds, fonts, walk_limits);
    let decoded_so_far = decoded.fetch_add(walked.content_bytes, Ordering::Relaxed);
    if walked.over_stream_limit
        || decoded_so_far.saturating_add(walked.content_bytes) > limits.max_decompressed_bytes
    {
        over_limit.store(true, Ordering::Relaxed);
    }
    let page_area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]);
    let is_scan = page_area > 0.0 && walked.image_area >= SCAN_IMAGE_COVERAGE * page_area;

    // Text under an opaque box drawn after it is a failed redaction: left out, counted.
    let covered = redaction::covered_chars(&walked.chars, &walked.fills);
    let covered_words = redaction::covered_word_count(&walked.chars, &covered);
    let visible: Vec<content::TextChar> = walked
        .chars
        .iter()
        .zip(&covered)
        .filter(|(_, &is_covered)| !is_covered)
        .map(|(character, _)| *character)
        .collect();
    let mut text = layout::layout_text(&visible);
    if text.chars().count() > limits.max_chars_per_page {
        text = text.chars().take(limits.max_chars_per_page).collect();
    }
    let alphanumerics = text.chars().filter(|c| c.is_alphanumeric()).count();
    let mut page = ExtractedPage {
        page: page_number,
        problem: walked.problem,
        covered_words,
        ..ExtractedPage::default()
    };
    if is_garbage(walked.reliable_chars, walked.unreliable_chars) {
        page.needs_ocr = true;
        page.source = TextSource::None;
        let note = format!(
            "text layer unusable: {} of {} characters have no Unicode mapping (fonts without ToUnicode)",
            walked.unreliable_chars,
            walked.unreliable_chars + walked.reliable_chars
        );
        page.problem = Some(match page.problem.take() {
            Some(existing) => format!("{existing}; {note}"),
            None => note,
        });
        return page;
    }
    if alphanumerics == 0 {
        page.source = TextSource::None;
        page.needs_ocr = is_scan;
        return page;
    }
    if layout::may_hold_a_table(&text) {
        page.table_lines = layout::table_lines(&visible);
    }
    page.text = text;
    page.source = TextSource::Text;
    page.needs_ocr = is_scan && alphanumerics < MIN_TEXT_ALPHANUMERICS;
    page
}

/// A page's text is garbage when most of its characters come from fonts without a usable
/// Unicode mapping (Type3 or symbolic fonts without ToUnicode, CID fonts without ToUnicode).
fn is_garbage(reliable: usize, unreliable: usize) -> bool {
    unreliable >= 20 && unreliable > reliable
}

#[cfg(test)]
mod tests;
