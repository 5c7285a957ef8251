//! Result lists for other programs: CSV and JSON exports (`GET /api/export`) and the Atom feed
//! (`GET /feed`). Pure text rendering; the handlers in [`crate::app`] fetch the documents with
//! [`crate::search::SearchService::all_matching`] and stream the rows.
//!
//! - CSV: RFC 4180 (quoted where needed, CRLF line ends), a header row, grounds joined by `; `;
//!   cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'` so
//!   spreadsheets do not run them as formulas.
//! - JSON: one array of objects, written row by row.
//! - Atom 1.0: the newest [`FEED_ENTRIES`] matching documents, ids as `tag:` URIs.

use serde_json::json;

use crate::html::url_encode;
use crate::search::{html_escape, SearchResult};

/// Most documents one export returns; the response says how many matched
/// (`X-Total-Count`) and whether the export was cut (`X-Export-Truncated`).
pub const EXPORT_LIMIT: usize = 10_000;

/// Entries in a feed.
pub const FEED_ENTRIES: usize = 50;

/// The authority and date of the `tag:` URIs of feeds and entries (RFC 4151).
const TAG_PREFIX: &str = "tag:woo-search,2024:";

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON array.
    Json,
}

impl ExportFormat {
    /// Parses `csv` or `json`.
    pub fn parse(value: &str) -> Option<ExportFormat> {
        match value {
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }

    /// The `Content-Type` of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    /// The file name offered for download.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::Csv => "woo-search-export.csv",
            ExportFormat::Json => "woo-search-export.json",
        }
    }
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "category",
    "type",
    "date",
    "judgement",
    "grounds",
    "page_count",
    "source",
    "url",
];

/// The URL of a document's page on this server (`base` is the configured public URL, or
/// empty for a relative URL).
pub fn document_url(base: &str, id: &str) -> String {
    format!("{base}/documents/{}", url_encode(id))
}

/// The server's public URL as the start of absolute URLs: `http://` or `https://`, a host,
/// maybe a port and a path, no query or fragment; its trailing `/` removed
/// (`https://woo.example.nl/zoeken/` -> `https://woo.example.nl/zoeken`).
pub fn public_base_url(value: &str) -> std::result::Result<String, String> {
    let trimmed = value.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(format!(
            "public URL {value:?} must start with http:// or https://"
        ));
    };
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "public URL {value:?} must start with http:// or https://"
        ));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(format!("public URL {value:?} has no host"));
    }
    let allowed =
        |character: char| character.is_ascii_alphanumeric() || "-._~/:[]%".contains(character);
    if !rest.chars().all(allowed) {
        return Err(format!(
            "public URL {value:?} may hold only a host, a port and a path (no query, fragment, \
             user or spaces)"
        ));
    }
    Ok(trimmed.trim_end_matches('/').to_string())
}

/// Quotes one CSV cell when it needs it and defuses spreadsheet formulas.
pub fn csv_cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        return format!("\"{}\"", defused.replace('"', "\"\""));
    }
    defused
}

/// The CSV header row, with its line end.
pub fn csv_header() -> String {
    format!("{}\r\n", CSV_COLUMNS.join(","))
}

/// One CSV row, with its line end.
pub fn csv_row(result: &SearchResult, base: &str) -> String {
    let cells = [
        result.id.clone(),
        result.title.clone(),
        result.publisher.clone().unwrap_or_default(),
        result.category.clone().unwrap_or_default(),
        result.document_type.clone().unwrap_or_default(),
        result.date.clone().unwrap_or_default(),
        result.judgement.clone().unwrap_or_default(),
        result.grounds.join("; "),
        result.page_count.to_string(),
        result.source.clone(),
        document_url(base, &result.id),
    ];
    let quoted: Vec<String> = cells.iter().map(|cell| csv_cell(cell)).collect();
    format!("{}\r\n", quoted.join(","))
}

/// One JSON object of the export array.
pub fn json_object(result: &SearchResult, base: &str) -> serde_json::Value {
    json!({
        "id": result.id,
        "title": result.title,
        "publisher": result.publisher,
        "category": result.category,
        "category_label": result.category_label,
        "type": result.document_type,
        "date": result.date,
        "judgement": result.judgement,
        "grounds": result.grounds,
        "publication_id": result.publication_id,
        "publication_title": result.publication_title,
        "page_count": result.page_count,
        "source": result.source,
        "url": document_url(base, &result.id),
    })
}

/// Escapes text for XML, dropping the control characters XML 1.0 forbids.
fn xml_escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|&character| !character.is_control() || matches!(character, '\t' | '\n' | '\r'))
        .collect();
    html_escape(&allowed)
}

