//! Bundles: one PDF holding a whole publication (request, decision, inventory and the disclosed
//! documents one after another) -> the page ranges of its documents.
//!
//! [`split_bundle`] tries, in order:
//! 1. the outline (bookmarks): PDF binders name each bookmark after the file put in, so
//!    entries that look like documents (`DOC 4 Rapport…`, `3. 20171128 Nota…`, `…_Geredigeerd`,
//!    `Bijlage B…`) start parts; an entry whose children start documents on two or more pages
//!    is a folder (`Binder`, `Alle docs`) and its children are used. Outlines of headings
//!    (`1.2 Definities`, `Voorwoord`, sentences) split nothing.
//! 2. page signals: a document-number stamp (`Document 12`, `Doc. 4`, or a line that is exactly
//!    a number of the publication's inventory) that differs from the page before; when no page
//!    carries a stamp, e-mail headers (`Van:`, `Aan:`, `Onderwerp:`, `Verzonden:` — three of them
//!    in the first lines), a decision or inventory heading at the top of a page, or
//!    `Pagina 1 van N`.
//!
//! A split needs at least two parts; otherwise the PDF is one document. [`part_input`] then
//! gives each part what it becomes a document from ([`crate::document`] builds it): its pages
//! (numbered from 1), its page range in the source (`#pages=F-L`), and the title, date,
//! judgement and grounds of the inventory row whose number it is stamped with. Pure functions
//! over extracted pages: no I/O.

use std::sync::LazyLock;

use regex::Regex;

use crate::inventory::{InventoryRow, LinkedRow};
use crate::metadata::{DocumentMetadata, ResolvedMetadata};
use woo_core::model::{ExtractedPage, ExtractedPdf, OutlineEntry};

/// What started a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitSignal {
    /// The first page of the file.
    Start,
    /// An outline entry.
    Outline,
    /// A document-number stamp different from the page before.
    DocumentStamp,
    /// E-mail headers at the top of the page.
    EmailHeader,
    /// A decision or inventory heading at the top of the page.
    Heading,
    /// `Pagina 1 van N`.
    PageNumberReset,
}

/// One document inside a bundle: its pages in the original file (inclusive) and what is known
/// of it from the split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePart {
    /// First page in the original file, from 1.
    pub first_page: u32,
    /// Last page in the original file.
    pub last_page: u32,
    /// Title from the outline entry or the e-mail subject.
    pub title: Option<String>,
    /// Document number stamped on its pages.
    pub stamp: Option<String>,
    /// What started the part.
    pub signal: SplitSignal,
}

/// Lines at the top of a page searched for e-mail headers and headings.
const TOP_LINES: usize = 15;
/// Outline titles with more words than this are sentences (headings), not documents.
const MAX_TITLE_WORDS: usize = 14;

/// The parts of a bundle, or `None` when the PDF is one document. `inventory_ids` are the
/// document numbers of the publication's inventory (stamps equal to one of them count).
pub fn split_bundle(
    pages: &[ExtractedPage],
    outline: &[OutlineEntry],
    inventory_ids: &[String],
) -> Option<Vec<BundlePart>> {
    let page_count = pages.len() as u32;
    if page_count < 2 {
        return None;
    }
    if let Some(mut parts) = split_by_outline(outline, page_count) {
        // Stamps still name the parts' document numbers.
        for part in &mut parts {
            part.stamp = pages
                .iter()
                .skip(part.first_page as usize - 1)
                .take((part.last_page - part.first_page + 1) as usize)
                .find_map(|page| document_stamp(&page.text, inventory_ids));
        }
        return Some(parts);
    }
    split_by_page_signals(pages, inventory_ids)
}

