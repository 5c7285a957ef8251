//! The near-duplicates of a document on its page, and the comparison page
//! `/documents/{a}/compare/{b}`: the two texts side by side, each passage one redacts and the
//! other discloses marked, with the grounds each used.

use crate::html::{page_head, page_header, url_encode, UiLanguage};
use crate::markup::html_escape;
use crate::search::{DocumentComparison, DuplicateMember};

/// The link of the comparison page of `first` and `second`.
pub fn compare_url(first: &str, second: &str, language: UiLanguage) -> String {
    let url = format!(
        "/documents/{}/compare/{}",
        url_encode(first),
        url_encode(second)
    );
    if language == UiLanguage::English {
        return format!("{url}?lang=en");
    }
    url
}

/// The document page's list of near-duplicates ("Bijna dezelfde tekst"); empty without any.
pub fn duplicates_section(id: &str, members: &[DuplicateMember], language: UiLanguage) -> String {
    if members.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<section class=\"duplicates\"><h2>{}</h2><p>{}</p><ul>",
        language.text("Bijna dezelfde tekst", "Nearly the same text"),
        html_escape(&match language {
            UiLanguage::English => format!(
                "This document has nearly the same text as {} other document(s), e.g. the same e-mail disclosed in another publication. Compare them to see what each redacted.",
                members.len()
            ),
            _ => format!(
                "Dit document heeft bijna dezelfde tekst als {} ander(e) document(en), bijvoorbeeld dezelfde e-mail in een andere publicatie. Vergelijk ze om te zien wat elk heeft gelakt.",
                members.len()
            ),
        })
    );
    for member in members {
        let publication = member
            .publication_title
            .as_deref()
            .or(member.publication_id.as_deref())
            .unwrap_or("");
        html.push_str(&format!(
            "<li><a href=\"/documents/{}\">{}</a> · {} · {} · {} {:.0}% · <a href=\"{}\">{}</a></li>",
            url_encode(&member.id),
            html_escape(&member.title),
            html_escape(publication),
            html_escape(member.date.as_deref().unwrap_or("")),
            language.text("overeenkomst", "similarity"),
            member.similarity * 100.0,
            html_escape(&compare_url(id, &member.id, language)),
            language.text("vergelijk de lakken", "compare the redactions"),
        ));
    }
    html.push_str("</ul></section>");
    html
}

fn side_label(comparison: &DocumentComparison, first: bool) -> String {
    let document = if first {
        &comparison.first
    } else {
        &comparison.second
    };
    format!(
        "<a href=\"/documents/{}\">{}</a> <small>{} {}</small>",
        url_encode(&document.id),
        html_escape(&document.title),
        html_escape(document.publication_title.as_deref().unwrap_or("")),
        html_escape(document.date.as_deref().unwrap_or("")),
    )
}

/// The comparison page.
pub fn render_compare_page(comparison: &DocumentComparison, language: UiLanguage) -> String {
    let title = language.text("Lakken vergelijken", "Compare redactions");
    let mut page = page_head(title, language, "");
    page.push_str(&page_header("", "", language, false));
    page.push_str("<main id=\"content\" tabindex=\"-1\">");
    page.push_str(&format!(
        "<h1>{title}</h1><p>{} {:.0}% · {} {} · {} {}</p>",
        language.text("Overeenkomst van de teksten", "Similarity of the texts"),
        comparison.similarity * 100.0,
        comparison.comparison.redaction_differences.len(),
        language.text(
            "passages die het ene document lakt en het andere niet",
            "passages one document redacts and the other does not"
        ),
        language.text(
            "Gronden alleen links gelakt:",
            "Grounds redacted only on the left:"
        ),
        html_escape(&comparison.comparison.first_grounds.join(", ")),
    ));
    page.push_str(&format!(
        "<p>{} {}</p>",
        language.text(
            "Gronden alleen rechts gelakt:",
            "Grounds redacted only on the right:"
        ),
        html_escape(&comparison.comparison.second_grounds.join(", ")),
    ));
    page.push_str(&format!(
        "<table class=\"compare\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        side_label(comparison, true),
        side_label(comparison, false)
    ));
    for span in &comparison.comparison.spans {
        let (first_class, second_class) = match span.kind {
            "redacted_in_first" => ("redacted", "disclosed"),
            "redacted_in_second" => ("disclosed", "redacted"),
            "different" => ("differs", "differs"),
            _ => ("", ""),
        };
        let cell = |class: &str, text: &str| {
            let shown = if text.is_empty() && !class.is_empty() {
                language.text("(weggelakt)", "(removed)").to_string()
            } else {
                html_escape(text)
            };
            if class.is_empty() {
                format!("<td>{shown}</td>")
            } else {
                format!("<td class=\"{class}\">{shown}</td>")
            }
        };
        page.push_str(&format!(
            "<tr>{}{}</tr>",
            cell(first_class, &span.first),
            cell(second_class, &span.second)
        ));
    }
    page.push_str("</tbody></table></main></body></html>");
    page
}
