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

#[test]
fn macroman_and_differences_encodings() {
    let macroman = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman", "Encoding" => "MacRomanEncoding",
    };
    let differences = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! {
            "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![1.into(), Object::Name(b"eacute".to_vec()), Object::Name(b"fi".to_vec()),
                Object::Name(b"uni0133".to_vec())],
        },
    };
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (caf\x8E) Tj ET BT /F2 12 Tf 72 680 Td (\x02nanci\x01le) Tj ( \x03s) Tj ET"],
        vec![("F1", macroman), ("F2", differences)],
        vec![],
    );
    assert_eq!(extract_one(&bytes).text, "café\nfinanciéle ijs");
}

/// A Type0 font with Identity-H codes and a ToUnicode CMap using bfrange arrays.
fn type0_font(doc_cmap: &[u8]) -> (Dictionary, Stream) {
    let cmap = Stream::new(dictionary! {}, doc_cmap.to_vec());
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Arial", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Arial", "DW" => 556,
            "W" => vec![3.into(), Object::Array(vec![278.into()])],
        })],
    };
    (font, cmap)
}

#[test]
fn type0_identity_h_with_to_unicode() {
    let (font, cmap) = type0_font(
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
          1 beginbfchar <0003> <0020> endbfchar\n\
          2 beginbfrange <0010> <0012> [<0057> <006F> <006F>] <0020> <0021> <00E9> endbfrange",
    );
    // The ToUnicode map is added to the font after the document exists.
    let mut doc = Document::with_version("1.5");
    let cmap_id = doc.add_object(cmap);
    let mut font = font;
    font.set("ToUnicode", cmap_id);
    let font_id = doc.add_object(font);
    let content = b"BT /F1 10 Tf 72 700 Td <001000110012000300200021> Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("test PDF serialises");
    assert_eq!(extract_one(&bytes).text, "Woo éê");
}

#[test]
fn reading_order_follows_position_not_stream_order() {
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 686 Td (tweede regel) Tj ET BT /F1 12 Tf 72 700 Td (eerste regel) Tj ET"],
        vec![("F1", helvetica())],
        vec![],
    );
    assert_eq!(extract_one(&bytes).text, "eerste regel\ntweede regel");
}

#[test]
fn two_columns_are_read_one_after_the_other() {
    let mut content = b"BT /F1 10 Tf".to_vec();
    for line in 0..4 {
        let y = 700 - line * 12;
        content.extend_from_slice(
            format!(" 1 0 0 1 60 {y} Tm (links {line}) Tj 1 0 0 1 320 {y} Tm (rechts {line}) Tj")
                .as_bytes(),
        );
    }
    content.extend_from_slice(b" ET");
    let bytes = build_pdf(&[&content], vec![("F1", helvetica())], vec![]);
    assert_eq!(
        extract_one(&bytes).text,
        "links 0\nlinks 1\nlinks 2\nlinks 3\nrechts 0\nrechts 1\nrechts 2\nrechts 3"
    );
}

#[test]
fn hyphenated_line_ends_are_joined() {
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 14 TL 72 700 Td (de verant-) Tj T* (woordelijke minister) Tj T* (Noord-) Tj T* (Holland) Tj ET"],
        vec![("F1", helvetica())],
        vec![],
    );
    assert_eq!(
        extract_one(&bytes).text,
        "de verantwoordelijke minister\nNoord-\nHolland"
    );
}

#[test]
fn ligatures_and_soft_hyphens() {
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! { "Differences" => vec![1.into(), Object::Name(b"fi".to_vec()), Object::Name(b"ffl".to_vec())] },
    };
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (\x01nancieel en wa\x02e) Tj ET"],
        vec![("F1", font)],
        vec![],
    );
    assert_eq!(extract_one(&bytes).text, "financieel en waffle");
    let soft_hyphen = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! { "Differences" => vec![173.into(), Object::Name(b"sfthyphen".to_vec())] },
    };
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (be\xADsluit) Tj ET"],
        vec![("F1", soft_hyphen)],
        vec![],
    );
    assert_eq!(extract_one(&bytes).text, "besluit");
}

