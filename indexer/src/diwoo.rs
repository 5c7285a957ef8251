//! DiWoo metadata (KOOP, schema 0.9.8 and the older 0.9.4): a sitemap whose `url` entries carry
//! a `diwoo:Document` with the metadata of the file at `loc`.
//!
//! ```xml
//! <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
//!         xmlns:diwoo="https://standaarden.overheid.nl/diwoo/metadata/">
//!   <url>
//!     <loc>documenten/besluit.pdf</loc>
//!     <diwoo:Document><diwoo:DiWoo>
//!       <diwoo:publisher resource="https://identifier.overheid.nl/tooi/id/gemeente/gm0363">gemeente Amsterdam</diwoo:publisher>
//!       <diwoo:titelcollectie><diwoo:officieleTitel>…</diwoo:officieleTitel></diwoo:titelcollectie>
//!       <diwoo:classificatiecollectie><diwoo:informatiecategorieen>
//!         <diwoo:informatiecategorie resource="https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532">Woo-verzoeken en -besluiten</diwoo:informatiecategorie>
//!       </diwoo:informatiecategorieen></diwoo:classificatiecollectie>
//!       …
//! ```
//!
//! Elements are read by their local name wherever they stand inside the `Document`, so the
//! namespace may be bound to a prefix on the root (0.9.8 examples) or be the default namespace
//! of `Document` itself, and the differences in nesting between schema versions do not matter.
//! [`read_sitemap`] gives the entries; [`entry_metadata`] maps one onto our
//! [`DocumentMetadata`]; [`entry_document`] makes a searchable entry without pages for an entry
//! whose file is not on disk (a web address).

use std::path::{Path, PathBuf};

use crate::readers::xml_walk::{attribute, walk_xml_to_depth, XmlVisitor};
use sha2::{Digest, Sha256};

use crate::error::{IndexerError, Result};
use crate::metadata::DocumentMetadata;
use woo_core::model::Document;
use woo_core::woo;
use woo_core::DocumentFields;

/// Sitemaps larger than this are refused (the sitemap protocol allows at most 50 MB).
const MAX_SITEMAP_BYTES: u64 = 64 * 1024 * 1024;
/// Elements nested deeper than this are refused (DiWoo needs about 8 levels).
const MAX_DEPTH: usize = 64;

/// What every DiWoo namespace URI holds (`https://standaarden.overheid.nl/diwoo/metadata/`).
const DIWOO_NAMESPACE_PART: &str = "standaarden.overheid.nl/diwoo";

/// Document type of an entry whose file is not on disk.
pub const DIWOO_ENTRY_TYPE_FALLBACK: &str = "document";

/// A TOOI value: its resource URI (attribute `resource`) and its label (the element text).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TooiValue {
    /// The `resource` attribute, a TOOI URI.
    pub resource: Option<String>,
    /// The element text, a label.
    pub label: Option<String>,
}

/// One `documenthandeling`: what happened to the document and when.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DocumentAction {
    /// `soortHandeling` (ondertekening, ontvangst, vaststelling, ...).
    pub kind: TooiValue,
    /// `atTime`, as written.
    pub at_time: Option<String>,
    /// `wasAssociatedWith`: the organisation.
    pub associated_with: Option<TooiValue>,
}

