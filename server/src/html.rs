//! The journalists' pages: server-rendered HTML, no scripts, no external assets.
//!
//! - `GET /?q=...&publisher=...` ([`render_search_page`]): the query box with the query-language
//!   help, the facet panel (date range, sort, every facet's values as toggle links with counts),
//!   the results grouped per publication with page-labelled snippets linking to the document
//!   page at that page (and straight to the PDF), links to the CSV/JSON export and Atom feed.
//! - `GET /documents/{id}?q=...&page=N` ([`render_document_page`]): metadata, grounds per page,
//!   and a "page N of M" viewer with the page's text, query terms highlighted, beside the PDF.
//!
//! Every state is a URL. Dutch by default, English with `lang=en`, kept in every link.

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use woo_core::model::StoredDocument;

use crate::error::ApiError;
use crate::search::{html_escape, SearchResponse, SearchResult, FACET_NAMES};

/// Parameters the HTML page accepts besides the API's.
pub const HTML_EXTRA_PARAMETERS: &[&str] = &["lang"];

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiLanguage {
    /// Dutch (default).
    Dutch,
    /// English.
    English,
}

impl UiLanguage {
    /// `lang=en` selects English.
    pub fn from_pairs(pairs: &[(String, String)]) -> UiLanguage {
        let english = pairs
            .iter()
            .any(|(name, value)| name == "lang" && value == "en");
        if english {
            UiLanguage::English
        } else {
            UiLanguage::Dutch
        }
    }

    /// The Dutch or English text.
    pub fn text(self, dutch: &'static str, english: &'static str) -> &'static str {
        match self {
            UiLanguage::Dutch => dutch,
            UiLanguage::English => english,
        }
    }
}

/// The document JSON of `GET /api/documents/{id}` (no server paths).
pub fn public_document_json(document: &StoredDocument) -> serde_json::Value {
    let category_label = document
        .fields
        .category
        .as_deref()
        .and_then(woo_core::woo::category_by_any)
        .map(|category| category.label);
    json!({
        "id": document.fields.id,
        "title": document.fields.title,
        "source": document.fields.source,
        "publication_id": document.fields.publication_id,
        "publication_title": document.fields.publication_title,
        "publisher": document.fields.publisher,
        "category": document.fields.category,
        "category_label": category_label,
        "type": document.fields.document_type,
        "date": document.fields.date,
        "judgement": document.fields.judgement,
        "grounds": document.grounds,
        "ground_stamps": document.ground_stamps,
        "summary": document.fields.summary,
        "page_count": document.page_count,
        "languages": document.languages,
        "text_sources": document.text_sources,
        "pages_without_text": document.pages_without_text,
        "ocr_pages": document.ocr_pages,
        "content_hash": document.fields.content_hash,
        "decision_date": document.fields.decision_date,
        "request_date": document.fields.request_date,
        "decision": document.fields.decision,
        "articles": document.fields.articles,
        "outcome": document.fields.outcome,
        "subject": document.fields.subject,
        "received_date": document.fields.received_date,
        "first_page": document.fields.first_page,
        "file_format": document.fields.format,
        "court": document.fields.court,
        "references": document.fields.references,
        "emails": document.fields.emails,
        "file": format!("/api/documents/{}/file", url_encode(&document.fields.id)),
    })
}

/// Percent-encodes a URL component.
pub fn url_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, URL_COMPONENT).to_string()
}

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const URL_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn query_string(pairs: &[(String, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{}={}", url_encode(name), url_encode(value)))
        .collect();
    if parts.is_empty() {
        return "/".to_string();
    }
    format!("/?{}", parts.join("&"))
}

/// The pairs with `name=value` toggled and the page reset.
fn toggled(pairs: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let present = pairs.iter().any(|(n, v)| n == name && v == value);
    let mut next: Vec<(String, String)> = pairs
        .iter()
        .filter(|(n, v)| n != "page" && !(n == name && v == value))
        .cloned()
        .collect();
    if !present {
        next.push((name.to_string(), value.to_string()));
    }
    next
}

fn with_page(pairs: &[(String, String)], page: usize) -> Vec<(String, String)> {
    let mut next: Vec<(String, String)> =
        pairs.iter().filter(|(n, _)| n != "page").cloned().collect();
    next.push(("page".to_string(), page.to_string()));
    next
}

pub(crate) fn facet_title(name: &str, language: UiLanguage) -> &'static str {
    match name {
        "publisher" => language.text("Organisatie", "Publisher"),
        "category" => language.text("Informatiecategorie", "Information category"),
        "type" => language.text("Soort document", "Document type"),
        "year" => language.text("Jaar", "Year"),
        "language" => language.text("Taal", "Language"),
        "ground" => language.text("Weigeringsgrond", "Refusal ground"),
        "judgement" => language.text("Beoordeling", "Judgement"),
        "text_source" => language.text("Tekst verkregen via", "Text obtained by"),
        "decision" => language.text("Besluit", "Decision"),
        "outcome" => language.text("Oordeel klacht", "Complaint outcome"),
        "subject" => language.text("Onderwerp klacht", "Complaint subject"),
        "file_format" => language.text("Bestandsvorm", "File format"),
        "court" => language.text("Rechtsprekende instantie", "Court"),
        "norm" => language.text("Genoemde behoorlijkheidsnorm", "Norm of conduct cited"),
        "violated_norm" => {
            language.text("Geschonden behoorlijkheidsnorm", "Norm of conduct violated")
        }
        "handling_time" => language.text("Behandelduur klacht", "Complaint handling time"),
        "theme" => language.text("Terugkerend thema", "Recurring theme"),
        "sender" => language.text("Afzender e-mail", "E-mail sender"),
        "recipient" => language.text("Ontvanger e-mail", "E-mail recipient"),
        "thread" => language.text("E-mailreeks", "E-mail thread"),
        "month" => language.text("Maand", "Month"),
        _ => "",
    }
}

/// How a facet value is shown: category and ground labels, names of languages and of the ways
/// text was obtained.
pub(crate) fn facet_value_shown(
    name: &str,
    value: &str,
    label: Option<&str>,
    language: UiLanguage,
) -> String {
    match (name, value, label) {
        ("category", _, Some(label)) => format!("{label} ({value})"),
        (_, _, Some(label)) => label.to_string(),
        ("text_source", "text", _) => language
            .text("tekstlaag van de pdf", "PDF text layer")
            .to_string(),
        ("text_source", "ocr", _) => language.text("OCR (gescand)", "OCR (scanned)").to_string(),
        ("text_source", "none", _) => language.text("geen tekst", "no text").to_string(),
        ("language", "nl", _) => language.text("Nederlands", "Dutch").to_string(),
        ("language", "en", _) => language.text("Engels", "English").to_string(),
        ("language", "de", _) => language.text("Duits", "German").to_string(),
        ("language", "fr", _) => language.text("Frans", "French").to_string(),
        _ => value.to_string(),
    }
}

/// The value of the first `name` pair, or "".
pub(crate) fn pair_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(pair_name, _)| pair_name == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or("")
}

