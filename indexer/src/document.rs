//! Building [`Document`]s from a file's extraction and metadata: the title (metadata, a usable
//! PDF info title, the first heading line, the file name), language per page, refusal-ground
//! stamps, labelled reference numbers, the decision-letter facts ([`crate::decision`]), the
//! complaint-judgement facts ([`crate::complaint_letter`]) and the normalised publisher,
//! category, date, judgement and grounds.
//!
//! [`build_document`] makes one document; [`build_documents`] makes all documents of one PDF:
//! one, or the parts of a bundle ([`crate::bundle`]), plus an entry without pages for every row
//! of the PDF's own inventory table that no part carries. Pure: no I/O.

use std::collections::HashSet;
use std::path::Path;

use crate::bundle::{self, BundleContext, BundlePart, PART_HASH_PREFIX};
use crate::ids::id_of_entry;
use crate::inventory::{self, InventoryRow, LinkedRow};
use crate::metadata::{DocumentMetadata, PublicationMetadata, ResolvedMetadata};
use woo_core::dates::normalise_date;
use woo_core::model::{Document, ExtractedPage, ExtractedPdf, Page, PdfInfo};
use woo_core::woo;
use woo_core::DocumentFields;

/// Builds the document from its extraction and metadata (pure: no I/O).
pub fn build_document(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: String,
) -> Document {
    let entry = &resolved.document;
    let publication = resolved.publication.as_ref();
    let covered_words = extracted.pages.iter().map(|page| page.covered_words).sum();
    let pages = analysed_pages(extracted.pages);
    let emails = crate::email_headers::read_email_headers(&pages);
    let mut references = find_references(&pages);
    if let Some(identifier) = &extracted.info.identifier {
        if !references.contains(identifier) {
            references.insert(0, identifier.clone());
        }
    }
    let format = extracted
        .format
        .clone()
        .unwrap_or_else(|| "pdf".to_string());
    let decision = crate::decision::analyse_decision(
        &title_for_decision(entry, source),
        entry.document_type.as_deref(),
        &pages,
    );
    let title = document_title(entry, &extracted.info, &pages, source, &emails);
    let publisher = entry
        .publisher
        .clone()
        .or_else(|| publication.and_then(|p| p.publisher.clone()))
        .map(|value| woo::normalise_publisher(&value));
    let category = entry
        .category
        .clone()
        .or_else(|| publication.and_then(|p| p.category.clone()))
        .map(|value| normalise_category(&value));
    let is_decision_letter = decision.is_some();
    let mut document = Document {
        fields: DocumentFields {
            id: id_of_entry(entry, source),
            title,
            source: source.to_string(),
            file_path: file_path.to_string_lossy().into_owned(),
            content_hash: hash,
            publication_id: entry
                .publication_id
                .clone()
                .or_else(|| publication.map(|p| p.id.clone())),
            publication_title: entry
                .publication_title
                .clone()
                .or_else(|| publication.and_then(|p| p.title.clone())),
            publisher,
            category,
            document_type: entry
                .document_type
                .clone()
                .or_else(|| extracted.info.document_type.clone()),
            date: document_date(entry, publication, &extracted.info),
            judgement: normalised_judgement(entry),
            // The publication's summary describes the publication, not each document.
            summary: entry
                .summary
                .clone()
                .or_else(|| extracted.info.summary.clone()),
            references,
            decision_date: decision
                .as_ref()
                .and_then(|facts| facts.decision_date.clone()),
            request_date: decision
                .as_ref()
                .and_then(|facts| facts.request_date.clone()),
            decision: decision.as_ref().and_then(|facts| facts.decision.clone()),
            articles: decision.map(|facts| facts.articles).unwrap_or_default(),
            format: Some(format),
            court: extracted.info.court.clone(),
            covered_words,
            emails,
            ..Default::default()
        },
        grounds: normalised_grounds(entry),
        pages,
        ..Document::default()
    };
    if !is_decision_letter {
        add_complaint_judgement(&mut document);
    }
    document.fields.text_signature = visible_text_signature(&document.pages);
    document
}