/// The DiWoo metadata of one sitemap entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DiwooEntry {
    /// `loc`: the document's address (URL, or a path relative to the sitemap).
    pub loc: Option<String>,
    /// `lastmod` of the sitemap entry.
    pub lastmod: Option<String>,
    /// `identifiers/identifier`.
    pub identifiers: Vec<String>,
    /// `publisher`.
    pub publisher: Option<TooiValue>,
    /// `verantwoordelijke`.
    pub responsible: Option<TooiValue>,
    /// `opsteller`.
    pub author: Option<TooiValue>,
    /// `titelcollectie/officieleTitel`.
    pub official_title: Option<String>,
    /// `verkorteTitels/verkorteTitel`.
    pub short_titles: Vec<String>,
    /// `alternatieveTitels/alternatieveTitel`.
    pub alternative_titles: Vec<String>,
    /// `omschrijvingen/omschrijving`.
    pub descriptions: Vec<String>,
    /// `informatiecategorieen/informatiecategorie`.
    pub categories: Vec<TooiValue>,
    /// `documentsoorten/documentsoort`.
    pub document_kinds: Vec<TooiValue>,
    /// `themas/thema`.
    pub themes: Vec<TooiValue>,
    /// `trefwoorden/trefwoord`.
    pub keywords: Vec<String>,
    /// `creatiedatum`.
    pub creation_date: Option<String>,
    /// `language`.
    pub language: Option<TooiValue>,
    /// `isPartOf`: the publication (dossier) the document belongs to.
    pub is_part_of: Option<TooiValue>,
    /// `documenthandelingen/documenthandeling`.
    pub actions: Vec<DocumentAction>,
}

/// A DiWoo sitemap with its entries.
#[derive(Debug, Clone, Default)]
pub struct DiwooSitemap {
    /// The sitemap file.
    pub path: PathBuf,
    /// Entries that carry DiWoo metadata, in order.
    pub entries: Vec<DiwooEntry>,
}

fn diwoo_error(path: &Path, reason: String) -> IndexerError {
    IndexerError::Metadata {
        path: path.to_path_buf(),
        reason,
    }
}

/// Whether a file may be a DiWoo sitemap (`*.xml`).
pub fn is_sitemap_candidate(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
}