/// The pairs without the named parameters.
pub(crate) fn without(pairs: &[(String, String)], names: &[&str]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(name, _)| !names.contains(&name.as_str()))
        .cloned()
        .collect()
}

/// `path?query` of the non-empty pairs (just `path` when there are none).
pub(crate) fn url_with_pairs(path: &str, pairs: &[(String, String)]) -> String {
    let query = query_string(pairs);
    match query.strip_prefix("/?") {
        Some(parameters) => format!("{path}?{parameters}"),
        None => path.to_string(),
    }
}

/// The document page of `id` at `page`, keeping the query (for highlighting) and the language,
/// scrolled to the page viewer.
pub fn document_page_url(id: &str, query: &str, page: u32, language: UiLanguage) -> String {
    let mut pairs = Vec::new();
    if !query.trim().is_empty() {
        pairs.push(("q".to_string(), query.to_string()));
    }
    pairs.push(("page".to_string(), page.to_string()));
    if language == UiLanguage::English {
        pairs.push(("lang".to_string(), "en".to_string()));
    }
    let url = url_with_pairs(&format!("/documents/{}", url_encode(id)), &pairs);
    format!("{url}#viewer")
}

/// The PDF at a page. `page` counts from the document's first page; a part of a bundle
/// (`source` ending in `#pages=F-L`) is a page range of the original file, which is what the
/// file endpoint serves, so the link adds `F - 1`.
/// Whether the document's file is a PDF (shown in the viewer, opened at a page); other
/// formats (docx, e-mail, an archive member…) are a download of the file they came in.
fn is_pdf_source(source: &str) -> bool {
    let file = source.split('#').next().unwrap_or(source);
    file.to_ascii_lowercase().ends_with(".pdf")
}

/// The download link of a document's original file that is not a PDF.
fn file_url(id: &str) -> String {
    format!("/api/documents/{}/file", url_encode(id))
}

fn pdf_url(id: &str, page: u32, source: &str) -> String {
    let page_in_file = page + first_page_in_file(source).saturating_sub(1);
    format!("/api/documents/{}/file#page={page_in_file}", url_encode(id))
}

/// `F` of a source ending in `#pages=F-L` (a part of a bundle), else 1.
fn first_page_in_file(source: &str) -> u32 {
    source
        .rsplit_once("#pages=")
        .and_then(|(_, range)| range.split('-').next())
        .and_then(|first| first.parse().ok())
        .unwrap_or(1)
}

/// Hidden inputs carrying every pair except the named ones (so a form keeps the other state).
pub(crate) fn hidden_inputs(pairs: &[(String, String)], except: &[&str]) -> String {
    let mut html = String::new();
    for (name, value) in pairs {
        if except.contains(&name.as_str()) || value.is_empty() {
            continue;
        }
        html.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            html_escape(name),
            html_escape(value)
        ));
    }
    html
}

/// Where the pages' style sheet [`STYLE`] is served.
pub const STYLE_SHEET_PATH: &str = "/static/style.css";