/// Whether an outline title names a document rather than a heading.
pub fn outline_title_names_a_document(title: &str) -> bool {
    static PAGE_BOOKMARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(page|pagina)\s*\d+$").expect("valid pattern"));
    static DOCUMENT_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(doc|docs|document|documenten|bijlage|bijlagen|besluit|beslissing|inventaris\w*|inventarisatie\w*|e-?mail\w*|mail|brief|nota|memo|verslag\w*|klacht\w*|rapport\w*|waarschuwing|notitie|agenda|offerte|factuur|overeenkomst|contract|verzoek|whatsapp|sms|notulen|aantekening\w*)\b|geredigeerd|geanonimiseerd|gelakt|\.(pdf|docx?|msg|xlsx?)$",
        )
        .expect("valid pattern")
    });
    static NUMBERED_ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\d+[a-z]?(\.\d+)?[.)]?\s+(\d{4,}|\d{1,2}[- ](jan|feb|mrt|maa|apr|mei|jun|jul|aug|sep|okt|nov|dec))")
            .expect("valid pattern")
    });
    let title = title.trim();
    if title.is_empty()
        || PAGE_BOOKMARK.is_match(title)
        || (title.ends_with('.') && title.split_whitespace().count() >= 5)
        || title.split_whitespace().count() > MAX_TITLE_WORDS
    {
        return false;
    }
    DOCUMENT_WORD.is_match(title) || NUMBERED_ITEM.is_match(title)
}

/// Each entry with its descendants (the entries after it that are deeper).
fn siblings(entries: &[OutlineEntry]) -> Vec<(&OutlineEntry, &[OutlineEntry])> {
    let mut result = Vec::new();
    let mut index = 0;
    while index < entries.len() {
        let entry = &entries[index];
        let mut end = index + 1;
        while end < entries.len() && entries[end].level > entry.level {
            end += 1;
        }
        result.push((entry, &entries[index + 1..end]));
        index = end;
    }
    result
}

/// The pages where documents start, with their titles, from outline entries.
fn document_starts(entries: &[OutlineEntry]) -> Vec<(u32, String)> {
    let mut starts = Vec::new();
    for (entry, descendants) in siblings(entries) {
        let child_starts = document_starts(descendants);
        let mut child_pages: Vec<u32> = child_starts.iter().map(|(page, _)| *page).collect();
        child_pages.dedup();
        if child_pages.len() >= 2 {
            let first_child_page = child_pages.iter().copied().min().unwrap_or(entry.page);
            if outline_title_names_a_document(&entry.title) && entry.page < first_child_page {
                starts.push((entry.page, entry.title.clone()));
            }
            starts.extend(child_starts);
        } else if outline_title_names_a_document(&entry.title) {
            starts.push((entry.page, entry.title.clone()));
        }
    }
    starts
}

/// Parts from the outline, or `None` when fewer than two entries name documents.
pub fn split_by_outline(outline: &[OutlineEntry], page_count: u32) -> Option<Vec<BundlePart>> {
    let mut starts: Vec<(u32, String)> = document_starts(outline)
        .into_iter()
        .filter(|(page, _)| *page >= 1 && *page <= page_count)
        .collect();
    starts.sort_by_key(|(page, _)| *page);
    starts.dedup_by_key(|(page, _)| *page);
    if starts.len() < 2 {
        return None;
    }
    let mut parts = Vec::new();
    if starts[0].0 > 1 {
        parts.push(BundlePart {
            first_page: 1,
            last_page: starts[0].0 - 1,
            title: None,
            stamp: None,
            signal: SplitSignal::Start,
        });
    }
    for (index, (page, title)) in starts.iter().enumerate() {
        let last_page = starts
            .get(index + 1)
            .map_or(page_count, |(next, _)| next - 1);
        parts.push(BundlePart {
            first_page: *page,
            last_page,
            title: Some(title.clone()),
            stamp: None,
            signal: SplitSignal::Outline,
        });
    }
    Some(parts)
}

