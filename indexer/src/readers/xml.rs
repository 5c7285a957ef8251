//! Official-publication and court XML: the families the Dutch government publishes its
//! texts in, told apart by the root element.
//!
//! - `officiele-publicatie` (KOOP, officielebekendmakingen.nl: Staatsblad, Staatscourant,
//!   Gemeenteblad, Provinciaal blad, Kamerstukken, Kamervragen...): the identifier from the
//!   metadata record's URL (`gmb-2017-100002`), the kind from the body element (`gemeenteblad`),
//!   the title from the body's `titel` (or `intitule`).
//! - `cvdr` (decentrale regelgeving): identifier `CVDR<number>`, title, body that made it,
//!   issue date, kind, from the `owmskern`/`owmsmantel` metadata.
//! - `toestand` (BWB, wetten.overheid.nl): the BWB id, `citeertitel` (else `intitule`), the
//!   date it took effect, the kind (`soort`).
//! - `open-rechtspraak` (rechtspraak.nl): the ECLI, the court (`Instantie`), the date of the
//!   ruling, its kind (Uitspraak / Conclusie), the title, and the summary (`inhoudsindicatie`),
//!   which is also the first page; the ruling follows.
//!
//! Text is read block by block (`al`, `titel`, `para`, table `entry`...; inline markup such as
//! `nadruk` joins its block); metadata elements are not text. Each article (`artikel`) starts a
//! page; otherwise blocks fill pages of at most [`super::MAX_PAGE_CHARS`]. Another root element
//! is not a document ([`document_family`] says `None`; DiWoo sitemaps are read by
//! `crate::diwoo`).

use super::xml_walk::{attribute, walk_xml, XmlVisitor};
use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest XML document read, in bytes.
pub const MAX_XML_BYTES: usize = 64 * 1024 * 1024;

/// The XML families read as documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlFamily {
    /// KOOP official publication.
    OfficialPublication,
    /// CVDR local regulation.
    Cvdr,
    /// BWB law or regulation (a consolidated version).
    Bwb,
    /// rechtspraak.nl ruling.
    Rechtspraak,
}

/// The family of an XML text by its root element; `None`: not a document family.
pub fn document_family(text: &str) -> Option<XmlFamily> {
    let root = root_element(text)?;
    match root.as_str() {
        "officiele-publicatie" => Some(XmlFamily::OfficialPublication),
        "cvdr" => Some(XmlFamily::Cvdr),
        "toestand" => Some(XmlFamily::Bwb),
        "open-rechtspraak" => Some(XmlFamily::Rechtspraak),
        _ => None,
    }
}

/// The local name of the first element of `text` (after the declaration, comments and a
/// byte-order mark).
fn root_element(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        let start = rest.find('<')?;
        rest = &rest[start + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let local = name.rsplit(':').next().unwrap_or(&name).to_string();
        return (!local.is_empty()).then_some(local);
    }
}

/// Whether the first 64 KiB of `bytes` start an XML document of a family read as documents.
pub fn is_document_xml(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    document_family(&String::from_utf8_lossy(head)).is_some()
}

/// Reads an XML document of one of the families.
pub fn read_xml(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    if bytes.len() > MAX_XML_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("XML larger than {MAX_XML_BYTES} bytes"),
        });
    }
    let text = super::text::decode_text(bytes);
    let Some(family) = document_family(&text) else {
        return Err(IndexerError::UnsupportedFormat {
            name: name.to_string(),
            reason: format!(
                "XML with root element {:?} is not an official publication, regulation or ruling",
                root_element(&text).unwrap_or_default()
            ),
        });
    };
    let mut reader = FamilyReader::new(family);
    walk_xml(&text, &mut reader).map_err(|reason| IndexerError::MalformedFile {
        name: name.to_string(),
        format: "xml",
        reason,
    })?;
    Ok(reader.finish())
}

/// Elements whose end ends a block of text.
const BLOCKS: &[&str] = &[
    "al",
    "titel",
    "subtitel",
    "tussenkop",
    "intitule",
    "citeertitel",
    "tekstregel",
    "li",
    "entry",
    "para",
    "title",
    "kop",
    "label",
    "considerans.al",
    "wij",
    "slotformulering",
    "dagtekening",
    "functie",
    "naam",
    "ondertekenaar",
    "aanhef",
    "nr",
    "lidnr",
    "li.nr",
];