/// The pages' style sheet, served at [`STYLE_SHEET_PATH`] (no inline style: the
/// Content-Security-Policy of [`crate::headers`] allows only our own style sheet).
pub const STYLE: &str = ".grow{flex:1}body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.45}\
.skip{position:absolute;left:-9999px;top:0;background:#ffb612;color:#000;padding:.5rem 1rem;z-index:9}.skip:focus{left:0}\
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
header{background:#154273;color:#fff;padding:1rem 1.5rem}header a{color:#fff}header h1{font-size:1.25rem;margin:0}\
form.search{display:flex;gap:.5rem;margin-top:.5rem}form.search input[type=search]{flex:1;font-size:1.1rem;padding:.5rem}\
button{font-size:1rem;padding:.4rem .9rem;background:#fff;color:#154273;border:2px solid #154273;border-radius:3px;cursor:pointer}\
header button{border-color:#fff}main{display:flex;flex-wrap:wrap;gap:2rem;padding:1rem 1.5rem}\
nav.facets{flex:0 0 17rem}nav.facets h2{font-size:1.1rem;margin:.5rem 0}nav.facets h3{font-size:1rem;margin:1rem 0 .25rem}\
nav.facets ul{list-style:none;padding:0;margin:0}nav.facets li{margin:.15rem 0}\
nav.facets li a{text-decoration:none;color:#154273}nav.facets li a:hover{text-decoration:underline}\
nav.facets li a[aria-current=true]{font-weight:bold}.count{color:#555}\
form.range label{display:block;margin-top:.4rem}form.range input,form.range select{font-size:1rem;padding:.25rem;width:100%;box-sizing:border-box}\
form.range button{margin-top:.5rem}\
section.results{flex:1;min-width:18rem}section.results>h2{font-size:1.1rem;margin:.5rem 0}\
.tools a{margin-right:1rem;color:#154273}\
section.publication{border-top:3px solid #154273;margin-top:1rem}section.publication>h3{font-size:1.05rem;margin:.5rem 0;color:#154273}\
article{border-bottom:1px solid #ddd;padding:.6rem 0 .6rem .75rem}\
article h4{margin:0 0 .25rem;font-size:1.05rem}article h4 a{color:#154273}.meta{color:#555;font-size:.9rem}\
.hit{margin:.3rem 0;font-size:.95rem}.hit a.page{color:#154273;font-weight:bold;margin-right:.5rem}.hit a.pdf{margin-left:.5rem;font-size:.85rem;color:#154273}\
mark{background:#ffe066;color:#000}.error{background:#fde8e8;border:1px solid #c00;padding:.75rem}\
details{margin-top:.5rem}details code{background:#eef;padding:0 .2rem;color:#000}.pager a{margin-right:1rem;color:#154273}\
a:focus,button:focus,input:focus,select:focus,summary:focus,iframe:focus{outline:3px solid #ffb612;outline-offset:2px}\
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:bold}dl.facts dd{margin:0}\
.document{padding:1rem 1.5rem;max-width:110rem}.document h1{font-size:1.4rem;margin:.25rem 0 1rem}\
.viewer{display:flex;flex-wrap:wrap;gap:1rem}.viewer .text{flex:1 1 28rem;min-width:0}\
.viewer pre{white-space:pre-wrap;font-family:inherit;background:#f7f7f7;border:1px solid #ccc;padding:1rem;margin:0;max-height:80vh;overflow:auto}\
.viewer iframe{flex:1 1 28rem;min-height:80vh;border:1px solid #ccc}\
nav.pages{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.5rem 0}nav.pages a{color:#154273}\
nav.pages input{width:4rem;font-size:1rem}table.grounds{border-collapse:collapse}table.grounds td,table.grounds th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
main.complaints{display:block;padding:1rem 1.5rem;max-width:80rem}.complaints h1{font-size:1.4rem;margin:.25rem 0}.complaints h2{font-size:1.15rem;margin:1.5rem 0 .4rem;color:#154273}\
.complaints svg{max-width:100%;height:auto;display:block}.complaints svg a:hover rect{fill:#ffb612}.complaints .note{color:#555;font-size:.9rem;max-width:50rem}\
form.patterns{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;background:#f3f6fa;padding:.75rem;border:1px solid #d0d9e6}\
form.patterns label{display:flex;flex-direction:column;font-size:.9rem}form.patterns input,form.patterns select{font-size:1rem;padding:.25rem;max-width:16rem}\
table.patterns{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}table.patterns td,table.patterns th{border:1px solid #ccc;padding:.2rem .45rem;text-align:left}\
table.patterns td.n{text-align:right}table.patterns a{color:#154273}.scroll{overflow-x:auto}\
table.compare{border-collapse:collapse;width:100%;table-layout:fixed}table.compare td{vertical-align:top;padding:.2rem .4rem;border-bottom:1px solid #e5e5e5}\
.redacted{background:#1a1a1a;color:#fff}.disclosed{background:#fff3b0}.differs{background:#f0f0f0}";

/// The opening of every page: doctype, `lang`, title, style, skip link.
pub(crate) fn page_head(title: &str, language: UiLanguage, extra_head: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{} – woo-search</title><link rel=\"stylesheet\" href=\"{STYLE_SHEET_PATH}\">{extra_head}</head><body>\
<a class=\"skip\" href=\"#content\">{}</a>",
        language.text("nl", "en"),
        html_escape(title),
        language.text("Naar de inhoud", "Skip to content"),
    )
}

/// The blue header: home link, heading, the search form (keeping `keep` pairs as hidden
/// inputs) and the query-language help.
pub(crate) fn page_header(
    query: &str,
    keep_hidden: &str,
    language: UiLanguage,
    heading: bool,
) -> String {
    let home = if language == UiLanguage::English {
        "/?lang=en"
    } else {
        "/"
    };
    let mut html = String::from("<header>");
    let brand = format!(
        "<a href=\"{home}\">woo-search</a> · {}",
        language.text("Zoeken in Woo-documenten", "Search Woo documents")
    );
    if heading {
        html.push_str(&format!("<h1>{brand}</h1>"));
    } else {
        html.push_str(&format!("<p><strong>{brand}</strong></p>"));
    }
    html.push_str(&format!(
        "<form class=\"search\" method=\"get\" action=\"/\" role=\"search\"><label for=\"q\" class=\"vh\">{}</label>\
<input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"{}\">{keep_hidden}<button type=\"submit\">{}</button></form>",
        language.text("Zoektermen", "Search terms"),
        html_escape(query),
        language.text("Zoek in besluiten en documenten…", "Search decisions and documents…"),
        language.text("Zoeken", "Search")
    ));
    html.push_str(&format!(
        "<details><summary>{}</summary><p>{}</p></details></header>",
        language.text("Hulp bij zoeken", "Search help"),
        language.text(
            "Woorden worden gecombineerd met EN. <code>OR</code> voor of, <code>-woord</code> of <code>NOT</code> om uit te sluiten, <code>(haakjes)</code>, <code>\"exacte zin\"</code> (onverbogen), <code>\"woorden dichtbij\"~5</code>, <code>verzoek*</code> (begint met, minstens 3 tekens), <code>jansen~</code> of <code>jansen~2</code> (spelfouten en slechte OCR), velden <code>title:</code> <code>publisher:</code> <code>ground:</code> <code>type:</code> <code>judgement:</code> <code>year:</code> <code>id:</code>, datums <code>date:2021-03</code> en <code>date:[2021-01-01 TO 2021-06-30]</code>. Samenstellingen worden gesplitst: <code>klacht</code> vindt ook <code>klachtenregeling</code>. Weigeringsgronden en kenmerken zoals <code>5.1.2e</code> of <code>2024-0001234</code> vindt u zoals ze geschreven zijn; een documentnummer als zoekvraag zet dat document bovenaan.",
            "Words are combined with AND. <code>OR</code> for either, <code>-word</code> or <code>NOT</code> to exclude, <code>(brackets)</code>, <code>\"exact phrase\"</code> (unstemmed), <code>\"words near\"~5</code>, <code>verzoek*</code> (starts with, at least 3 characters), <code>jansen~</code> or <code>jansen~2</code> (typos and bad OCR), fields <code>title:</code> <code>publisher:</code> <code>ground:</code> <code>type:</code> <code>judgement:</code> <code>year:</code> <code>id:</code>, dates <code>date:2021-03</code> and <code>date:[2021-01-01 TO 2021-06-30]</code>. Compounds are split: <code>klacht</code> also finds <code>klachtenregeling</code>. Refusal grounds and reference numbers such as <code>5.1.2e</code> or <code>2024-0001234</code> are found as written; a document number as the query puts that document first.",
        )
    ));
    html
}

/// The facet panel: the date range and sort form, then every facet's values as toggle links
/// with counts (`aria-current` on selected values).
fn facet_panel(
    pairs: &[(String, String)],
    response: &SearchResponse,
    language: UiLanguage,
) -> String {
    let mut html = format!(
        "<nav class=\"facets\" aria-labelledby=\"filters-heading\"><h2 id=\"filters-heading\">{}</h2>",
        language.text("Verfijnen", "Refine")
    );
    html.push_str(&date_and_sort_form(pairs, language));
    let any_selected = pairs
        .iter()
        .any(|(name, value)| FACET_NAMES.contains(&name.as_str()) && !value.is_empty());
    if any_selected {
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            html_escape(&query_string(&without(pairs, FACET_NAMES))),
            language.text("Alle filters wissen", "Clear all filters")
        ));
    }
    for &name in FACET_NAMES {
        html.push_str(&facet_section(pairs, response, name, language));
    }
    html.push_str("</nav>");
    html
}

/// The form of the facet panel with the date range (`from`, `to`) and the sort order, keeping
/// the other parameters as hidden inputs.
fn date_and_sort_form(pairs: &[(String, String)], language: UiLanguage) -> String {
    let sort = pair_value(pairs, "sort");
    let option = |value: &str, dutch: &'static str, english: &'static str| {
        let selected = if sort == value || (value == "relevance" && sort.is_empty()) {
            " selected"
        } else {
            ""
        };
        format!(
            "<option value=\"{value}\"{selected}>{}</option>",
            language.text(dutch, english)
        )
    };
    format!(
        "<form class=\"range\" method=\"get\" action=\"/\">{}\
<label for=\"from\">{}</label><input id=\"from\" name=\"from\" value=\"{}\" placeholder=\"{}\" inputmode=\"numeric\" pattern=\"[0-9]{{4}}(-[0-9]{{2}}){{0,2}}\">\
<label for=\"to\">{}</label><input id=\"to\" name=\"to\" value=\"{}\" placeholder=\"{}\" inputmode=\"numeric\" pattern=\"[0-9]{{4}}(-[0-9]{{2}}){{0,2}}\">\
<label for=\"sort\">{}</label><select id=\"sort\" name=\"sort\">{}{}{}</select>\
<button type=\"submit\">{}</button></form>",
        hidden_inputs(pairs, &["from", "to", "sort", "page"]),
        language.text("Datum vanaf (JJJJ-MM-DD)", "Date from (YYYY-MM-DD)"),
        html_escape(pair_value(pairs, "from")),
        language.text("JJJJ-MM-DD", "YYYY-MM-DD"),
        language.text("Datum tot en met (JJJJ-MM-DD)", "Date up to (YYYY-MM-DD)"),
        html_escape(pair_value(pairs, "to")),
        language.text("JJJJ-MM-DD", "YYYY-MM-DD"),
        language.text("Sorteren", "Sort by"),
        option("relevance", "relevantie", "relevance"),
        option("date", "datum, nieuwste eerst", "date, newest first"),
        option("date_asc", "datum, oudste eerst", "date, oldest first"),
        language.text("Toepassen", "Apply"),
    )
}

/// One facet of the panel: its title and its values as toggle links with counts, the link to
/// the values a capped list leaves out, and (under `year`) the link to counts per month; ""
/// when the facet has no values.
fn facet_section(
    pairs: &[(String, String)],
    response: &SearchResponse,
    name: &str,
    language: UiLanguage,
) -> String {
    let Some(values) = response.facets.get(name) else {
        return String::new();
    };
    if values.is_empty() {
        return String::new();
    }
    let mut html = format!("<h3>{}</h3><ul>", facet_title(name, language));
    for value in values {
        let href = query_string(&toggled(pairs, name, &value.value));
        let shown = facet_value_shown(name, &value.value, value.label.as_deref(), language);
        let current = if value.selected {
            " aria-current=\"true\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<li><a href=\"{}\"{current}>{}{} <span class=\"count\">({})</span></a></li>",
            html_escape(&href),
            if value.selected { "✓ " } else { "" },
            html_escape(&shown),
            value.count
        ));
    }
    if let Some(other) = response.facet_other.get(name) {
        let mut more = without(pairs, &["facet_size", "page"]);
        more.push((
            "facet_size".to_string(),
            crate::search::MAX_FACET_SIZE.to_string(),
        ));
        html.push_str(&format!(
            "<li><a href=\"{}\">{} <span class=\"count\">({})</span></a></li>",
            html_escape(&query_string(&more)),
            if language == UiLanguage::English {
                format!("{} more values", other.values)
            } else {
                format!("nog {} waarden", other.values)
            },
            other.count
        ));
    }
    html.push_str("</ul>");
    if name == "year" && !response.facets.contains_key("month") {
        let mut by_month = without(pairs, &["histogram", "page"]);
        by_month.push(("histogram".to_string(), "month".to_string()));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            html_escape(&query_string(&by_month)),
            language.text("Per maand", "By month")
        ));
    }
    html
}

/// The results of one publication on a page: its id and title (`None` for documents without a
/// publication) and its documents in result order.
struct PublicationGroup<'a> {
    publication: Option<(&'a str, &'a str)>,
    members: Vec<&'a SearchResult>,
}

/// The results of one page, grouped per publication in order of first appearance.
fn grouped_results(results: &[SearchResult]) -> Vec<PublicationGroup<'_>> {
    let mut groups: Vec<PublicationGroup> = Vec::new();
    for result in results {
        let publication = result
            .publication_id
            .as_deref()
            .map(|id| (id, result.publication_title.as_deref().unwrap_or(id)));
        let publication_id = publication.map(|(id, _)| id);
        let existing = groups
            .iter_mut()
            .find(|group| group.publication.map(|(id, _)| id) == publication_id);
        match existing {
            Some(group) => group.members.push(result),
            None => groups.push(PublicationGroup {
                publication,
                members: vec![result],
            }),
        }
    }
    groups
}

/// "besluit deels openbaar van 2024-03-15 op verzoek van 2024-01-02 (5.1.2e)", escaped.
fn decision_summary(result: &SearchResult, decision: &str, language: UiLanguage) -> String {
    let mut summary = format!("{} {}", language.text("besluit", "decision"), decision);
    if let Some(date) = &result.decision_date {
        summary.push_str(&format!(" {} {date}", language.text("van", "of")));
    }
    if let Some(date) = &result.request_date {
        summary.push_str(&format!(
            " {} {date}",
            language.text("op verzoek van", "on request of")
        ));
    }
    if !result.articles.is_empty() {
        summary.push_str(&format!(" ({})", result.articles.join(", ")));
    }
    html_escape(&summary)
}

fn render_result(result: &SearchResult, query: &str, language: UiLanguage) -> String {
    let first_page = result.hits.first().map_or(1, |hit| hit.page);
    let mut html = String::from("<article>");
    html.push_str(&format!(
        "<h4><a href=\"{}\">{}</a></h4>",
        html_escape(&document_page_url(&result.id, query, first_page, language)),
        html_escape(&result.title)
    ));
    let mut meta: Vec<String> = Vec::new();
    for part in [
        &result.publisher,
        &result.category_label,
        &result.document_type,
        &result.date,
        &result.judgement,
    ]
    .into_iter()
    .flatten()
    {
        meta.push(html_escape(part));
    }
    if !result.grounds.is_empty() {
        meta.push(html_escape(&result.grounds.join(", ")));
    }
    if let Some(decision) = &result.decision {
        meta.push(decision_summary(result, decision, language));
    }
    meta.push(format!(
        "{} {}",
        result.page_count,
        language.text("pagina's", "pages")
    ));
    meta.push(format!(
        "<a href=\"{}\">{}</a>",
        html_escape(&file_url(&result.id)),
        if is_pdf_source(&result.source) {
            language.text("pdf", "PDF")
        } else {
            language.text("bestand", "file")
        }
    ));
    if result.duplicates > 0 {
        meta.push(format!(
            "<span class=\"duplicates\">+{} {}</span>",
            result.duplicates,
            language.text("met bijna dezelfde tekst", "with nearly the same text")
        ));
    } else if result.duplicate_cluster.is_some() {
        meta.push(
            language
                .text(
                    "bijna dezelfde tekst staat ook elders",
                    "nearly the same text is elsewhere too",
                )
                .to_string(),
        );
    }
    if let Some(thread) = &result.thread {
        meta.push(format!(
            "<a href=\"{}\">{}</a>",
            html_escape(&format!(
                "/threads/{}{}",
                url_encode(thread),
                if language == UiLanguage::English {
                    "?lang=en"
                } else {
                    ""
                }
            )),
            language.text("e-mailreeks", "e-mail thread")
        ));
    }
    html.push_str(&format!("<div class=\"meta\">{}</div>", meta.join(" · ")));
    for hit in &result.hits {
        let pdf_link = if is_pdf_source(&result.source) {
            format!(
                "<a class=\"pdf\" href=\"{}\" aria-label=\"{} {}\">pdf</a>",
                html_escape(&pdf_url(&result.id, hit.page, &result.source)),
                language.text("pdf op pagina", "PDF at page"),
                hit.page,
            )
        } else {
            String::new()
        };
        html.push_str(&format!(
            "<p class=\"hit\"><a class=\"page\" href=\"{}\">{} {}</a>{}{pdf_link}</p>",
            html_escape(&document_page_url(&result.id, query, hit.page, language)),
            language.text("p.", "p."),
            hit.page,
            hit.snippet,
        ));
    }
    html.push_str("</article>");
    html
}

/// Renders the whole search page.
pub fn render_search_page(
    pairs: &[(String, String)],
    response: &SearchResponse,
    error: Option<&ApiError>,
    language: UiLanguage,
) -> String {
    let query = pair_value(pairs, "q");
    let title = if query.is_empty() {
        language.text("Zoeken in Woo-documenten", "Search Woo documents")
    } else {
        query
    };
    let feed_pairs = without(pairs, &["page", "size", "sort", "lang"]);
    let feed_url = url_with_pairs("/feed", &feed_pairs);
    let mut page = String::with_capacity(24 * 1024);
    page.push_str(&page_head(
        title,
        language,
        &format!(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Atom\" href=\"{}\">",
            html_escape(&feed_url)
        ),
    ));
    page.push_str(&page_header(
        query,
        &hidden_inputs(pairs, &["q", "page"]),
        language,
        true,
    ));
    page.push_str("<main>");
    page.push_str(&facet_panel(pairs, response, language));
    page.push_str("<section class=\"results\" id=\"content\" aria-labelledby=\"results-heading\" tabindex=\"-1\">");
    match error {
        Some(error) => page.push_str(&search_error_notice(error, language)),
        None => page.push_str(&results_summary(pairs, response, &feed_url, language)),
    }
    for group in grouped_results(&response.results) {
        page.push_str(&publication_section(&group, query, language));
    }
    page.push_str(&result_pager(pairs, response, language));
    page.push_str("</section></main></body></html>");
    page
}

/// The results heading saying why the search could not run.
fn search_error_notice(error: &ApiError, language: UiLanguage) -> String {
    format!(
        "<h2 id=\"results-heading\">{}</h2><p class=\"error\" role=\"alert\">{}</p>",
        language.text(
            "Deze zoekvraag kan niet worden uitgevoerd",
            "This search cannot be run"
        ),
        html_escape(&error.to_string())
    )
}

/// The results heading with the count and time, the spelling suggestion (if any), and the
/// export and feed links.
fn results_summary(
    pairs: &[(String, String)],
    response: &SearchResponse,
    feed_url: &str,
    language: UiLanguage,
) -> String {
    let mut html = format!(
        "<h2 id=\"results-heading\" aria-live=\"polite\">{} {} <span class=\"count\">({:.0} ms)</span></h2>",
        response.total,
        if response.total == 1 {
            language.text("document", "document")
        } else {
            language.text("documenten", "documents")
        },
        response.took_ms
    );
    if let Some(suggestion) = &response.suggestion {
        html.push_str(&suggestion_link(pairs, suggestion, language));
    }
    html.push_str(&export_and_feed_links(pairs, feed_url, language));
    html
}

/// "Did you mean <suggestion>?", linking to the search for it with the same filters.
fn suggestion_link(pairs: &[(String, String)], suggestion: &str, language: UiLanguage) -> String {
    let mut suggested_pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(name, _)| name != "q" && name != "page")
        .cloned()
        .collect();
    suggested_pairs.insert(0, ("q".to_string(), suggestion.to_string()));
    format!(
        "<p class=\"suggestion\">{} <a href=\"{}\">{}</a>?</p>",
        language.text("Bedoelde u", "Did you mean"),
        html_escape(&query_string(&suggested_pairs)),
        html_escape(suggestion)
    )
}

/// The links to every result as CSV and as JSON, and to the Atom feed of the search.
fn export_and_feed_links(
    pairs: &[(String, String)],
    feed_url: &str,
    language: UiLanguage,
) -> String {
    let export_pairs = without(pairs, &["page", "size", "lang"]);
    let mut csv_pairs = vec![("format".to_string(), "csv".to_string())];
    csv_pairs.extend(export_pairs.iter().cloned());
    let mut json_pairs = vec![("format".to_string(), "json".to_string())];
    json_pairs.extend(export_pairs.iter().cloned());
    let patterns_pairs = without(&export_pairs, &["sort", "group", "histogram"]);
    format!(
        "<p class=\"tools\"><a href=\"{}\" id=\"export-csv\">{}</a><a href=\"{}\" id=\"export-json\">{}</a><a href=\"{}\" id=\"feed\">{}</a><a href=\"{}\" id=\"complaint-patterns\">{}</a></p>",
        html_escape(&url_with_pairs("/api/export", &csv_pairs)),
        language.text("Exporteer alle resultaten (CSV)", "Export all results (CSV)"),
        html_escape(&url_with_pairs("/api/export", &json_pairs)),
        language.text("JSON", "JSON"),
        html_escape(feed_url),
        language.text("Volg via Atom-feed", "Follow as Atom feed"),
        html_escape(&url_with_pairs("/complaints", &patterns_pairs)),
        language.text("Patronen in klachtoordelen", "Patterns in complaint judgements"),
    )
}

/// One publication's results: its title and id as the heading, then each result.
fn publication_section(group: &PublicationGroup, query: &str, language: UiLanguage) -> String {
    let mut html = String::from("<section class=\"publication\">");
    match group.publication {
        Some((id, title)) => html.push_str(&format!(
            "<h3>{} <span class=\"count\">({})</span></h3>",
            html_escape(title),
            html_escape(id)
        )),
        None => html.push_str(&format!(
            "<h3>{}</h3>",
            language.text(
                "Documenten zonder publicatie",
                "Documents without a publication"
            )
        )),
    }
    for result in &group.members {
        html.push_str(&render_result(result, query, language));
    }
    html.push_str("</section>");
    html
}

/// The previous and next result page links (next only within the result window).
fn result_pager(
    pairs: &[(String, String)],
    response: &SearchResponse,
    language: UiLanguage,
) -> String {
    let current_page: usize = pair_value(pairs, "page").parse().unwrap_or(1);
    let size: usize = pair_value(pairs, "size")
        .parse()
        .unwrap_or(crate::params::DEFAULT_PAGE_SIZE);
    let mut html = format!(
        "<nav class=\"pager\" aria-label=\"{}\">",
        language.text("Resultaatpagina's", "Result pages")
    );
    if current_page > 1 {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"prev\">← {}</a>",
            html_escape(&query_string(&with_page(pairs, current_page - 1))),
            language.text("vorige", "previous")
        ));
    }
    if current_page * size < response.total
        && (current_page + 1) * size <= crate::search::MAX_RESULT_WINDOW
    {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"next\">{} →</a>",
            html_escape(&query_string(&with_page(pairs, current_page + 1))),
            language.text("volgende", "next")
        ));
    }
    html.push_str("</nav>");
    html
}

/// The search page showing `error` (the query kept in the form), with the error's status
/// (400 for bad input, 429/503 with `Retry-After` under load, 500 for our faults).
pub fn error_page_response(pairs: &[(String, String)], error: &ApiError) -> Response {
    let language = UiLanguage::from_pairs(pairs);
    let empty = SearchResponse::empty();
    let mut response = (
        error.status(),
        Html(render_search_page(pairs, &empty, Some(error), language)),
    )
        .into_response();
    if let Some(seconds) = error.retry_after_seconds() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// What the document page shows besides the document's metadata.
pub struct DocumentView<'a> {
    /// The query whose terms are highlighted (may be empty).
    pub query: &'a str,
    /// The shown page (1-based).
    pub page: u32,
    /// Its text as HTML with `<mark>` highlights (see `SearchService::highlighted_page_text`).
    pub page_html: &'a str,
    /// How its text was obtained (`text`, `ocr`, `none`).
    pub text_source: &'a str,
    /// OCR confidence of the page, when OCR'd.
    pub ocr_confidence: Option<f32>,
    /// Ground stamps per page (only pages with any).
    pub page_grounds: &'a [(u32, Vec<String>)],
    /// Set when the query could not be used for highlighting.
    pub query_problem: Option<String>,
    /// HTML of the document's near-duplicates (`crate::duplicates_page`), shown after its
    /// facts; empty without any.
    pub duplicates_html: String,
    /// HTML of the document's e-mail thread note (`crate::threads_page`); empty without one.
    pub thread_html: String,
}

/// The document page: metadata, grounds per page, and the "page N of M" viewer with the page's
/// highlighted text beside the PDF at that page.
pub fn render_document_page(
    document: &StoredDocument,
    view: &DocumentView,
    language: UiLanguage,
) -> String {
    let mut page = page_head(&document.fields.title, language, "");
    let mut keep = Vec::new();
    if language == UiLanguage::English {
        keep.push(("lang".to_string(), "en".to_string()));
    }
    page.push_str(&page_header(
        view.query,
        &hidden_inputs(&keep, &[]),
        language,
        false,
    ));
    page.push_str("<main class=\"document\" id=\"content\" tabindex=\"-1\"><div class=\"grow\">");
    let mut back_pairs = Vec::new();
    if !view.query.is_empty() {
        back_pairs.push(("q".to_string(), view.query.to_string()));
    }
    back_pairs.extend(keep.iter().cloned());
    page.push_str(&format!(
        "<p><a href=\"{}\">← {}</a></p><h1>{}</h1>",
        html_escape(&query_string(&back_pairs)),
        language.text("Terug naar de zoekresultaten", "Back to the search results"),
        html_escape(&document.fields.title)
    ));
    page.push_str(&document_facts(document, language));
    page.push_str(&view.thread_html);
    page.push_str(&view.duplicates_html);
    page.push_str(&grounds_per_page(&document.fields.id, view, language));
    page.push_str(&page_navigation(document, view, &keep, language));
    if let Some(problem) = &view.query_problem {
        page.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}: {}</p>",
            language.text(
                "De zoektermen konden niet worden gemarkeerd",
                "The search terms could not be highlighted"
            ),
            html_escape(problem)
        ));
    }
    page.push_str(&page_text_beside_pdf(document, view, language));
    page.push_str("</div></main></body></html>");
    page
}

/// The document's metadata as a definition list (empty values left out), then its summary.
fn document_facts(document: &StoredDocument, language: UiLanguage) -> String {
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(title) = &document.fields.publication_title {
        let publication_id = document.fields.publication_id.as_deref().unwrap_or("");
        facts.push((
            language.text("Publicatie", "Publication"),
            format!("{} ({})", html_escape(title), html_escape(publication_id)),
        ));
    }
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            facts.push((label, html_escape(&value)));
        }
    };
    add(
        language.text("Organisatie", "Publisher"),
        document.fields.publisher.clone(),
    );
    add(
        language.text("Informatiecategorie", "Information category"),
        document.fields.category.as_deref().map(|code| {
            match woo_core::woo::category_by_any(code) {
                Some(category) => format!("{} ({code})", category.label),
                None => code.to_string(),
            }
        }),
    );
    add(
        language.text("Soort document", "Document type"),
        document.fields.document_type.clone(),
    );
    add(language.text("Datum", "Date"), document.fields.date.clone());
    add(
        language.text("Beoordeling", "Judgement"),
        document.fields.judgement.clone(),
    );
    add(
        language.text("Weigeringsgronden", "Refusal grounds"),
        Some(
            document
                .grounds
                .iter()
                .map(|ground| woo_core::woo::ground_facet_label(ground))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    );
    add(
        language.text("Talen", "Languages"),
        Some(
            document
                .languages
                .iter()
                .map(|code| facet_value_shown("language", code, None, language))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    add(
        language.text("Pagina's", "Pages"),
        Some(document.page_count.to_string()),
    );
    add(
        language.text("Pagina's via OCR", "Pages by OCR"),
        Some(document.ocr_pages.to_string()),
    );
    add(
        language.text("Pagina's zonder tekst", "Pages without text"),
        Some(document.pages_without_text.to_string()),
    );
    add(
        language.text("Kenmerk", "Identifier"),
        Some(document.fields.id.clone()),
    );
    add(
        language.text("Bestand", "File"),
        Some(document.fields.source.clone()),
    );
    let mut html = String::from("<dl class=\"facts\">");
    for (label, value) in &facts {
        html.push_str(&format!("<dt>{label}</dt><dd>{value}</dd>"));
    }
    html.push_str("</dl>");
    if let Some(summary) = &document.fields.summary {
        html.push_str(&format!("<p>{}</p>", html_escape(summary)));
    }
    html
}

/// The refusal grounds stamped on each page, counted, each page linking to itself in the viewer.
fn grounds_per_page(id: &str, view: &DocumentView, language: UiLanguage) -> String {
    let mut html = format!(
        "<h2>{}</h2>",
        language.text("Weigeringsgronden per pagina", "Refusal grounds per page")
    );
    if view.page_grounds.is_empty() {
        html.push_str(&format!(
            "<p>{}</p>",
            language.text(
                "Op de pagina's zijn geen weigeringsgronden gevonden.",
                "No refusal grounds were found on the pages."
            )
        ));
        return html;
    }
    html.push_str(&format!(
        "<table class=\"grounds\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        language.text("Pagina", "Page"),
        language.text("Gronden (aantal stempels)", "Grounds (stamps)")
    ));
    for (page_number, grounds) in view.page_grounds {
        let mut counted: Vec<(String, usize)> = Vec::new();
        for ground in grounds {
            match counted.iter_mut().find(|(code, _)| code == ground) {
                Some((_, count)) => *count += 1,
                None => counted.push((ground.clone(), 1)),
            }
        }
        let shown: Vec<String> = counted
            .iter()
            .map(|(code, count)| {
                format!(
                    "{} ({count})",
                    html_escape(&woo_core::woo::ground_facet_label(code))
                )
            })
            .collect();
        html.push_str(&format!(
            "<tr><td><a href=\"{}\">{page_number}</a></td><td>{}</td></tr>",
            html_escape(&document_page_url(id, view.query, *page_number, language)),
            shown.join("; ")
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// The viewer's heading ("Page N of M") and its navigation: previous and next page, a
/// go-to-page form (keeping the query and `keep`), and the link to the PDF at this page.
fn page_navigation(
    document: &StoredDocument,
    view: &DocumentView,
    keep: &[(String, String)],
    language: UiLanguage,
) -> String {
    let id = document.fields.id.as_str();
    let page_count = document.page_count;
    let mut html = format!(
        "<h2 id=\"viewer\">{} {} {} {}</h2>",
        language.text("Pagina", "Page"),
        view.page,
        language.text("van", "of"),
        page_count
    );
    html.push_str(&format!(
        "<nav class=\"pages\" aria-label=\"{}\">",
        language.text("Pagina's van het document", "Pages of the document")
    ));
    if view.page > 1 {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"prev\">← {}</a>",
            html_escape(&document_page_url(id, view.query, view.page - 1, language)),
            language.text("vorige pagina", "previous page")
        ));
    }
    if view.page < page_count {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"next\">{} →</a>",
            html_escape(&document_page_url(id, view.query, view.page + 1, language)),
            language.text("volgende pagina", "next page")
        ));
    }
    let mut jump_pairs = Vec::new();
    if !view.query.is_empty() {
        jump_pairs.push(("q".to_string(), view.query.to_string()));
    }
    jump_pairs.extend(keep.iter().cloned());
    html.push_str(&format!(
        "<form method=\"get\" action=\"/documents/{}\">{}<label for=\"page-number\">{}</label> \
<input id=\"page-number\" name=\"page\" type=\"number\" min=\"1\" max=\"{page_count}\" value=\"{}\"> <button type=\"submit\">{}</button></form>",
        html_escape(&url_encode(id)),
        hidden_inputs(&jump_pairs, &[]),
        language.text("Naar pagina", "Go to page"),
        view.page,
        language.text("Ga", "Go"),
    ));
    if document.fields.covered_words > 0 {
        html.push_str(&format!(
            "<span id=\"withheld\">{}</span></nav>",
            language.text(
                "Het bestand wordt niet getoond: er staat tekst onder zwarte lakstreken.",
                "The file is withheld: it has text under black redaction boxes."
            )
        ));
    } else if is_pdf_source(&document.fields.source) {
        html.push_str(&format!(
            "<a href=\"{}\" id=\"open-pdf\">{}</a></nav>",
            html_escape(&pdf_url(id, view.page, &document.fields.source)),
            language.text("Open de pdf op deze pagina", "Open the PDF at this page")
        ));
    } else {
        html.push_str(&format!(
            "<a href=\"{}\" id=\"open-file\" download>{} ({})</a></nav>",
            html_escape(&file_url(id)),
            language.text(
                "Download het originele bestand",
                "Download the original file"
            ),
            html_escape(document.fields.format.as_deref().unwrap_or("")),
        ));
    }
    html
}

/// The page's highlighted text, with how it was obtained, beside the PDF at that page (for
/// another format: the text alone; its file is a download).
fn page_text_beside_pdf(
    document: &StoredDocument,
    view: &DocumentView,
    language: UiLanguage,
) -> String {
    if !is_pdf_source(&document.fields.source) || document.fields.covered_words > 0 {
        return format!(
            "<div class=\"viewer\"><section class=\"text\" aria-labelledby=\"page-text-heading\"><h3 id=\"page-text-heading\" class=\"vh\">{}</h3><p class=\"meta\">{}</p><pre id=\"page-text\">{}</pre></section></div>",
            language.text("Tekst van de pagina", "Text of the page"),
            html_escape(&text_source_note(view, language)),
            view.page_html,
        );
    }
    format!(
        "<div class=\"viewer\"><section class=\"text\" aria-labelledby=\"page-text-heading\"><h3 id=\"page-text-heading\" class=\"vh\">{}</h3><p class=\"meta\">{}</p><pre id=\"page-text\">{}</pre></section>\
<iframe src=\"{}\" title=\"{} {} {}\"></iframe></div>",
        language.text("Tekst van de pagina", "Text of the page"),
        html_escape(&text_source_note(view, language)),
        view.page_html,
        html_escape(&pdf_url(&document.fields.id, view.page, &document.fields.source)),
        language.text("Pdf, pagina", "PDF, page"),
        view.page,
        html_escape(&document.fields.title),
    )
}

/// How the shown page's text was obtained: the text layer, OCR (with its confidence), or none.
fn text_source_note(view: &DocumentView, language: UiLanguage) -> String {
    match view.text_source {
        "ocr" => match view.ocr_confidence {
            Some(confidence) => format!(
                "{} ({} {:.0}%)",
                language.text("Tekst verkregen met OCR", "Text obtained by OCR"),
                language.text("betrouwbaarheid", "confidence"),
                confidence
            ),
            None => language
                .text("Tekst verkregen met OCR", "Text obtained by OCR")
                .to_string(),
        },
        "none" => language
            .text("Deze pagina heeft geen tekst.", "This page has no text.")
            .to_string(),
        _ => language
            .text(
                "Tekst uit de tekstlaag van de pdf",
                "Text from the PDF's text layer",
            )
            .to_string(),
    }
}

/// A page with only a heading and a message (unknown documents and pages, bad parameters).
pub fn render_message_page(heading: &str, message: &str, language: UiLanguage) -> String {
    let mut page = page_head(heading, language, "");
    page.push_str(&page_header("", "", language, false));
    page.push_str(&format!(
        "<main class=\"document\" id=\"content\" tabindex=\"-1\"><div><h1>{}</h1><p class=\"error\" role=\"alert\">{}</p></div></main></body></html>",
        html_escape(heading),
        html_escape(message)
    ));
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_links_of_bundle_parts_open_the_original_page() {
        assert_eq!(
            pdf_url("B-p5", 2, "bundel.pdf#pages=5-8"),
            "/api/documents/B-p5/file#page=6"
        );
        assert_eq!(pdf_url("A", 2, "map/a.pdf"), "/api/documents/A/file#page=2");
        assert_eq!(
            pdf_url("A", 1, "a.pdf#pages=x"),
            "/api/documents/A/file#page=1"
        );
    }

    #[test]
    fn toggling_adds_and_removes_a_facet_value_and_resets_the_page() {
        let pairs = vec![
            ("q".to_string(), "mondkapjes".to_string()),
            ("page".to_string(), "3".to_string()),
        ];
        let added = toggled(&pairs, "ground", "5.1.2e");
        assert_eq!(query_string(&added), "/?q=mondkapjes&ground=5.1.2e");
        let removed = toggled(&added, "ground", "5.1.2e");
        assert_eq!(query_string(&removed), "/?q=mondkapjes");
    }

    #[test]
    fn query_text_is_escaped() {
        let pairs = vec![("q".to_string(), "<script>".to_string())];
        let response = SearchResponse::empty();
        let page = render_search_page(&pairs, &response, None, UiLanguage::Dutch);
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