/// The document number stamped on a page: a line that is `Document 12`, `Doc. 4`,
/// `Documentnummer: 0012`, or exactly an inventory number of at least three characters
/// (shorter ones are page numbers as often as stamps).
pub fn document_stamp(text: &str, inventory_ids: &[String]) -> Option<String> {
    static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:document(?:nummer|nr\.?)?|doc\.?|docnr\.?)\s*[:.]?\s*([0-9]{1,6}[a-z]?)$",
        )
        .expect("valid pattern")
    });
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.len() > 40 {
            continue;
        }
        if let Some(captures) = LABELLED.captures(line) {
            let number = captures[1].to_string();
            // Prefer the inventory's spelling (`0012` for `12`).
            let known = inventory_ids
                .iter()
                .find(|id| same_number(id, &number))
                .cloned();
            return Some(known.unwrap_or(number));
        }
        if line.chars().count() >= 3 {
            if let Some(id) = inventory_ids.iter().find(|id| id.as_str() == line) {
                return Some(id.clone());
            }
        }
    }
    None
}

/// `0012` and `12` are the same document number.
pub fn same_number(a: &str, b: &str) -> bool {
    let a = a.trim().trim_start_matches('0');
    let b = b.trim().trim_start_matches('0');
    a.eq_ignore_ascii_case(b)
}

/// The top lines of a page (non-empty, trimmed).
fn top_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(TOP_LINES)
        .collect()
}

/// The e-mail subject when the top of the page holds at least three e-mail headers (one of them
/// the sender), else `None`. An empty subject gives `Some("")`.
pub fn email_header_subject(text: &str) -> Option<String> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(van|from|aan|to|onderwerp|subject|verzonden|sent|datum|date|cc)\s*:\s*(.*)$",
        )
        .expect("valid pattern")
    });
    let mut labels: Vec<String> = Vec::new();
    let mut subject = None;
    let mut has_sender = false;
    for line in top_lines(text) {
        let Some(captures) = HEADER.captures(line) else {
            continue;
        };
        let label = captures[1].to_lowercase();
        let label = match label.as_str() {
            "from" => "van".to_string(),
            "to" => "aan".to_string(),
            "subject" => "onderwerp".to_string(),
            "sent" | "date" | "datum" => "verzonden".to_string(),
            other => other.to_string(),
        };
        if label == "van" {
            has_sender = true;
        }
        if label == "onderwerp" && subject.is_none() {
            subject = Some(captures[2].trim().to_string());
        }
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    (has_sender && labels.len() >= 3).then(|| subject.unwrap_or_default())
}

/// A decision or inventory heading among the top lines of a page.
pub fn has_document_heading(text: &str) -> bool {
    document_heading(text).is_some()
}

/// The decision or inventory heading among the top lines of a page (`Besluit op uw
/// Woo-verzoek …`, `Inventarislijst`).
pub fn document_heading(text: &str) -> Option<String> {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^((besluit|beslissing)\s+op\s+(uw|het|de|een)?\s*(wob|woo|verzoek)|inventari(s|sat)\w*lijst\b|inventaris\s*$)")
            .expect("valid pattern")
    });
    top_lines(text)
        .into_iter()
        .find(|line| HEADING.is_match(line))
        .map(str::to_string)
}

/// `Pagina 1 van 3`, `Page 1 of 3`, `1/3` on a line of its own.
pub fn starts_page_numbering(text: &str) -> bool {
    static FIRST_PAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(pagina|page|blad)\s+1\s*(van|of|/)\s*\d+$").expect("valid pattern")
    });
    text.lines().any(|line| FIRST_PAGE.is_match(line.trim()))
}

