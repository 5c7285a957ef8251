//! End-to-end tests of `extract_pdf` on PDFs built in code with lopdf.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};

use super::*;

/// Builds a one-page-per-entry PDF; each page gets `content` and the font resources `fonts`
/// (name → font dictionary) plus `xobjects` (name → stream).
fn build_pdf(
    pages: &[&[u8]],
    fonts: Vec<(&str, Dictionary)>,
    xobjects: Vec<(&str, Stream)>,
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut font_entries = Dictionary::new();
    for (name, font) in fonts {
        let id = doc.add_object(font);
        font_entries.set(name, id);
    }
    let mut xobject_entries = Dictionary::new();
    for (name, stream) in xobjects {
        let id = doc.add_object(stream);
        xobject_entries.set(name, id);
    }
    let resources_id =
        doc.add_object(dictionary! { "Font" => font_entries, "XObject" => xobject_entries });
    let mut kids = Vec::new();
    for content in pages {
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("test PDF serialises");
    bytes
}

/// Helvetica with WinAnsiEncoding.
fn helvetica() -> Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}

fn extract_one(bytes: &[u8]) -> ExtractedPage {
    let pdf = extract_pdf("test.pdf", bytes, &PdfLimits::default()).expect("test PDF extracts");
    pdf.pages.into_iter().next().expect("one page")
}

#[test]
fn tj_words_and_kerning_offsets() {
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (Het) Tj ( besluit) Tj 0 -14 Td [(Woo)-300(verzoek)-20(en)] TJ ET"],
        vec![("F1", helvetica())],
        vec![],
    );
    let page = extract_one(&bytes);
    assert_eq!(page.text, "Het besluit\nWoo verzoeken");
    assert_eq!(page.source, TextSource::Text);
    assert!(!page.needs_ocr);
}

#[test]
fn not_pdf_and_truncated_files_are_errors() {
    assert!(matches!(
        extract_pdf("x.pdf", b"hello world", &PdfLimits::default()),
        Err(IndexerError::NotPdf(_))
    ));
    assert!(matches!(
        extract_pdf("x.pdf", b"%PDF-1.6\n", &PdfLimits::default()),
        Err(IndexerError::MalformedPdf { .. })
    ));
}