#[test]
fn form_xobjects_are_followed_with_their_matrix_and_self_reference_is_refused() {
    let mut doc_form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
        "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), (-100).into()] },
        b"BT /F1 12 Tf 72 700 Td (in formulier) Tj ET /X1 Do".to_vec(),
    );
    // The form names itself as /X1 through the shared page resources: a self-reference.
    doc_form.dict.set("Resources", Object::Null);
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (op pagina) Tj ET /X1 Do"],
        vec![("F1", helvetica())],
        vec![("X1", doc_form)],
    );
    let page = extract_one(&bytes);
    assert_eq!(page.text, "op pagina\nin formulier");
    assert!(page.problem.is_none());
}

#[test]
fn invisible_text_over_a_scan_is_kept_and_an_image_only_page_needs_ocr() {
    let image = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0],
    );
    let bytes = build_pdf(
        &[
            b"q 595 0 0 842 0 0 cm /Im1 Do Q BT 3 Tr /F1 12 Tf 72 700 Td (onzichtbare OCR laag met genoeg tekst om te tellen) Tj ET",
            b"q 595 0 0 842 0 0 cm /Im1 Do Q",
            b"BT /F1 12 Tf ET",
        ],
        vec![("F1", helvetica())],
        vec![("Im1", image)],
    );
    let pdf = extract_pdf("scan.pdf", &bytes, &PdfLimits::default()).expect("extracts");
    assert_eq!(pdf.pages.len(), 3);
    assert_eq!(pdf.pages[0].source, TextSource::Text);
    assert!(!pdf.pages[0].needs_ocr);
    assert!(pdf.pages[0].text.starts_with("onzichtbare OCR laag"));
    assert_eq!(pdf.pages[1].source, TextSource::None);
    assert!(pdf.pages[1].needs_ocr);
    assert_eq!(pdf.pages[2].source, TextSource::None);
    assert!(!pdf.pages[2].needs_ocr, "a blank page has nothing to OCR");
}

#[test]
fn type3_font_without_unicode_makes_the_page_garbage() {
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "CharProcs" => dictionary! {}, "Resources" => dictionary! {},
        "Encoding" => dictionary! { "Differences" => vec![1.into(), Object::Name(b"g1".to_vec()), Object::Name(b"g2".to_vec())] },
        "FirstChar" => 1, "LastChar" => 2, "Widths" => vec![500.into(), 500.into()],
    };
    let bytes = build_pdf(&[b"BT /F1 12 Tf 72 700 Td (\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02\x01\x02) Tj ET"], vec![("F1", font)], vec![]);
    let page = extract_one(&bytes);
    assert!(page.needs_ocr);
    assert_eq!(page.source, TextSource::None);
    assert!(page.text.is_empty());
    assert!(page
        .problem
        .as_deref()
        .is_some_and(|problem| problem.contains("unusable")));
}

#[test]
fn info_dictionary_dates_and_utf16_title() {
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 72 700 Td (x) Tj ET"],
        vec![("F1", helvetica())],
        vec![],
    );
    let mut doc = Document::load_mem(&bytes).expect("test PDF loads");
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::String(b"\xFE\xFF\x00W\x00o\x00o\x00-\x00b\x00e\x00s\x00l\x00u\x00i\x00t".to_vec(), lopdf::StringFormat::Hexadecimal),
        "Author" => Object::string_literal("Gemeente Amsterdam"),
        "CreationDate" => Object::string_literal("D:20210324101500+01'00'"),
        "ModDate" => Object::string_literal("garbage"),
    });
    doc.trailer.set("Info", info_id);
    let mut saved = Vec::new();
    doc.save_to(&mut saved).expect("saves");
    let pdf = extract_pdf("info.pdf", &saved, &PdfLimits::default()).expect("extracts");
    assert_eq!(pdf.info.title.as_deref(), Some("Woo-besluit"));
    assert_eq!(pdf.info.author.as_deref(), Some("Gemeente Amsterdam"));
    assert_eq!(pdf.info.creation_date.as_deref(), Some("2021-03-24"));
    assert_eq!(pdf.info.modification_date, None);
    assert!(!pdf.info.encrypted);
}