/// The near-duplicate signature of the pages' text (what the index holds of them: covered
/// words were left out by extraction).
fn visible_text_signature(pages: &[Page]) -> Vec<u32> {
    let text: String = pages
        .iter()
        .map(|page| page.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    woo_core::similarity::text_signature(&text)
}

/// A document of category `2l`, or without a category and reading as a complaint judgement,
/// gets the facts its letter states ([`crate::complaint_letter`]); metadata wins where it has
/// a value.
fn add_complaint_judgement(document: &mut Document) {
    use crate::complaint_letter::{looks_like_complaint_judgement, read_complaint_letter};
    let fields = &mut document.fields;
    let categorised = fields.category.as_deref() == Some(woo::COMPLAINT_CATEGORY);
    if !categorised
        && (fields.category.is_some() || !looks_like_complaint_judgement(&document.pages))
    {
        return;
    }
    let Some(facts) = read_complaint_letter(&document.pages) else {
        return;
    };
    fields.category = Some(woo::COMPLAINT_CATEGORY.to_string());
    if fields.document_type.is_none() {
        fields.document_type = Some(crate::complaint::COMPLAINT_TYPE.to_string());
    }
    if fields.publisher.is_none() {
        fields.publisher = facts.body.map(|body| woo::normalise_publisher(&body));
    }
    if fields.date.is_none() {
        fields.date = facts.judged_date;
    }
    if fields.summary.is_none() {
        let part_subjects: Vec<&str> = facts
            .parts
            .iter()
            .filter_map(|part| part.subject.as_deref())
            .collect();
        fields.summary = (!part_subjects.is_empty()).then(|| part_subjects.join("; "));
    }
    fields.received_date = facts.received_date;
    fields.subject = facts.subject;
    fields.outcome = facts.outcome;
    fields.norms = facts.norms;
    fields.complaint_parts = facts.parts;
}

/// Extracted pages -> index pages, with their language and refusal-ground stamps.
fn analysed_pages(extracted: Vec<ExtractedPage>) -> Vec<Page> {
    extracted
        .into_iter()
        .map(|page| Page {
            page: page.page,
            language: detect_language(&page.text),
            grounds: woo::find_ground_stamps(&page.text),
            text: page.text,
            source: page.source,
            ocr_confidence: page.ocr_confidence,
        })
        .collect()
}

/// The metadata's title, else a usable PDF info title, else an e-mail's subject, else the first
/// heading line of the first page, else the file name.
fn document_title(
    entry: &DocumentMetadata,
    info: &PdfInfo,
    pages: &[Page],
    source: &str,
    emails: &[woo_core::EmailHeaders],
) -> String {
    entry
        .title
        .clone()
        .filter(|title| !title.trim().is_empty())
        .or_else(|| info.title.as_deref().and_then(usable_info_title))
        .or_else(|| {
            emails
                .first()
                .and_then(|message| message.subject.clone())
                .filter(|subject| !subject.trim().is_empty())
        })
        .or_else(|| {
            pages
                .first()
                .and_then(|page| first_heading_line(&page.text))
        })
        .unwrap_or_else(|| file_stem_title(source))
}

/// The document's date, else the publication's, else the PDF's creation date.
fn document_date(
    entry: &DocumentMetadata,
    publication: Option<&PublicationMetadata>,
    info: &PdfInfo,
) -> Option<String> {
    entry
        .date
        .as_deref()
        .and_then(normalise_date)
        .or_else(|| {
            publication
                .and_then(|p| p.date.as_deref())
                .and_then(normalise_date)
        })
        .or_else(|| info.creation_date.clone())
}

/// The judgement as a Woo value, else as written in lowercase.
fn normalised_judgement(entry: &DocumentMetadata) -> Option<String> {
    entry.judgement.as_deref().map(|value| {
        woo::normalise_judgement(value)
            .map(str::to_string)
            .unwrap_or_else(|| value.trim().to_lowercase())
    })
}

/// The grounds as Woo codes; unknown values kept as written.
fn normalised_grounds(entry: &DocumentMetadata) -> Vec<String> {
    entry
        .grounds
        .iter()
        .map(|value| woo::normalise_ground(value).unwrap_or_else(|| value.trim().to_string()))
        .collect()
}

/// What the inventories say about one PDF, for [`build_documents`].
pub struct PdfContext<'a> {
    /// An inventory row names this PDF: it is one document, never split.
    pub is_linked_row: bool,
    /// Rows without a PDF of the inventories describing its folder (a bundle may carry them).
    pub scope_rows: Vec<&'a LinkedRow>,
    /// The PDF is an inventory whose table was linked before extraction, for this publication.
    pub inventory_publication: Option<(String, String)>,
}