/// Reads a sitemap file; `Ok(None)` when it holds no DiWoo metadata (another kind of XML).
pub fn read_sitemap(path: &Path) -> Result<Option<DiwooSitemap>> {
    let size = std::fs::metadata(path)
        .map_err(|source| IndexerError::Read {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if size > MAX_SITEMAP_BYTES {
        return Err(diwoo_error(
            path,
            format!("sitemap of {size} bytes is over the limit of {MAX_SITEMAP_BYTES}"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    // Other XML (official publications, API records) is not read, nor reported when malformed.
    if !text.contains(DIWOO_NAMESPACE_PART) {
        return Ok(None);
    }
    let entries = parse_sitemap(&text).map_err(|reason| diwoo_error(path, reason))?;
    if entries.is_empty() {
        return Ok(None);
    }
    Ok(Some(DiwooSitemap {
        path: path.to_path_buf(),
        entries,
    }))
}

/// One open element while parsing: its local name, `resource` attribute and text so far.
struct OpenElement {
    name: String,
    resource: Option<String>,
    text: String,
}

/// The entry being read and whether it holds a `DiWoo` element.
#[derive(Default)]
struct EntryInProgress {
    entry: DiwooEntry,
    has_diwoo: bool,
    action: Option<DocumentAction>,
    /// The local name of the element that opened it (`url`, or `Document` outside a sitemap).
    opened_by: String,
}

/// The `resource` attribute of a tag (trimmed), if any.
fn resource_attribute(attributes: &[(String, String)]) -> Option<String> {
    let value = attribute(attributes, "resource")?.trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// Parses sitemap text into the entries that carry DiWoo metadata. A file that is just one
/// `diwoo:Document` (no sitemap around it) gives one entry without `loc`.
pub fn parse_sitemap(text: &str) -> std::result::Result<Vec<DiwooEntry>, String> {
    let mut reader = SitemapReader::default();
    walk_xml_to_depth(text, MAX_DEPTH, &mut reader)?;
    Ok(reader.entries)
}

/// The walk over a sitemap: the open elements, the entry being read, the entries done.
#[derive(Default)]
struct SitemapReader {
    stack: Vec<OpenElement>,
    current: Option<EntryInProgress>,
    entries: Vec<DiwooEntry>,
}

impl XmlVisitor for SitemapReader {
    fn start(&mut self, name: &str, attributes: &[(String, String)]) {
        open_element(&mut self.current, &self.stack, name);
        self.stack.push(OpenElement {
            name: name.to_string(),
            resource: resource_attribute(attributes),
            text: String::new(),
        });
    }

    fn text(&mut self, text: &str) {
        if let Some(top) = self.stack.last_mut() {
            top.text.push_str(text);
        }
    }

    fn end(&mut self, _name: &str) {
        if let Some(element) = self.stack.pop() {
            close_element(&mut self.current, &self.stack, element, &mut self.entries);
        }
    }
}

/// Starts an entry at `url`, or at `Document` when no `url` is open; starts an action.
fn open_element(current: &mut Option<EntryInProgress>, stack: &[OpenElement], name: &str) {
    if current.is_none() && (name == "url" || name == "Document") {
        *current = Some(EntryInProgress {
            opened_by: name.to_string(),
            ..EntryInProgress::default()
        });
    }
    let Some(progress) = current.as_mut() else {
        return;
    };
    match name {
        "DiWoo" => progress.has_diwoo = true,
        "Document" if stack.iter().any(|open| open.name == "url") => progress.has_diwoo = true,
        "documenthandeling" => progress.action = Some(DocumentAction::default()),
        _ => {}
    }
}

fn clean_text(text: &str) -> Option<String> {
    let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

fn tooi_value(element: &OpenElement) -> Option<TooiValue> {
    let value = TooiValue {
        resource: element.resource.clone(),
        label: clean_text(&element.text),
    };
    (value.resource.is_some() || value.label.is_some()).then_some(value)
}

/// Stores what a closed element says in the entry being read; ends the entry at its end.
fn close_element(
    current: &mut Option<EntryInProgress>,
    stack: &[OpenElement],
    element: OpenElement,
    entries: &mut Vec<DiwooEntry>,
) {
    let Some(progress) = current.as_mut() else {
        return;
    };
    let parent = stack.last().map(|open| open.name.as_str()).unwrap_or("");
    let text = clean_text(&element.text);
    let entry = &mut progress.entry;
    match element.name.as_str() {
        "loc" if parent == "url" => entry.loc = text,
        "lastmod" if parent == "url" => entry.lastmod = text,
        "identifier" => entry.identifiers.extend(text),
        "publisher" => entry.publisher = tooi_value(&element),
        "verantwoordelijke" => entry.responsible = tooi_value(&element),
        "opsteller" => entry.author = tooi_value(&element),
        "officieleTitel" => entry.official_title = text,
        "verkorteTitel" => entry.short_titles.extend(text),
        "alternatieveTitel" => entry.alternative_titles.extend(text),
        "omschrijving" => entry.descriptions.extend(text),
        "informatiecategorie" => entry.categories.extend(tooi_value(&element)),
        "documentsoort" => entry.document_kinds.extend(tooi_value(&element)),
        "thema" => entry.themes.extend(tooi_value(&element)),
        "trefwoord" => entry.keywords.extend(text),
        "creatiedatum" => entry.creation_date = text,
        "language" => entry.language = tooi_value(&element),
        "isPartOf" => entry.is_part_of = tooi_value(&element),
        "soortHandeling" => {
            if let (Some(action), Some(value)) = (progress.action.as_mut(), tooi_value(&element)) {
                action.kind = value;
            }
        }
        "atTime" => {
            if let Some(action) = progress.action.as_mut() {
                action.at_time = text;
            }
        }
        "wasAssociatedWith" => {
            if let Some(action) = progress.action.as_mut() {
                action.associated_with = tooi_value(&element);
            }
        }
        "documenthandeling" => {
            if let Some(action) = progress.action.take() {
                entry.actions.push(action);
            }
        }
        _ => {}
    }
    if element.name == progress.opened_by {
        if let Some(finished) = current.take() {
            if finished.has_diwoo {
                entries.push(finished.entry);
            }
        }
    }
}

/// TOOI ids of the document actions whose date is the document's own date: signing
/// (ondertekening), adoption (vaststelling), then receipt (ontvangst).
const DATE_ACTIONS: &[(&str, &str)] = &[
    ("c_e1ec050e", "ondertekening"),
    ("c_641ecd76", "vaststelling"),
    ("c_dfcee535", "ontvangst"),
];

/// TOOI id of the document kind "beslissing op Wob-/Woo-verzoek".
const DECISION_KIND: &str = "c_4f50ca9c";

fn names_concept(value: &TooiValue, tooi_id: &str, label: &str) -> bool {
    value
        .resource
        .as_deref()
        .is_some_and(|resource| resource.trim_end_matches('/').ends_with(tooi_id))
        || value
            .label
            .as_deref()
            .is_some_and(|text| text.eq_ignore_ascii_case(label))
}

/// The date of an entry, `YYYY-MM-DD`: `creatiedatum`, else the date of its signing, adoption
/// or receipt, else the sitemap's `lastmod`.
pub fn entry_date(entry: &DiwooEntry) -> Option<String> {
    if let Some(date) = entry
        .creation_date
        .as_deref()
        .and_then(woo_core::dates::normalise_date)
    {
        return Some(date);
    }
    for (tooi_id, label) in DATE_ACTIONS {
        for action in &entry.actions {
            if names_concept(&action.kind, tooi_id, label) {
                if let Some(date) = action
                    .at_time
                    .as_deref()
                    .and_then(woo_core::dates::normalise_date)
                {
                    return Some(date);
                }
            }
        }
    }
    entry
        .lastmod
        .as_deref()
        .and_then(woo_core::dates::normalise_date)
}

/// The name of a TOOI organisation value: the label of its TOOI id (one spelling per body
/// across sources), else its text.
fn organisation_name(value: &TooiValue) -> Option<String> {
    if let Some(label) = value.resource.as_deref().and_then(woo::organisation_label) {
        return Some(label);
    }
    value.label.as_deref().map(woo::normalise_publisher)
}

/// The publisher of an entry: `publisher`, else `verantwoordelijke`, as a label.
pub fn entry_publisher(entry: &DiwooEntry) -> Option<String> {
    entry
        .publisher
        .as_ref()
        .and_then(organisation_name)
        .or_else(|| entry.responsible.as_ref().and_then(organisation_name))
}

/// The information category of an entry as our letter code (`2i`): the first
/// `informatiecategorie` whose TOOI id or label is known.
pub fn entry_category(entry: &DiwooEntry) -> Option<String> {
    for value in &entry.categories {
        let known = value
            .resource
            .as_deref()
            .and_then(woo::category_by_any)
            .or_else(|| value.label.as_deref().and_then(woo::category_by_any));
        if let Some(category) = known {
            return Some(category.code.to_string());
        }
    }
    None
}

/// The language of an entry as ISO 639-1 where the TOOI value names Dutch or English
/// (`https://identifier.overheid.nl/tooi/def/thes/kern/c_b3bb1ec2`... or label `Nederlands`).
pub fn entry_language(entry: &DiwooEntry) -> Option<String> {
    let value = entry.language.as_ref()?;
    let label = value.label.as_deref().unwrap_or("").to_lowercase();
    let resource = value.resource.as_deref().unwrap_or("").to_lowercase();
    let known = [
        ("nederlands", "nl", "/nld"),
        ("dutch", "nl", "/nld"),
        ("engels", "en", "/eng"),
        ("english", "en", "/eng"),
        ("duits", "de", "/deu"),
        ("frans", "fr", "/fra"),
    ];
    for (name, code, uri_suffix) in known {
        if label == name || resource.ends_with(uri_suffix) || label == code {
            return Some(code.to_string());
        }
    }
    None
}

/// The document kind of an entry, lowercase (`beslissing op wob-/woo-verzoek`).
pub fn entry_document_type(entry: &DiwooEntry) -> Option<String> {
    let kind = entry.document_kinds.first()?;
    kind.label.as_deref().map(str::to_lowercase).or_else(|| {
        kind.resource
            .as_deref()
            .and_then(|resource| resource.rsplit('/').next())
            .map(str::to_string)
    })
}

/// Whether the entry is a decision on a Wob/Woo request (document kind `c_4f50ca9c`).
pub fn entry_is_decision(entry: &DiwooEntry) -> bool {
    entry.document_kinds.iter().any(|kind| {
        names_concept(kind, DECISION_KIND, "beslissing op Wob-/Woo-verzoek")
            || kind
                .label
                .as_deref()
                .is_some_and(|label| label.to_lowercase().starts_with("beslissing op w"))
    })
}

/// The searchable description: `omschrijving`s, then keywords and themes.
fn entry_summary(entry: &DiwooEntry) -> Option<String> {
    let mut parts: Vec<String> = entry.descriptions.clone();
    parts.extend(entry.alternative_titles.iter().cloned());
    parts.extend(entry.short_titles.iter().cloned());
    parts.extend(entry.keywords.iter().cloned());
    parts.extend(entry.themes.iter().filter_map(|theme| theme.label.clone()));
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The publication an entry belongs to: `isPartOf` (its resource as id, label as title).
fn entry_publication(entry: &DiwooEntry) -> (Option<String>, Option<String>) {
    let Some(part_of) = &entry.is_part_of else {
        return (None, None);
    };
    let id = part_of
        .resource
        .clone()
        .or_else(|| part_of.label.clone())
        .map(|value| {
            value
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(&value)
                .to_string()
        });
    (id, part_of.label.clone())
}

/// The local file an entry's `loc` names, relative to the sitemap's folder (`file://` URLs and
/// plain relative paths); `None` for web addresses and files that are not there.
pub fn entry_local_file(entry: &DiwooEntry, sitemap_path: &Path) -> Option<PathBuf> {
    let loc = entry.loc.as_deref()?.trim();
    if loc.is_empty() {
        return None;
    }
    let path_text = if let Some(rest) = loc.strip_prefix("file://") {
        rest.to_string()
    } else if loc.contains("://") {
        return None;
    } else {
        loc.to_string()
    };
    let decoded = percent_decode(&path_text);
    let candidate = Path::new(&decoded);
    let folder = sitemap_path.parent().unwrap_or(Path::new(""));
    let path = if candidate.is_absolute() {
        candidate.to_path_buf()
    } else {
        folder.join(candidate)
    };
    let path = crate::metadata::normalise_path(&path);
    path.is_file().then_some(path)
}

/// `%20` and the like in a path; invalid escapes are kept as written.
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let hex = &value[index + 1..index + 3];
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The stable id of an entry: its first identifier, else a slug of its `loc`.
pub fn entry_id(entry: &DiwooEntry, sitemap_source: &str, index: usize) -> String {
    if let Some(identifier) = entry.identifiers.first() {
        return identifier.clone();
    }
    let key = entry
        .loc
        .clone()
        .unwrap_or_else(|| format!("{sitemap_source}#{}", index + 1));
    woo_core::ids::default_document_id(&key)
}

/// The entry as our document metadata (for a local file, merged like a `publication.json`
/// entry; sidecars still win).
pub fn entry_metadata(entry: &DiwooEntry, sitemap_source: &str, index: usize) -> DocumentMetadata {
    let (publication_id, publication_title) = entry_publication(entry);
    DocumentMetadata {
        file: None,
        id: Some(entry_id(entry, sitemap_source, index)),
        title: entry.official_title.clone(),
        document_type: entry_document_type(entry),
        date: entry_date(entry),
        judgement: None,
        grounds: Vec::new(),
        publisher: entry_publisher(entry),
        category: entry_category(entry),
        summary: entry_summary(entry),
        publication_id,
        publication_title,
    }
}

/// The searchable entry (no pages) of a sitemap entry whose file is not on disk: its metadata,
/// with `loc` as the source and in the summary.
pub fn entry_document(entry: &DiwooEntry, sitemap_source: &str, index: usize) -> Document {
    let metadata = entry_metadata(entry, sitemap_source, index);
    let entry_json = serde_json::to_string(entry).unwrap_or_default();
    let hash = woo_core::ids::hex(&Sha256::digest(entry_json.as_bytes()));
    let id = metadata
        .id
        .clone()
        .unwrap_or_else(|| entry_id(entry, sitemap_source, index));
    let mut summary_parts: Vec<String> = Vec::new();
    summary_parts.extend(metadata.summary.clone());
    summary_parts.extend(entry.loc.clone());
    let decision_date = entry_is_decision(entry)
        .then(|| entry_date(entry))
        .flatten();
    Document {
        fields: DocumentFields {
            title: metadata
                .title
                .clone()
                .unwrap_or_else(|| entry.loc.clone().unwrap_or_else(|| id.clone())),
            source: entry
                .loc
                .clone()
                .unwrap_or_else(|| format!("{sitemap_source}#{}", index + 1)),
            file_path: String::new(),
            content_hash: hash,
            publication_id: metadata.publication_id.clone(),
            publication_title: metadata.publication_title.clone(),
            publisher: metadata.publisher.clone(),
            category: metadata.category.clone(),
            document_type: metadata
                .document_type
                .clone()
                .or_else(|| Some(DIWOO_ENTRY_TYPE_FALLBACK.to_string())),
            date: metadata.date.clone(),
            summary: (!summary_parts.is_empty()).then(|| summary_parts.join(" ")),
            references: entry.identifiers.iter().skip(1).cloned().collect(),
            decision_date,
            id,
            ..Default::default()
        },
        language: entry_language(entry),
        ..Document::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITEMAP_098: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:diwoo="https://standaarden.overheid.nl/diwoo/metadata/">
  <url>
    <loc>https://example.org/woo/besluit-123.pdf</loc>
    <lastmod>2024-05-02T10:00:00+02:00</lastmod>
    <diwoo:Document>
      <diwoo:DiWoo>
        <diwoo:identifiers><diwoo:identifier>AMS-WOO-2024-123</diwoo:identifier><diwoo:identifier>Z/24/99</diwoo:identifier></diwoo:identifiers>
        <diwoo:publisher resource="https://identifier.overheid.nl/tooi/id/gemeente/gm0363"/>
        <diwoo:titelcollectie><diwoo:officieleTitel>Besluit op Woo-verzoek &amp; bijlagen</diwoo:officieleTitel></diwoo:titelcollectie>
        <diwoo:omschrijvingen><diwoo:omschrijving>Over de   parkeervergunningen</diwoo:omschrijving></diwoo:omschrijvingen>
        <diwoo:classificatiecollectie>
          <diwoo:informatiecategorieen>
            <diwoo:informatiecategorie resource="https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532">Woo-verzoeken en -besluiten</diwoo:informatiecategorie>
          </diwoo:informatiecategorieen>
          <diwoo:documentsoorten><diwoo:documentsoort resource="https://identifier.overheid.nl/tooi/def/thes/kern/c_4f50ca9c">Beslissing op Wob-/Woo-verzoek</diwoo:documentsoort></diwoo:documentsoorten>
          <diwoo:trefwoorden><diwoo:trefwoord>parkeren</diwoo:trefwoord></diwoo:trefwoorden>
        </diwoo:classificatiecollectie>
        <diwoo:language resource="http://publications.europa.eu/resource/authority/language/NLD">Nederlands</diwoo:language>
        <diwoo:documenthandelingen>
          <diwoo:documenthandeling>
            <diwoo:soortHandeling resource="https://identifier.overheid.nl/tooi/def/thes/kern/c_e1ec050e">ondertekening</diwoo:soortHandeling>
            <diwoo:atTime>2024-04-30T12:00:00</diwoo:atTime>
          </diwoo:documenthandeling>
        </diwoo:documenthandelingen>
      </diwoo:DiWoo>
    </diwoo:Document>
  </url>
  <url><loc>https://example.org/plain-page.html</loc></url>
</urlset>"#;

    #[test]
    fn a_098_sitemap_entry_maps_onto_our_fields() {
        let entries = parse_sitemap(SITEMAP_098).unwrap();
        assert_eq!(
            entries.len(),
            1,
            "the url without DiWoo metadata is skipped"
        );
        let entry = &entries[0];
        assert_eq!(entry.identifiers, vec!["AMS-WOO-2024-123", "Z/24/99"]);
        assert_eq!(
            entry.official_title.as_deref(),
            Some("Besluit op Woo-verzoek & bijlagen")
        );
        assert_eq!(entry.descriptions, vec!["Over de parkeervergunningen"]);
        assert_eq!(
            entry_publisher(entry).as_deref(),
            Some("Gemeente Amsterdam")
        );
        assert_eq!(entry_category(entry).as_deref(), Some("2i"));
        assert_eq!(entry_date(entry).as_deref(), Some("2024-04-30"));
        assert_eq!(entry_language(entry).as_deref(), Some("nl"));
        assert!(entry_is_decision(entry));
        let document = entry_document(entry, "sitemap.xml", 0);
        assert_eq!(document.fields.id, "AMS-WOO-2024-123");
        assert_eq!(document.fields.references, vec!["Z/24/99"]);
        assert_eq!(document.fields.decision_date.as_deref(), Some("2024-04-30"));
        assert_eq!(
            document.fields.document_type.as_deref(),
            Some("beslissing op wob-/woo-verzoek")
        );
        assert!(document.fields.summary.unwrap().contains("parkeren"));
        assert!(document.pages.is_empty());
    }

    #[test]
    fn a_document_with_its_own_default_namespace_is_read() {
        let text = r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>a.pdf</loc>
          <Document xmlns="https://standaarden.overheid.nl/diwoo/metadata/"><DiWoo>
            <publisher resource="https://identifier.overheid.nl/tooi/id/provincie/pv27">provincie Noord-Holland</publisher>
            <titelcollectie><officieleTitel>Nota</officieleTitel></titelcollectie>
            <classificatiecollectie><informatiecategorieen><informatiecategorie resource="https://identifier.overheid.nl/tooi/def/thes/kern/c_99a836c7"/></informatiecategorieen></classificatiecollectie>
            <creatiedatum>2021-07-06</creatiedatum>
          </DiWoo></Document></url></urlset>"#;
        let entries = parse_sitemap(text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entry_publisher(&entries[0]).as_deref(),
            Some("Provincie Noord-Holland")
        );
        assert_eq!(entry_category(&entries[0]).as_deref(), Some("2e"));
        assert_eq!(entry_date(&entries[0]).as_deref(), Some("2021-07-06"));
    }

    #[test]
    fn other_xml_and_broken_xml() {
        assert!(parse_sitemap("<root><a>b</a></root>").unwrap().is_empty());
        assert!(parse_sitemap("<urlset><url><loc>x</url></urlset>").is_err());
        let deep = "<a>".repeat(100);
        assert!(parse_sitemap(&deep).is_err());
    }

    #[test]
    fn local_files_are_found_relative_to_the_sitemap() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/mijn besluit.pdf"), b"%PDF-1.4").unwrap();
        let sitemap = dir.path().join("sitemap.xml");
        let entry = |loc: &str| DiwooEntry {
            loc: Some(loc.to_string()),
            ..DiwooEntry::default()
        };
        assert!(entry_local_file(&entry("docs/mijn%20besluit.pdf"), &sitemap).is_some());
        assert!(entry_local_file(&entry("docs/mijn besluit.pdf"), &sitemap).is_some());
        assert!(entry_local_file(&entry("https://example.org/docs/a.pdf"), &sitemap).is_none());
        assert!(entry_local_file(&entry("docs/missing.pdf"), &sitemap).is_none());
    }
}