/// An Atom date-time for a document date `YYYY-MM-DD` (midnight UTC); 1970 when unknown.
fn atom_date(date: Option<&str>) -> String {
    match date {
        Some(date) if date.len() == 10 => format!("{date}T00:00:00Z"),
        _ => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// What a feed is about, for its title and links.
pub struct FeedDescription<'a> {
    /// The configured public URL of this server, or empty (relative links).
    pub base: &'a str,
    /// The query text (may be empty).
    pub query: &'a str,
    /// The feed's query string without `?` (canonical: as requested).
    pub query_string: &'a str,
}

/// An Atom 1.0 feed of `results` (newest first).
pub fn atom_feed(description: &FeedDescription, results: &[SearchResult]) -> String {
    let base = description.base;
    let query_suffix = if description.query_string.is_empty() {
        String::new()
    } else {
        format!("?{}", description.query_string)
    };
    let title = if description.query.trim().is_empty() {
        "woo-search: nieuwe Woo-documenten".to_string()
    } else {
        format!("woo-search: {}", description.query.trim())
    };
    let updated = results
        .iter()
        .filter_map(|result| result.date.as_deref())
        .max()
        .map_or_else(|| atom_date(None), |date| atom_date(Some(date)));
    let mut feed = String::with_capacity(1024 + 512 * results.len());
    feed.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    feed.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">\n");
    feed.push_str(&format!("<title>{}</title>\n", xml_escape(&title)));
    feed.push_str(&format!(
        "<id>{TAG_PREFIX}feed{}</id>\n",
        xml_escape(&query_suffix)
    ));
    feed.push_str(&format!("<updated>{updated}</updated>\n"));
    feed.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/feed{query_suffix}"))
    ));
    feed.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/{query_suffix}"))
    ));
    feed.push_str("<author><name>woo-search</name></author>\n<generator>woo-search</generator>\n");
    for result in results {
        feed.push_str(&atom_entry(result, base));
    }
    feed.push_str("</feed>\n");
    feed
}

/// One `<entry>`: tag URI id, title, updated (the document date), link, summary, author.
fn atom_entry(result: &SearchResult, base: &str) -> String {
    let mut summary_parts: Vec<String> = Vec::new();
    if let Some(publication) = &result.publication_title {
        summary_parts.push(publication.clone());
    }
    for part in [
        &result.publisher,
        &result.category_label,
        &result.document_type,
        &result.judgement,
    ]
    .into_iter()
    .flatten()
    {
        summary_parts.push(part.clone());
    }
    if !result.grounds.is_empty() {
        summary_parts.push(result.grounds.join(", "));
    }
    summary_parts.push(format!("{} pagina's", result.page_count));
    let mut entry = String::from("<entry>\n");
    entry.push_str(&format!(
        "<id>{TAG_PREFIX}document/{}</id>\n",
        url_encode(&result.id)
    ));
    entry.push_str(&format!("<title>{}</title>\n", xml_escape(&result.title)));
    entry.push_str(&format!(
        "<updated>{}</updated>\n",
        atom_date(result.date.as_deref())
    ));
    entry.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&document_url(base, &result.id))
    ));
    entry.push_str(&format!(
        "<link rel=\"enclosure\" type=\"application/pdf\" href=\"{}\"/>\n",
        xml_escape(&format!(
            "{base}/api/documents/{}/file",
            url_encode(&result.id)
        ))
    ));
    if let Some(publisher) = &result.publisher {
        entry.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml_escape(publisher)
        ));
    }
    entry.push_str(&format!(
        "<summary>{}</summary>\n",
        xml_escape(&summary_parts.join(" · "))
    ));
    entry.push_str("</entry>\n");
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(
            csv_cell("-2+3+cmd|' /C calc'!A0"),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn public_urls_must_be_http_addresses_without_query() {
        assert_eq!(
            public_base_url("https://woo.example.nl/").unwrap(),
            "https://woo.example.nl"
        );
        assert_eq!(
            public_base_url("http://127.0.0.1:3000/zoeken/").unwrap(),
            "http://127.0.0.1:3000/zoeken"
        );
        assert!(public_base_url("woo.example.nl").is_err());
        assert!(public_base_url("ftp://woo.example.nl").is_err());
        assert!(public_base_url("https://").is_err());
        assert!(public_base_url("https://woo.example.nl/?a=b").is_err());
        assert!(public_base_url("https://evil\"><x").is_err());
    }

    #[test]
    fn xml_text_loses_forbidden_control_characters() {
        assert_eq!(xml_escape("a\u{0}b <c> & \u{7}"), "ab &lt;c&gt; &amp; ");
    }

    #[test]
    fn unknown_export_formats_are_refused() {
        assert_eq!(ExportFormat::parse("csv"), Some(ExportFormat::Csv));
        assert_eq!(ExportFormat::parse("xlsx"), None);
    }
}