/// Parts from page signals, or `None` when they give fewer than two parts.
pub fn split_by_page_signals(
    pages: &[ExtractedPage],
    inventory_ids: &[String],
) -> Option<Vec<BundlePart>> {
    // Numbers in an inventory table are not stamps.
    let stamps: Vec<Option<String>> = pages
        .iter()
        .map(|page| {
            if page.table_lines.is_empty() {
                document_stamp(&page.text, inventory_ids)
            } else {
                None
            }
        })
        .collect();
    let stamped_pages = stamps.iter().filter(|stamp| stamp.is_some()).count();
    let mut parts: Vec<BundlePart> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let page_number = index as u32 + 1;
        let stamp = stamps[index].clone();
        let subject = email_header_subject(&page.text);
        let signal = if index == 0 {
            Some(SplitSignal::Start)
        } else if stamped_pages >= 2 {
            // Stamps decide: a new number starts a part; a page without one (a letter or
            // inventory before the documents) starts one only with a heading.
            let previous_stamp = parts.last().and_then(|part| part.stamp.clone());
            match &stamp {
                Some(number) if Some(number) != previous_stamp.as_ref() => {
                    Some(SplitSignal::DocumentStamp)
                }
                Some(_) => None,
                None if has_document_heading(&page.text) => Some(SplitSignal::Heading),
                None => None,
            }
        } else if subject.is_some() {
            Some(SplitSignal::EmailHeader)
        } else if has_document_heading(&page.text) {
            Some(SplitSignal::Heading)
        } else if starts_page_numbering(&page.text) {
            Some(SplitSignal::PageNumberReset)
        } else {
            None
        };
        match signal {
            Some(signal) => {
                if let Some(previous) = parts.last_mut() {
                    previous.last_page = page_number - 1;
                }
                parts.push(BundlePart {
                    first_page: page_number,
                    last_page: page_number,
                    title: subject.filter(|subject| !subject.is_empty()),
                    stamp,
                    signal,
                });
            }
            None => {
                if let Some(current) = parts.last_mut() {
                    current.last_page = page_number;
                    if current.stamp.is_none() {
                        current.stamp = stamp;
                    }
                }
            }
        }
    }
    (parts.len() >= 2).then_some(parts)
}

/// Content hashes of a bundle's parts after its first (and of entries for rows of its own
/// inventory table) start with this, so an inventory row a part carries is not written again as
/// an entry while the bundle is unchanged.
pub const PART_HASH_PREFIX: &str = "part:";

/// What every part of one bundle shares, for [`part_input`].
pub struct BundleContext<'a> {
    /// The bundle's metadata.
    pub resolved: &'a ResolvedMetadata,
    /// The bundle's source path.
    pub source: &'a str,
    /// The bundle's content hash.
    pub hash: &'a str,
    /// The bundle's document id (its first part's).
    pub bundle_id: String,
    /// The publication its parts belong to (see [`bundle_publication`]).
    pub publication_id: String,
    /// Title of that publication.
    pub publication_title: String,
    /// Rows of the bundle's own inventory table.
    pub own_rows: &'a [InventoryRow],
    /// Rows without a PDF of the inventories describing the bundle's folder.
    pub scope_rows: &'a [&'a LinkedRow],
}

/// One part of a bundle, ready to be built into a document.
pub struct PartInput {
    /// The part's pages, numbered from 1.
    pub extracted: ExtractedPdf,
    /// The part's metadata.
    pub resolved: ResolvedMetadata,
    /// The bundle's source with the part's page range: `SOURCE#pages=F-L`.
    pub source: String,
    /// The bundle's content hash for the first part, a part hash for the others.
    pub hash: String,
}

/// The publication (id, title) of a bundle's parts: the one its metadata names, else the
/// bundle itself.
pub fn bundle_publication(
    resolved: &ResolvedMetadata,
    bundle_id: &str,
    bundle_title: &str,
) -> (String, String) {
    let entry = &resolved.document;
    match (&entry.publication_id, &resolved.publication) {
        (Some(id), _) => (
            id.clone(),
            entry.publication_title.clone().unwrap_or_default(),
        ),
        (None, Some(publication)) => (
            publication.id.clone(),
            publication.title.clone().unwrap_or_default(),
        ),
        (None, None) => (bundle_id.to_string(), bundle_title.to_string()),
    }
}