/// The documents of one file: one document, or the parts of a bundle ([`crate::bundle`]); plus
/// an entry without pages for every row of the PDF's own inventory table that no part carries
/// (unless the table was already linked as an inventory before extraction); plus a document
/// for every file inside it (attachments, archive members; [`add_attachment_documents`]).
pub fn build_documents(
    mut extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: String,
    context: &PdfContext,
) -> Vec<Document> {
    let attachments = std::mem::take(&mut extracted.attachments);
    let mut documents = build_file_documents(extracted, resolved, source, file_path, hash, context);
    let Some(parent) = documents.first().cloned() else {
        return documents;
    };
    add_attachment_documents(&mut documents, &parent, attachments);
    documents
}

/// Every file inside the file (an e-mail's attachments, an archive's members, and theirs) as a
/// document of its own: id from `<parent id>/<name>`, source `<parent source>#<name>`, the parent's publication and
/// metadata, the parent's id among its references (and its own among the parent's), its own
/// format, title and pages. Files that could not be read are left out (they have no pages).
fn add_attachment_documents(
    documents: &mut Vec<Document>,
    parent: &Document,
    attachments: Vec<woo_core::ExtractedAttachment>,
) {
    for attachment in attachments {
        let Some(mut extraction) = attachment.extraction else {
            continue;
        };
        let nested = std::mem::take(&mut extraction.attachments);
        // `bericht.eml#notitie.txt`, `archief.zip#map/b.zip/c.txt`: the file part is the file
        // on disk (`crate::write::source_file`), so a changed file replaces its attachments.
        let separator = if parent.fields.source.contains('#') {
            '/'
        } else {
            '#'
        };
        let source = format!("{}{separator}{}", parent.fields.source, attachment.name);
        let mut child = parent.clone();
        child.fields.id = woo_core::ids::default_document_id(&format!(
            "{}/{}",
            parent.fields.id, attachment.name
        ));
        child.fields.title = extraction
            .info
            .title
            .clone()
            .filter(|title| !title.trim().is_empty())
            .unwrap_or_else(|| file_stem_title(&attachment.name));
        child.fields.source = source;
        child.fields.format = extraction.format.clone().or(Some("pdf".to_string()));
        child.fields.content_hash = format!("{}:{}", parent.fields.content_hash, attachment.name);
        child.fields.references = vec![parent.fields.id.clone()];
        child.fields.first_page = None;
        child.fields.court = extraction.info.court.clone();
        if let Some(date) = extraction.info.creation_date.clone() {
            child.fields.date = Some(date);
        }
        child.pages = analysed_pages(extraction.pages);
        if let Some(first) = documents.first_mut() {
            first.fields.references.push(child.fields.id.clone());
        }
        documents.push(child.clone());
        add_attachment_documents(documents, &child, nested);
    }
}

