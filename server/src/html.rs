//! The journalists' page: server-rendered HTML, no scripts, no external assets.
//!
//! `GET /?q=...&publisher=...` renders the query box, the facet lists (each value a link that
//! toggles its filter), and the results with page-labelled snippets linking to the PDF at that
//! page. Every state is a URL. Dutch by default, English with `lang=en`.

use serde_json::json;
use woo_indexer::StoredDocument;

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

    fn text(self, dutch: &'static str, english: &'static str) -> &'static str {
        match self {
            UiLanguage::Dutch => dutch,
            UiLanguage::English => english,
        }
    }
}

/// The document JSON of `GET /api/documents/{id}` (no server paths).
pub fn public_document_json(document: &StoredDocument) -> serde_json::Value {
    let category_label = document
        .category
        .as_deref()
        .and_then(woo_indexer::woo::category_by_any)
        .map(|category| category.label);
    json!({
        "id": document.id,
        "title": document.title,
        "source": document.source,
        "publication_id": document.publication_id,
        "publication_title": document.publication_title,
        "publisher": document.publisher,
        "category": document.category,
        "category_label": category_label,
        "type": document.document_type,
        "date": document.date,
        "judgement": document.judgement,
        "grounds": document.grounds,
        "decision_date": document.decision_date,
        "request_date": document.request_date,
        "decision": document.decision,
        "articles": document.articles,
        "outcome": document.outcome,
        "subject": document.subject,
        "received_date": document.received_date,
        "ground_stamps": document.ground_stamps,
        "summary": document.summary,
        "page_count": document.page_count,
        "languages": document.languages,
        "text_sources": document.text_sources,
        "pages_without_text": document.pages_without_text,
        "ocr_pages": document.ocr_pages,
        "content_hash": document.content_hash,
        "file": format!("/api/documents/{}/file", url_encode(&document.id)),
    })
}

/// Percent-encodes a URL component.
pub fn url_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

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