/// Part `index` of a bundle: its pages, and metadata in the bundle's publication; a part whose
/// stamp is the number of an inventory row gets that row's title, date, judgement and grounds
/// (and, for a row of another inventory, its entry id). A row of the bundle's own table is
/// marked in `claimed_own`.
pub fn part_input(
    bundle: &BundleContext,
    index: usize,
    part: &BundlePart,
    extracted: &ExtractedPdf,
    claimed_own: &mut [bool],
) -> PartInput {
    let pages = part_pages(extracted, part);
    let entry = &bundle.resolved.document;
    let mut part_metadata = DocumentMetadata {
        id: Some(if index == 0 {
            bundle.bundle_id.clone()
        } else {
            format!("{}-p{}", bundle.bundle_id, part.first_page)
        }),
        title: part
            .title
            .clone()
            .or_else(|| pages.first().and_then(|page| document_heading(&page.text))),
        publisher: entry.publisher.clone(),
        category: entry.category.clone(),
        publication_id: Some(bundle.publication_id.clone()),
        publication_title: Some(bundle.publication_title.clone()),
        ..DocumentMetadata::default()
    };
    if let Some(stamp) = &part.stamp {
        let row = stamped_row(bundle, index, stamp, &mut part_metadata, claimed_own);
        if let Some(row) = row {
            apply_stamped_row(&mut part_metadata, &row);
        }
    }
    let hash = if index == 0 {
        bundle.hash.to_string()
    } else {
        format!("{PART_HASH_PREFIX}{}", bundle.hash)
    };
    PartInput {
        extracted: ExtractedPdf {
            pages,
            ..ExtractedPdf::default()
        },
        resolved: ResolvedMetadata {
            publication: bundle.resolved.publication.clone(),
            document: part_metadata,
        },
        source: format!(
            "{}#pages={}-{}",
            bundle.source, part.first_page, part.last_page
        ),
        hash,
    }
}

/// The pages of `part`, numbered from 1, without their table lines.
fn part_pages(extracted: &ExtractedPdf, part: &BundlePart) -> Vec<ExtractedPage> {
    extracted
        .pages
        .iter()
        .skip(part.first_page as usize - 1)
        .take((part.last_page + 1 - part.first_page) as usize)
        .enumerate()
        .map(|(offset, page)| ExtractedPage {
            page: offset as u32 + 1,
            table_lines: Vec::new(),
            ..page.clone()
        })
        .collect()
}

/// The inventory row whose number is `stamp`: one of the bundle's own table (marked claimed),
/// else one of an inventory of its folder, whose entry id a part after the first takes over.
fn stamped_row(
    bundle: &BundleContext,
    index: usize,
    stamp: &str,
    part_metadata: &mut DocumentMetadata,
    claimed_own: &mut [bool],
) -> Option<InventoryRow> {
    let own = bundle
        .own_rows
        .iter()
        .position(|row| row.id.as_deref().is_some_and(|id| same_number(id, stamp)));
    if let Some(position) = own {
        claimed_own[position] = true;
        return Some(bundle.own_rows[position].clone());
    }
    let linked = bundle.scope_rows.iter().find(|linked| {
        linked
            .row
            .id
            .as_deref()
            .is_some_and(|id| same_number(id, stamp))
    })?;
    if index > 0 {
        // The row's entry id: this part replaces that entry.
        part_metadata.id = Some(format!(
            "{}-{}",
            linked.publication_id,
            linked.row.id.clone().unwrap_or_default()
        ));
    }
    Some(linked.row.clone())
}