/// The documents of the file itself: one, or the parts of a bundle.
fn build_file_documents(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: String,
    context: &PdfContext,
) -> Vec<Document> {
    let own_rows = if context.inventory_publication.is_some() {
        Vec::new()
    } else {
        inventory::rows_of_pdf_pages(&extracted.pages)
    };
    let mut known_ids: Vec<String> = own_rows.iter().filter_map(|row| row.id.clone()).collect();
    known_ids.extend(
        context
            .scope_rows
            .iter()
            .filter_map(|linked| linked.row.id.clone()),
    );
    // An inventory list of several pages is one document, whatever its bookmarks say.
    let table_pages = extracted
        .pages
        .iter()
        .filter(|page| !page.table_lines.is_empty())
        .count();
    let is_inventory_list = table_pages * 2 >= extracted.pages.len();
    let parts = if context.is_linked_row || is_inventory_list {
        None
    } else {
        bundle::split_bundle(&extracted.pages, &extracted.outline, &known_ids)
    };
    let Some(parts) = parts else {
        let document = build_document(extracted, resolved, source, file_path, hash.clone());
        return with_own_rows(document, &own_rows, source, &hash);
    };
    build_bundle_documents(
        extracted, resolved, source, file_path, &hash, &parts, &own_rows, context,
    )
}

/// One document and, when its PDF holds an inventory table (a decision with its inventory), an
/// entry for each row, in the document's publication (the document itself when it has none).
fn with_own_rows(
    mut document: Document,
    own_rows: &[InventoryRow],
    source: &str,
    hash: &str,
) -> Vec<Document> {
    if own_rows.is_empty() {
        return vec![document];
    }
    if document.fields.publication_id.is_none() {
        document.fields.publication_id = Some(document.fields.id.clone());
        document.fields.publication_title = Some(document.fields.title.clone());
    }
    let publication_id = document.fields.publication_id.clone().unwrap_or_default();
    let publication_title = document
        .fields
        .publication_title
        .clone()
        .unwrap_or_default();
    let mut documents = vec![document];
    let mut used_ids = HashSet::new();
    for (index, row) in own_rows.iter().enumerate() {
        documents.push(own_row_entry(
            row,
            index,
            source,
            (&publication_id, &publication_title),
            hash,
            &mut used_ids,
        ));
    }
    documents
}

/// The entry of a row of a PDF's own inventory table: a unique id among `used_ids`, and a part
/// hash of the PDF (see [`PART_HASH_PREFIX`]).
fn own_row_entry(
    row: &InventoryRow,
    index: usize,
    source: &str,
    (publication_id, publication_title): (&str, &str),
    hash: &str,
    used_ids: &mut HashSet<String>,
) -> Document {
    let mut entry = inventory::row_document(row, index, source, publication_id, publication_title);
    entry.fields.id = inventory::unique_id(&entry.fields.id, used_ids);
    entry.fields.content_hash = format!("{PART_HASH_PREFIX}{hash}");
    entry
}

/// The documents of a bundle split into `parts` (see [`bundle::part_input`]): the first part
/// keeps the bundle's own id and content hash, so an unchanged bundle is skipped as one file;
/// then an entry for every row of its own inventory table that no part carries.
#[allow(clippy::too_many_arguments)]
fn build_bundle_documents(
    extracted: ExtractedPdf,
    resolved: &ResolvedMetadata,
    source: &str,
    file_path: &Path,
    hash: &str,
    parts: &[BundlePart],
    own_rows: &[InventoryRow],
    context: &PdfContext,
) -> Vec<Document> {
    let entry = &resolved.document;
    let bundle_id = id_of_entry(entry, source);
    let bundle_title = entry
        .title
        .clone()
        .or_else(|| extracted.info.title.as_deref().and_then(usable_info_title))
        .unwrap_or_else(|| file_stem_title(source));
    let (publication_id, publication_title) =
        bundle::bundle_publication(resolved, &bundle_id, &bundle_title);
    let bundle = BundleContext {
        resolved,
        source,
        hash,
        bundle_id,
        publication_id,
        publication_title,
        own_rows,
        scope_rows: &context.scope_rows,
    };
    let mut claimed_own: Vec<bool> = vec![false; own_rows.len()];
    let mut documents = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let input = bundle::part_input(&bundle, index, part, &extracted, &mut claimed_own);
        let mut document = build_document(
            input.extracted,
            &input.resolved,
            &input.source,
            file_path,
            input.hash,
        );
        document.fields.first_page = Some(part.first_page);
        documents.push(document);
    }
    let mut used_ids: HashSet<String> = documents
        .iter()
        .map(|document| document.fields.id.clone())
        .collect();
    for (index, row) in own_rows.iter().enumerate() {
        if claimed_own[index] {
            continue;
        }
        documents.push(own_row_entry(
            row,
            index,
            source,
            (&bundle.publication_id, &bundle.publication_title),
            hash,
            &mut used_ids,
        ));
    }
    documents
}