#[test]
fn limits_cut_pages_short_and_skip_pages() {
    let bytes = build_pdf(
        &[
            b"BT /F1 12 Tf 72 700 Td (een) Tj (twee) Tj (drie) Tj (vier) Tj ET",
            b"BT /F1 12 Tf 72 700 Td (tweede) Tj ET",
        ],
        vec![("F1", helvetica())],
        vec![],
    );
    let limits = PdfLimits {
        max_operations_per_page: 4,
        max_pages: 1,
        ..PdfLimits::default()
    };
    let pdf = extract_pdf("limits.pdf", &bytes, &limits).expect("extracts");
    assert_eq!(pdf.pages.len(), 1);
    assert_eq!(pdf.pages[0].text, "een");
    let problem = pdf.pages[0].problem.as_deref().unwrap_or_default();
    assert!(
        problem.contains("cut short") && problem.contains("only the first 1"),
        "{problem}"
    );
}

#[test]
fn rotated_text_is_extracted() {
    // Text drawn bottom-to-top (as on a page shown with /Rotate 90).
    let bytes = build_pdf(
        &[b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (gedraaide tekst) Tj ET"],
        vec![("F1", helvetica())],
        vec![],
    );
    assert_eq!(extract_one(&bytes).text, "gedraaide tekst");
}

#[test]
fn garbage_bytes_after_a_header_do_not_panic() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    let result = extract_pdf("noise.pdf", &bytes, &PdfLimits::default());
    assert!(result.is_err());
}

/// Tests on the shared corpus (skipped when it is not there).
mod corpus {
    use super::*;
    use std::path::PathBuf;

    fn corpus_file(relative: &str) -> Option<Vec<u8>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus")
            .join(relative);
        std::fs::read(path).ok()
    }

    #[test]
    fn aes256_with_empty_user_password_is_decrypted() {
        let Some(bytes) = corpus_file("pzh-pdf-unlock/Python_(programming_language).pdf") else {
            return;
        };
        let pdf = extract_pdf("python.pdf", &bytes, &PdfLimits::default()).expect("decrypts");
        assert!(pdf.info.encrypted);
        assert_eq!(pdf.pages.len(), 35);
        assert!(pdf.pages[0].text.contains("Python"));
    }

    #[test]
    fn real_user_password_is_reported() {
        let Some(bytes) = corpus_file("py-pdf-sample-files/libreoffice-writer-password.pdf") else {
            return;
        };
        assert!(matches!(
            extract_pdf("password.pdf", &bytes, &PdfLimits::default()),
            Err(IndexerError::Encrypted(_))
        ));
    }

    #[test]
    fn type3_garble_letter_needs_ocr() {
        let Some(bytes) = corpus_file("wetsuite-core/testfiles/garble.pdf") else {
            return;
        };
        let pdf = extract_pdf("garble.pdf", &bytes, &PdfLimits::default()).expect("extracts");
        assert_eq!(pdf.pages.len(), 11);
        assert!(
            pdf.pages.iter().all(|page| page.needs_ocr),
            "every page is Type3 without ToUnicode"
        );
    }

    #[test]
    fn broken_fixtures_are_errors() {
        if let Some(bytes) = corpus_file("plooi/broken/IAmWrongPDF.pdf") {
            assert!(matches!(
                extract_pdf("wrong.pdf", &bytes, &PdfLimits::default()),
                Err(IndexerError::NotPdf(_))
            ));
        }
        if let Some(bytes) = corpus_file("plooi/broken/test_broken.pdf") {
            assert!(matches!(
                extract_pdf("broken.pdf", &bytes, &PdfLimits::default()),
                Err(IndexerError::MalformedPdf { .. })
            ));
        }
    }

    #[test]
    fn long_report_has_all_pages_with_text() {
        let Some(bytes) = corpus_file("coronamelder/20200928 Duidingsrapportage Coronamelder.pdf")
        else {
            return;
        };
        let pdf = extract_pdf("duiding.pdf", &bytes, &PdfLimits::default()).expect("extracts");
        assert_eq!(pdf.pages.len(), 131);
        let with_text = pdf
            .pages
            .iter()
            .filter(|page| page.source == TextSource::Text)
            .count();
        assert!(with_text >= 125, "{with_text} pages with text");
        assert!(pdf
            .pages
            .iter()
            .any(|page| page.text.contains("CoronaMelder")));
    }
}