/// Elements whose text is metadata, not the document's text.
const METADATA: &[&str] = &[
    "metadata",
    "meta",
    "RDF",
    "bwb-inputbestand",
    "bwb-wijzigingen",
    "redactionele-correcties",
    "meta-data",
    "jcis",
    "brondata",
    "colspec",
    "plaatje",
    "illustratie",
];

/// Collects the text and facts of one XML document.
struct FamilyReader {
    family: XmlFamily,
    stack: Vec<String>,
    /// Inside metadata elements.
    in_metadata: usize,
    paragraphs: Vec<Option<String>>,
    current: String,
    info: PdfInfo,
    /// Text of the metadata element being read.
    metadata_text: String,
    /// The `inhoudsindicatie` of a ruling, while it is read.
    summary: Option<String>,
    in_summary: bool,
}

impl FamilyReader {
    fn new(family: XmlFamily) -> FamilyReader {
        FamilyReader {
            family,
            stack: Vec::new(),
            in_metadata: 0,
            paragraphs: Vec::new(),
            current: String::new(),
            info: PdfInfo::default(),
            metadata_text: String::new(),
            summary: None,
            in_summary: false,
        }
    }

    fn end_block(&mut self) {
        let block = self
            .current
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !block.is_empty() {
            if self.in_summary {
                let summary = self.summary.get_or_insert_with(String::new);
                if !summary.is_empty() {
                    summary.push('\n');
                }
                summary.push_str(&block);
            }
            self.paragraphs.push(Some(block));
        }
        self.current.clear();
    }

    fn finish(mut self) -> ExtractedPdf {
        self.end_block();
        if self.info.summary.is_none() {
            self.info.summary = self.summary.take();
        }
        if self.info.title.is_none() {
            self.info.title = self.paragraphs.iter().flatten().next().cloned();
        }
        ExtractedPdf {
            info: self.info,
            pages: super::pages_from_paragraphs(&self.paragraphs),
            ..ExtractedPdf::default()
        }
    }

    /// Facts from a start tag's attributes.
    fn note_attributes(&mut self, name: &str, attributes: &[(String, String)]) {
        match (self.family, name) {
            (XmlFamily::Bwb, "toestand") => {
                self.info.identifier = attribute(attributes, "bwb-id").map(str::to_string);
                self.info.creation_date = attribute(attributes, "inwerkingtreding")
                    .and_then(woo_core::dates::normalise_date);
            }
            (XmlFamily::Bwb, "wetgeving") => {
                self.info.document_type = attribute(attributes, "soort").map(readable_kind);
            }
            (XmlFamily::OfficialPublication, "meta")
                if attribute(attributes, "name") == Some("OVERHEIDop.externMetadataRecord") =>
            {
                self.info.identifier =
                    attribute(attributes, "content").and_then(publication_identifier);
            }
            // The body element right under the root names the kind (`gemeenteblad`).
            (XmlFamily::OfficialPublication, _)
                if self.stack.len() == 2
                    && !matches!(name, "metadata" | "kop" | "meta")
                    && self.info.document_type.is_none() =>
            {
                self.info.document_type = Some(readable_kind(name));
            }
            _ => {}
        }
    }

    /// A metadata element ended with `text`.
    fn note_metadata(&mut self, name: &str, text: &str) {
        let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return;
        }
        let first = |slot: &mut Option<String>, value: &str| {
            if slot.is_none() {
                *slot = Some(value.to_string());
            }
        };
        match (self.family, name) {
            (XmlFamily::Rechtspraak, "identifier") if value.starts_with("ECLI:") => {
                first(&mut self.info.identifier, &value)
            }
            (XmlFamily::Rechtspraak, "creator") => first(&mut self.info.court, &value),
            (XmlFamily::Rechtspraak, "date") => {
                self.info.creation_date = woo_core::dates::normalise_date(&value)
            }
            (XmlFamily::Rechtspraak, "type") => first(&mut self.info.document_type, &value),
            (XmlFamily::Rechtspraak | XmlFamily::Cvdr, "title") => {
                first(&mut self.info.title, &value)
            }
            (XmlFamily::Cvdr, "identifier") => {
                let number = value.split('_').next().unwrap_or(&value);
                first(&mut self.info.identifier, &format!("CVDR{number}"))
            }
            (XmlFamily::Cvdr, "creator") => first(&mut self.info.author, &value),
            (XmlFamily::Cvdr, "issued") => {
                self.info.creation_date = woo_core::dates::normalise_date(&value)
            }
            (XmlFamily::Cvdr, "type") => first(&mut self.info.document_type, &value),
            _ => {}
        }
    }
}