/// Bytes of a page that language detection reads: whatlang's trigram statistics are settled
/// long before, and detection was a tenth of the indexing time on full pages.
const LANGUAGE_SAMPLE_BYTES: usize = 2_000;

/// The languages a page is told apart between: those Dutch public bodies publish in (Dutch,
/// English, the neighbours' and the main immigrant languages). whatlang scores every allowed
/// language's trigram profile, so a short list instead of its 69 languages made detection
/// several times cheaper (it was a fifth of `woo index`'s CPU, measured with perf).
const DETECTED_LANGUAGES: &[whatlang::Lang] = &[
    whatlang::Lang::Nld,
    whatlang::Lang::Eng,
    whatlang::Lang::Deu,
    whatlang::Lang::Fra,
    whatlang::Lang::Spa,
    whatlang::Lang::Ita,
    whatlang::Lang::Por,
    whatlang::Lang::Pol,
    whatlang::Lang::Ron,
    whatlang::Lang::Tur,
    whatlang::Lang::Dan,
    whatlang::Lang::Swe,
    whatlang::Lang::Ara,
    whatlang::Lang::Rus,
    whatlang::Lang::Ukr,
];

/// The detector over [`DETECTED_LANGUAGES`], built once.
fn language_detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(DETECTED_LANGUAGES.to_vec()))
}

/// Language of a page as ISO 639-1 (`nl`, `en`, `de`, `fr`) or whatlang's 639-3 code, from
/// its first [`LANGUAGE_SAMPLE_BYTES`] bytes.
pub fn detect_language(text: &str) -> Option<String> {
    let mut sample_end = text.len().min(LANGUAGE_SAMPLE_BYTES);
    while !text.is_char_boundary(sample_end) {
        sample_end -= 1;
    }
    let text = &text[..sample_end];
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 40 {
        return None;
    }
    let info = language_detector().detect(text)?;
    if !info.is_reliable() && letters < 400 {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Nld => "nl",
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Ita => "it",
        other => other.code(),
    };
    Some(code.to_string())
}

/// Pages searched for reference numbers (the letterhead of a decision is on its first pages).
const REFERENCE_PAGES: usize = 2;

/// Reference numbers labelled as such at the start of a line on the first pages (the
/// letterhead): `Ons kenmerk 2024-0001234`, `Zaaknummer: Z/21/123456`, `Referentie WOO-2023-12`;
/// not `Uw kenmerk` (the requester's) nor a number merely cited in a sentence. They go to the identifier field, so
/// typing the number finds the letter that carries it first.
pub fn find_references(pages: &[Page]) -> Vec<String> {
    static LABELLED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?im)^[ \t]*(?:ons[ \t]+)?(?:kenmerk|referentie|zaaknummer|dossiernummer|registratienummer|documentnummer)(?:\s+(?:nummer|nr\.?))?\s*[:.]?[ \t]*\n?[ \t]*([A-Z0-9][A-Z0-9./_-]{3,40})",
        )
        .expect("valid reference pattern")
    });
    let mut references: Vec<String> = Vec::new();
    for page in pages.iter().take(REFERENCE_PAGES) {
        for captures in LABELLED.captures_iter(&page.text) {
            let value = captures[1].trim_end_matches(['.', '-', '/']).to_string();
            let has_digit = value.chars().any(|c| c.is_ascii_digit());
            if has_digit && !references.contains(&value) {
                references.push(value);
            }
        }
    }
    references
}

