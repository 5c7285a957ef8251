//! Scans delivered as images (`.png`, `.jpg`, `.jpeg`, `.tif`, `.tiff`): one page without a
//! text layer that needs OCR, which `crate::ocr::apply_ocr` gives it from the image itself
//! (no rendering; cached like a PDF page). The bytes must be the image the name says (PNG,
//! JPEG or TIFF magic); a multi-frame TIFF is read as one page.

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPage, ExtractedPdf, TextSource};

/// Reads an image file: one page that needs OCR.
pub fn read_image(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = bytes.starts_with(b"\xff\xd8\xff");
    let is_tiff = bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*");
    if !(is_png || is_jpeg || is_tiff) {
        return Err(IndexerError::UnsupportedFormat {
            name: name.to_string(),
            reason: "not a PNG, JPEG or TIFF image".to_string(),
        });
    }
    Ok(ExtractedPdf {
        pages: vec![ExtractedPage {
            page: 1,
            source: TextSource::None,
            needs_ocr: true,
            ..ExtractedPage::default()
        }],
        ..ExtractedPdf::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_one_page_that_needs_ocr_and_other_bytes_are_refused() {
        let extracted = read_image("scan.png", b"\x89PNG\r\n\x1a\n....").unwrap();
        assert_eq!(extracted.pages.len(), 1);
        assert!(extracted.pages[0].needs_ocr);
        assert!(matches!(
            read_image("scan.jpg", b"%PDF-1.4"),
            Err(IndexerError::UnsupportedFormat { .. })
        ));
    }
}