impl XmlVisitor for FamilyReader {
    fn start(&mut self, name: &str, attributes: &[(String, String)]) {
        self.stack.push(name.to_string());
        self.note_attributes(name, attributes);
        if METADATA.contains(&name) {
            self.in_metadata += 1;
        }
        if self.in_metadata > 0 {
            self.metadata_text.clear();
            return;
        }
        if name == "artikel" {
            self.end_block();
            if self.paragraphs.last().is_some_and(Option::is_some) {
                self.paragraphs.push(None);
            }
        } else if name == "inhoudsindicatie" {
            self.end_block();
            self.in_summary = true;
        } else if matches!(name, "uitspraak" | "conclusie") {
            self.end_block();
            if self.paragraphs.last().is_some_and(Option::is_some) {
                self.paragraphs.push(None);
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_metadata > 0 {
            self.metadata_text.push_str(text);
            return;
        }
        self.current.push(' ');
        self.current.push_str(text);
    }

    fn end(&mut self, name: &str) {
        self.stack.pop();
        if self.in_metadata > 0 {
            let text = std::mem::take(&mut self.metadata_text);
            self.note_metadata(name, &text);
            if METADATA.contains(&name) {
                self.in_metadata -= 1;
            }
            return;
        }
        if name == "titel" && self.info.title.is_none() && self.stack.len() > 2 {
            let title = self
                .current
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !title.is_empty() {
                self.info.title = Some(title);
            }
        }
        if matches!(name, "citeertitel" | "intitule") && self.family == XmlFamily::Bwb {
            let title = self
                .current
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !title.is_empty() && (name == "citeertitel" || self.info.title.is_none()) {
                self.info.title = Some(title);
            }
        }
        if BLOCKS.contains(&name) {
            self.end_block();
        }
        if name == "inhoudsindicatie" {
            self.end_block();
            self.in_summary = false;
        }
    }
}

/// `gmb-2017-100002` from `https://zoek.officielebekendmakingen.nl/gmb-2017-100002/metadata.xml`.
fn publication_identifier(url: &str) -> Option<String> {
    url.trim_end_matches('/')
        .trim_end_matches("metadata.xml")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|segment| !segment.is_empty() && !segment.contains('.'))
        .map(str::to_string)
}

/// `ministeriele-regeling` -> `Ministeriele regeling`, `gemeenteblad` -> `Gemeenteblad`.
fn readable_kind(element: &str) -> String {
    let spaced = element.replace(['-', '_'], " ");
    let mut characters = spaced.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gemeenteblad_gives_identifier_kind_title_and_blocks() {
        let xml = r#"<?xml version="1.0"?><officiele-publicatie><metadata><meta name="OVERHEIDop.externMetadataRecord" content="https://zoek.officielebekendmakingen.nl/gmb-2017-100002/metadata.xml"/></metadata><kop><titel>GEMEENTEBLAD</titel></kop><gemeenteblad><kop><titel>Ingediende aanvraag omgevingsvergunning</titel></kop><zakelijke-mededeling><al>Het college <nadruk>maakt bekend</nadruk> dat</al><al>Tweede alinea.</al></zakelijke-mededeling></gemeenteblad></officiele-publicatie>"#;
        let extracted = read_xml("gmb.xml", xml.as_bytes()).unwrap();
        assert_eq!(
            extracted.info.identifier.as_deref(),
            Some("gmb-2017-100002")
        );
        assert_eq!(
            extracted.info.document_type.as_deref(),
            Some("Gemeenteblad")
        );
        assert_eq!(
            extracted.info.title.as_deref(),
            Some("Ingediende aanvraag omgevingsvergunning")
        );
        assert!(extracted.pages[0]
            .text
            .contains("Het college maakt bekend dat\nTweede alinea."));
        assert!(!extracted.pages[0].text.contains("metadata.xml"));
    }

    #[test]
    fn a_ruling_gives_ecli_court_date_summary_and_text() {
        let xml = r#"<open-rechtspraak><rdf:RDF xmlns:rdf="r" xmlns:dcterms="d"><rdf:Description><dcterms:identifier>ECLI:NL:PHR:2011:BP5608</dcterms:identifier><dcterms:creator>Parket bij de Hoge Raad</dcterms:creator><dcterms:date>2011-05-27</dcterms:date><dcterms:type>Conclusie</dcterms:type></rdf:Description><rdf:Description><dcterms:title>ECLI:NL:PHR:2011:BP5608 Parket bij de Hoge Raad, 27-05-2011</dcterms:title></rdf:Description></rdf:RDF><inhoudsindicatie><para>Huurrecht. Opzegging.</para></inhoudsindicatie><conclusie><parablock><para>1. De feiten.</para></parablock></conclusie></open-rechtspraak>"#;
        let extracted = read_xml("ecli.xml", xml.as_bytes()).unwrap();
        let info = &extracted.info;
        assert_eq!(info.identifier.as_deref(), Some("ECLI:NL:PHR:2011:BP5608"));
        assert_eq!(info.court.as_deref(), Some("Parket bij de Hoge Raad"));
        assert_eq!(info.creation_date.as_deref(), Some("2011-05-27"));
        assert_eq!(info.document_type.as_deref(), Some("Conclusie"));
        assert_eq!(info.summary.as_deref(), Some("Huurrecht. Opzegging."));
        assert!(info
            .title
            .as_deref()
            .unwrap()
            .starts_with("ECLI:NL:PHR:2011:BP5608"));
        assert_eq!(extracted.pages.len(), 2, "summary first, then the ruling");
        assert_eq!(extracted.pages[1].text, "1. De feiten.");
    }

    #[test]
    fn articles_of_a_regulation_are_pages() {
        let xml = r#"<toestand bwb-id="BWBR0003984" inwerkingtreding="1986-06-26"><wetgeving soort="ministeriele-regeling"><intitule>Regeling X</intitule><citeertitel>Regeling x 1986</citeertitel><regeling><regeling-tekst><artikel><kop><label>Artikel</label><nr>1</nr></kop><al>Eerste.</al></artikel><artikel><kop><label>Artikel</label><nr>2</nr></kop><al>Tweede.</al></artikel></regeling-tekst></regeling></wetgeving></toestand>"#;
        let extracted = read_xml("bwb.xml", xml.as_bytes()).unwrap();
        assert_eq!(extracted.info.identifier.as_deref(), Some("BWBR0003984"));
        assert_eq!(extracted.info.title.as_deref(), Some("Regeling x 1986"));
        assert_eq!(
            extracted.info.document_type.as_deref(),
            Some("Ministeriele regeling")
        );
        assert_eq!(extracted.info.creation_date.as_deref(), Some("1986-06-26"));
        assert_eq!(extracted.pages.len(), 3, "{:?}", extracted.pages);
        assert!(extracted.pages[1].text.starts_with("Artikel\n1\nEerste."));
    }

    #[test]
    fn other_xml_is_not_a_document_and_broken_xml_is_malformed() {
        assert!(!is_document_xml(b"<?xml version=\"1.0\"?><urlset/>"));
        assert!(is_document_xml(
            b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- x --><cvdr/>"
        ));
        assert!(matches!(
            read_xml("x.xml", b"<metadata_gegevens/>"),
            Err(IndexerError::UnsupportedFormat { .. })
        ));
        assert!(matches!(
            read_xml("x.xml", b"<cvdr><body><al>open</bl></body></cvdr>"),
            Err(IndexerError::MalformedFile { .. })
        ));
    }
}