/// A PDF info title worth showing (not "Microsoft Word - x.docx", "untitled", ...).
pub fn usable_info_title(title: &str) -> Option<String> {
    let mut title = title.trim().to_string();
    if let Some(rest) = title.strip_prefix("Microsoft Word - ") {
        title = rest.to_string();
    }
    for suffix in [".docx", ".doc", ".pdf", ".odt"] {
        if let Some(rest) = title.strip_suffix(suffix) {
            title = rest.to_string();
        }
    }
    let lower = title.to_lowercase();
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 4 || lower.starts_with("untitled") || lower.starts_with("document") && letters < 10
    {
        return None;
    }
    Some(title)
}

/// The first heading-like line of the text: letters, not a page number line, not too long.
fn first_heading_line(text: &str) -> Option<String> {
    for line in text.lines().take(40) {
        let line = line.trim();
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 || line.chars().count() > 150 {
            continue;
        }
        let lower = line.to_lowercase();
        if lower.starts_with("pagina") || lower.starts_with("page ") {
            continue;
        }
        if letters * 2 < line.chars().count() {
            continue;
        }
        return Some(line.to_string());
    }
    None
}

/// The file name of a source path without `.pdf`, `_` and `+` as spaces: the title of last resort.
pub fn file_stem_title(source: &str) -> String {
    let file = crate::write::source_file(source);
    let name = file.rsplit('/').next().unwrap_or(file);
    let without_extension = match crate::readers::Format::of_name(name) {
        Some(_) => name.rsplit_once('.').map_or(name, |(stem, _)| stem),
        None => name,
    };
    without_extension.replace(['_', '+'], " ")
}

/// Normalises a category value to its letter code; unknown values are kept as given.
fn normalise_category(value: &str) -> String {
    match woo::category_by_any(value) {
        Some(category) => category.code.to_string(),
        None => value.trim().to_string(),
    }
}

/// The title a decision letter is recognised by: the metadata's, else the file name.
fn title_for_decision(entry: &DocumentMetadata, source: &str) -> String {
    entry
        .title
        .clone()
        .unwrap_or_else(|| file_stem_title(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_titles_are_cleaned_or_refused() {
        assert_eq!(
            usable_info_title("Microsoft Word - Besluit Woo-verzoek.docx").as_deref(),
            Some("Besluit Woo-verzoek")
        );
        assert_eq!(usable_info_title("untitled"), None);
        assert_eq!(usable_info_title("Document1"), None);
    }

    #[test]
    fn heading_skips_page_numbers_and_digit_lines() {
        let text = "Pagina 1 van 3\n2024-0001234\nBesluit op uw Woo-verzoek\nGeachte heer";
        assert_eq!(
            first_heading_line(text).as_deref(),
            Some("Besluit op uw Woo-verzoek")
        );
    }

    #[test]
    fn labelled_reference_numbers_are_found_on_the_first_pages() {
        let page = |number: u32, text: &str| Page {
            page: number,
            text: text.to_string(),
            ..Page::default()
        };
        let pages = vec![
            page(1, "Ons kenmerk\n2024-0001234\nDatum 15 maart 2024\nZaaknummer: Z/21/123456.\nzie besluit met kenmerk 2023-0000001"),
            page(2, "Uw kenmerk: onbekend"),
            page(3, "Kenmerk 9999-0000001"),
        ];
        assert_eq!(find_references(&pages), vec!["2024-0001234", "Z/21/123456"]);
    }

    #[test]
    fn language_is_detected_for_dutch_and_english() {
        let dutch = "Op 2 januari 2024 ontvingen wij uw verzoek op grond van de Wet open overheid. In dit besluit beslis ik op uw verzoek.";
        let english = "The minister received your request under the Open Government Act and decided to disclose the documents in part.";
        assert_eq!(detect_language(dutch).as_deref(), Some("nl"));
        assert_eq!(detect_language(english).as_deref(), Some("en"));
        assert_eq!(detect_language("kort"), None);
    }
}