fn facet_title(name: &str, language: UiLanguage) -> &'static str {
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
        _ => "",
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}\
header{background:#154273;color:#fff;padding:1rem 1.5rem}header a{color:#fff}\
form.search{display:flex;gap:.5rem;margin-top:.5rem}form.search input[type=search]{flex:1;font-size:1.1rem;padding:.5rem}\
form.search button{font-size:1rem;padding:.5rem 1rem}main{display:flex;gap:2rem;padding:1rem 1.5rem}\
nav.facets{flex:0 0 16rem}nav.facets h2{font-size:1rem;margin:1rem 0 .25rem}nav.facets ul{list-style:none;padding:0;margin:0}\
nav.facets li a{text-decoration:none;color:#154273}nav.facets li a[aria-current=true]{font-weight:bold}\
section.results{flex:1;min-width:0}article{border-bottom:1px solid #ddd;padding:.75rem 0}\
article h3{margin:0 0 .25rem;font-size:1.1rem}.meta{color:#555;font-size:.9rem}\
.hit{margin:.25rem 0;font-size:.95rem}.hit a{color:#154273;font-weight:bold;margin-right:.5rem}\
mark{background:#ffe066;color:#000}.error{background:#fde8e8;border:1px solid #c00;padding:.75rem}\
details{margin-top:.5rem}details code{background:#eef;padding:0 .2rem;color:#000}.pager a{margin-right:1rem}\
a:focus,button:focus,input:focus{outline:3px solid #ffb612}";

/// Renders the whole search page.
pub fn render_search_page(
    pairs: &[(String, String)],
    response: &SearchResponse,
    error: Option<&ApiError>,
    language: UiLanguage,
) -> String {
    let query = pairs
        .iter()
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.as_str())
        .unwrap_or("");
    let lang_attribute = language.text("nl", "en");
    let mut page = String::with_capacity(16 * 1024);
    page.push_str(&format!(
        "<!doctype html><html lang=\"{lang_attribute}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{} – woo-search</title><style>{STYLE}</style></head><body>",
        if query.is_empty() {
            language
                .text("Zoeken in Woo-documenten", "Search Woo documents")
                .to_string()
        } else {
            html_escape(query)
        }
    ));
    page.push_str("<header><a href=\"/\"><strong>woo-search</strong></a>");
    page.push_str(&format!(
        "<form class=\"search\" method=\"get\" action=\"/\" role=\"search\"><label for=\"q\" class=\"visually-hidden\" style=\"position:absolute;left:-9999px\">{}</label>\
<input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"{}\">",
        language.text("Zoekterm", "Search terms"),
        html_escape(query),
        language.text("Zoek in besluiten en documenten…", "Search decisions and documents…"),
    ));
    for (name, value) in pairs {
        if name != "q" && name != "page" && FACET_NAMES.contains(&name.as_str())
            || name == "lang"
            || name == "sort"
        {
            page.push_str(&format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                html_escape(name),
                html_escape(value)
            ));
        }
    }
    page.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        language.text("Zoeken", "Search")
    ));
    page.push_str(&format!(
        "<details><summary>{}</summary><p>{}</p></details></header>",
        language.text("Zoektips", "Search help"),
        language.text(
            "Woorden worden gecombineerd met EN. <code>OR</code> voor of, <code>-woord</code> of <code>NOT</code> om uit te sluiten, <code>\"exacte zin\"</code>, <code>\"woorden dichtbij\"~5</code>, <code>(haakjes)</code>, velden <code>title:</code> <code>publisher:</code> <code>ground:</code> <code>type:</code> <code>id:</code>. Weigeringsgronden en kenmerken zoals <code>5.1.2e</code> of <code>2024-0001234</code> vindt u zoals ze geschreven zijn.",
            "Words are combined with AND. <code>OR</code> for either, <code>-word</code> or <code>NOT</code> to exclude, <code>\"exact phrase\"</code>, <code>\"words near\"~5</code>, <code>(brackets)</code>, fields <code>title:</code> <code>publisher:</code> <code>ground:</code> <code>type:</code> <code>id:</code>. Refusal grounds and reference numbers such as <code>5.1.2e</code> or <code>2024-0001234</code> are found as written.",
        )
    ));
    page.push_str("<main><nav class=\"facets\" aria-label=\"");
    page.push_str(language.text("Filters", "Filters"));
    page.push_str("\">");
    for &name in FACET_NAMES {
        let Some(values) = response.facets.get(name) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        page.push_str(&format!("<h2>{}</h2><ul>", facet_title(name, language)));
        for value in values {
            let href = query_string(&toggled(pairs, name, &value.value));
            let shown = match &value.label {
                Some(label) if name == "category" => format!("{} ({})", label, value.value),
                Some(label) => label.clone(),
                None => value.value.clone(),
            };
            page.push_str(&format!(
                "<li><a href=\"{}\" aria-current=\"{}\">{}{} ({})</a></li>",
                html_escape(&href),
                value.selected,
                if value.selected { "✓ " } else { "" },
                html_escape(&shown),
                value.count
            ));
        }
        page.push_str("</ul>");
    }
    page.push_str("</nav><section class=\"results\" aria-live=\"polite\">");
    if let Some(error) = error {
        page.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}: {}</p>",
            language.text(
                "Deze zoekvraag kan niet worden uitgevoerd",
                "This search cannot be run"
            ),
            html_escape(&error.to_string())
        ));
    } else {
        page.push_str(&format!(
            "<p>{} {} ({:.1} ms)</p>",
            response.total,
            language.text("documenten", "documents"),
            response.took_ms
        ));
    }
    for result in &response.results {
        let file_url = format!("/api/documents/{}/file", url_encode(&result.id));
        page.push_str("<article>");
        page.push_str(&format!(
            "<h3><a href=\"{}\">{}</a></h3>",
            html_escape(&file_url),
            html_escape(&result.title)
        ));
        let mut meta: Vec<String> = Vec::new();
        if let Some(publisher) = &result.publisher {
            meta.push(html_escape(publisher));
        }
        if let Some(label) = &result.category_label {
            meta.push(html_escape(label));
        }
        if let Some(kind) = &result.document_type {
            meta.push(html_escape(kind));
        }
        if let Some(date) = &result.date {
            meta.push(html_escape(date));
        }
        if let Some(judgement) = &result.judgement {
            meta.push(html_escape(judgement));
        }
        if let Some(decision) = &result.decision {
            meta.push(decision_summary(result, decision, language));
        }
        meta.push(format!(
            "{} {}",
            result.page_count,
            language.text("pagina's", "pages")
        ));
        page.push_str(&format!("<div class=\"meta\">{}</div>", meta.join(" · ")));
        for hit in &result.hits {
            page.push_str(&format!(
                "<p class=\"hit\"><a href=\"{}#page={}\">{} {}</a>{}</p>",
                html_escape(&file_url),
                hit.page,
                language.text("p.", "p."),
                hit.page,
                hit.snippet
            ));
        }
        page.push_str("</article>");
    }
    let current_page: usize = pairs
        .iter()
        .find(|(name, _)| name == "page")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(1);
    let size: usize = pairs
        .iter()
        .find(|(name, _)| name == "size")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(crate::params::DEFAULT_PAGE_SIZE);
    page.push_str("<nav class=\"pager\">");
    if current_page > 1 {
        page.push_str(&format!(
            "<a href=\"{}\" rel=\"prev\">← {}</a>",
            html_escape(&query_string(&with_page(pairs, current_page - 1))),
            language.text("vorige", "previous")
        ));
    }
    if current_page * size < response.total
        && (current_page + 1) * size <= crate::search::MAX_RESULT_WINDOW
    {
        page.push_str(&format!(
            "<a href=\"{}\" rel=\"next\">{} →</a>",
            html_escape(&query_string(&with_page(pairs, current_page + 1))),
            language.text("volgende", "next")
        ));
    }
    page.push_str("</nav></section></main></body></html>");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_adds_and_removes_a_facet_value_and_resets_the_page() {
        let pairs = vec![
            ("q".to_string(), "mondkapjes".to_string()),
            ("page".to_string(), "3".to_string()),
        ];
        let added = toggled(&pairs, "ground", "5.1.2e");
        assert_eq!(query_string(&added), "/?q=mondkapjes&ground=5%2E1%2E2e");
        let removed = toggled(&added, "ground", "5.1.2e");
        assert_eq!(query_string(&removed), "/?q=mondkapjes");
    }

    #[test]
    fn query_text_is_escaped() {
        let pairs = vec![("q".to_string(), "<script>".to_string())];
        let response = SearchResponse {
            total: 0,
            took_ms: 0.0,
            results: Vec::new(),
            facets: Default::default(),
        };
        let page = render_search_page(&pairs, &response, None, UiLanguage::Dutch);
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