/// A part's metadata from its inventory row: the row's title (else the part's), date,
/// judgement, grounds, type and explanation.
fn apply_stamped_row(part_metadata: &mut DocumentMetadata, row: &InventoryRow) {
    part_metadata.title = row.title.clone().or(part_metadata.title.take());
    part_metadata.date = row.date.clone();
    part_metadata.judgement = row.judgement.clone();
    part_metadata.grounds = row.grounds.clone();
    part_metadata.document_type = row.document_type.as_deref().map(str::to_lowercase);
    part_metadata.summary = row.explanation.clone();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(number: u32, text: &str) -> ExtractedPage {
        ExtractedPage {
            page: number,
            text: text.to_string(),
            ..ExtractedPage::default()
        }
    }

    fn entry(title: &str, page: u32, level: u32) -> OutlineEntry {
        OutlineEntry {
            title: title.to_string(),
            page,
            level,
        }
    }

    #[test]
    fn document_titles_and_headings_are_told_apart() {
        for title in [
            "DOC 4 Rapport-van-Bevindingen--_Geredigeerd",
            "1. 3-jan-Kajdouh I.",
            "3. 20171128 Nota Werkwijze",
            "6.1 180718 480005584 dkv",
            "Klankbordgroep evaluatie Kifid.pdf",
            "20-0941 inventarislijst",
            "Doc. 11",
        ] {
            assert!(outline_title_names_a_document(title), "{title}");
        }
        for title in [
            "1.2 Definities",
            "Voorwoord",
            "Page 3",
            "De documenten stuur ik met dit besluit in kopie mee.",
            "Ik besluit de door u gevraagde informatie gedeeltelijk openbaar te maken omdat het zo is en niet anders",
            "1.\tDe Belastingdienst in 2024",
        ] {
            assert!(!outline_title_names_a_document(title), "{title}");
        }
    }

    #[test]
    fn a_binder_outline_splits_into_its_documents() {
        let outline = vec![
            entry("19-0858 besluit handhavingsverzoek", 1, 0),
            entry("19-0858 documenten handhavingsverzoek", 8, 0),
            entry("DOC 1 Schriftelijke waarschuwing", 8, 1),
            entry("DOC 1a Verificatieverslag", 10, 1),
            entry("DOC 2 Rapport", 12, 1),
        ];
        let parts = split_by_outline(&outline, 14).unwrap();
        let ranges: Vec<(u32, u32)> = parts.iter().map(|p| (p.first_page, p.last_page)).collect();
        assert_eq!(ranges, vec![(1, 7), (8, 9), (10, 11), (12, 14)]);
        assert_eq!(
            parts[1].title.as_deref(),
            Some("DOC 1 Schriftelijke waarschuwing")
        );
    }

    #[test]
    fn a_heading_outline_splits_nothing() {
        let outline = vec![
            entry("1 Inleiding", 3, 0),
            entry("1.1 Over dit document", 3, 1),
            entry("2 Doelstellingen", 4, 0),
            entry("Page 1", 1, 0),
        ];
        assert_eq!(split_by_outline(&outline, 12), None);
    }

    #[test]
    fn stamps_split_and_unstamped_pages_stay_with_their_document() {
        let ids = vec!["0001".to_string(), "0002".to_string()];
        let pages = vec![
            page(1, "Besluit op uw Woo-verzoek\nGeachte heer"),
            page(2, "vervolg van het besluit"),
            page(3, "Inventarislijst\nNr Document"),
            page(4, "0001\nVan: a\nAan: b\nOnderwerp: levering"),
            page(5, "tweede pagina van de mail"),
            page(6, "Document 2\nVan: b\nAan: a\nOnderwerp: RE: levering"),
        ];
        let parts = split_by_page_signals(&pages, &ids).unwrap();
        let ranges: Vec<(u32, u32, Option<&str>)> = parts
            .iter()
            .map(|p| (p.first_page, p.last_page, p.stamp.as_deref()))
            .collect();
        assert_eq!(
            ranges,
            vec![
                (1, 2, None),
                (3, 3, None),
                (4, 5, Some("0001")),
                (6, 6, Some("0002"))
            ]
        );
    }

    #[test]
    fn without_stamps_email_headers_split() {
        let pages = vec![
            page(
                1,
                "From: a@example.org\nSent: 1 March\nTo: b\nSubject: planning",
            ),
            page(2, "tekst"),
            page(
                3,
                "Van: b\nVerzonden: 2 maart\nAan: a\nOnderwerp: RE: planning",
            ),
        ];
        let parts = split_by_page_signals(&pages, &[]).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].title.as_deref(), Some("planning"));
        assert_eq!((parts[1].first_page, parts[1].last_page), (3, 3));
        assert!(split_by_page_signals(&pages[1..2], &[]).is_none());
    }

    #[test]
    fn one_letter_is_not_split() {
        let pages = vec![
            page(1, "Besluit op uw Woo-verzoek\nPagina 1 van 2"),
            page(2, "Pagina 2 van 2\nHoogachtend"),
        ];
        assert_eq!(split_bundle(&pages, &[], &[]), None);
    }
}
